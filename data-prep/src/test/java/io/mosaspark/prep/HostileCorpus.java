package io.mosaspark.prep;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * A small JSON Lines corpus with every kind of trouble, and the exact accounting it must produce
 * (with --min-chars 3 --max-chars 1000). Counted by hand, line by line, below.
 */
final class HostileCorpus {
    static final String LONG_DOC = "lorem ipsum ".repeat(210).strip(); // 2519 chars → 3 pieces

    static final long READ = 23;
    static final long WRITTEN = 9;
    static final long DUPLICATES = 4;
    static final long REJECTED = 8;
    static final long EMPTY = 2;
    static final Map<String, Long> REASONS = Map.of("malformed_json", 4L, "missing_field", 1L,
            "not_a_json_object", 1L, "too_short", 1L, "wrong_field_type", 1L);
    static final long PIECES = 11;
    static final long MALFORMED_BYTES = 2;

    /** The cleaned documents that must come out of the shards (the long one in pieces). */
    static final List<String> WRITTEN_DOCS = List.of("Hello world, document one.",
            "Second document\nwith CRLF and bell.", "café NFD", "bad \uFFFD\uFFFD bytes", "lone \uFFFD surrogate",
            "gzip doc", "bzip2 doc", "zstd doc", LONG_DOC);

    private HostileCorpus() {
    }

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        lines(a, "{\"text\":\"Hello world, document one.\"}",          // kept
                "{\"text\":\"Second document\\r\\nwith CRLF and \\u0007bell.\"}", // kept (cleaned)
                "{\"text\":\"Hello world, document one.\"}",          // duplicate
                "{\"text\": 42}",                                     // wrong_field_type
                "{\"body\":\"no text field\"}",                       // missing_field
                "{\"text\":\"broken json\"",                          // malformed_json
                "[1,2,3]",                                            // not_a_json_object
                "",                                                   // empty
                "{\"text\":\"   \\t  \"}",                            // empty after cleaning
                "{\"text\":\"cafe\\u0301 NFD\"}",                     // kept (NFC → café)
                "{\"text\":\"café NFD\"}");                           // duplicate after NFC
        a.write("{\"text\":\"bad ".getBytes(StandardCharsets.UTF_8)); // kept, 2 malformed bytes
        a.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        a.write(" bytes\"}\n".getBytes(StandardCharsets.UTF_8));
        lines(a, "{\"text\":\"lone \\ud800 surrogate\"}",             // kept (U+FFFD)
                "{\"text\":\"ab\"}");                                 // too_short
        Files.write(dir.resolve("a.jsonl"), a.toByteArray());

        Files.write(dir.resolve("b.jsonl.gz"), compress(GZIPOutputStream::new,
                "{\"text\":\"Hello world, document one.\"}", "{\"text\":\"gzip doc\"}"));   // dup, kept
        Files.write(dir.resolve("c.jsonl.bz2"), compress(BZip2CompressorOutputStream::new,
                "{\"text\":\"bzip2 doc\"}", "{\"text\":\"Second document\\nwith CRLF and bell.\"}")); // kept, dup
        Files.write(dir.resolve("d.jsonl.zst"), compress(ZstdOutputStream::new,
                "{\"text\":\"zstd doc\"}", "{\"text\":\"" + LONG_DOC + "\"}"));             // kept, kept (split)
        Files.write(dir.resolve("empty.jsonl"), new byte[0]);                               // nothing
        byte[] junk = new byte[3 * 400];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (0x80 + random.nextInt(0x80));                // never '\n', never valid JSON
        }
        junk[400] = '\n';
        junk[800] = '\n';
        Files.write(dir.resolve("junk.jsonl"), junk);                                       // 3 × malformed_json
    }

    private static void lines(ByteArrayOutputStream out, String... lines) throws IOException {
        for (String l : lines) {
            out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    interface Codec {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(Codec codec, String... lines) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = codec.wrap(b)) {
            for (String l : lines) {
                out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }
}
