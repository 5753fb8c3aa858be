package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The small corpus the job module's end-to-end tests prepare: a few hundred short documents over a
 * 15-word vocabulary (about 24,000 tokens with a 320-token BPE), with exact duplicates and a broken line
 * for the reconciliation to account for.
 */
public final class TestCorpus {
    public static final int DOCS = 400;
    public static final int DUPLICATES = 40;

    private TestCorpus() {
    }

    /** Two gzip'd JSON Lines files in {@code d}: DOCS documents of which DUPLICATES repeat earlier ones, and one broken line. */
    public static Path write(Path d) throws IOException {
        return write(d, 42);
    }

    /** The same kind of corpus with other documents: {@code seed} draws the words (a later batch of data). */
    public static Path write(Path d, long seed) throws IOException {
        Random rnd = new Random(seed);
        String[] words = "the of sparse attention head token expert routing selects dense model cluster spark shard data".split(" ");
        ObjectMapper json = new ObjectMapper();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < DOCS - DUPLICATES; i++) {
            StringBuilder sb = new StringBuilder("doc ").append(i).append(':');
            for (int w = 0, n = 20 + rnd.nextInt(80); w < n; w++) sb.append(' ').append(words[rnd.nextInt(words.length)]);
            docs.add(sb.toString());
        }
        for (int i = 0; i < DUPLICATES; i++) docs.add(docs.get(i * 3));
        for (int part = 0; part < 2; part++) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(d.resolve("part-" + part + ".jsonl.gz")));
                 Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8)) {
                for (int i = part; i < docs.size(); i += 2) {
                    w.write(json.writeValueAsString(Map.of("text", docs.get(i))));
                    w.write('\n');
                }
                if (part == 1) w.write("{\"text\": \"unterminated\n");
            }
        }
        return d;
    }
}
