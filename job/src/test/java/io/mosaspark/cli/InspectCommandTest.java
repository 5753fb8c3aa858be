package io.mosaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.PrepConfig;
import io.mosaspark.prep.PrepareCorpus;
import io.mosaspark.prep.SharedSpark;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.shards.manifest.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `mosa inspect` on a set made with a BPE tokenizer trained by the job itself (train:<vocab>). */
class InspectCommandTest {
    @TempDir
    static Path tmp;
    static Path out;
    static Manifest manifest;

    @BeforeAll
    static void prepare() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        StringBuilder text = new StringBuilder();
        String[] words = {"the", "cat", "sat", "on", "mat", "with", "another", "cat", "and", "a", "hat"};
        for (int i = 0; i < 300; i++) {
            text.append(words[i % words.length]).append(' ').append(words[(i * 7) % words.length]).append(' ')
                    .append(words[(i * 3) % words.length]).append(" number ").append(i).append('\n');
        }
        Files.writeString(in.resolve("lines.txt"), text);
        out = tmp.resolve("set");
        PrepConfig cfg = new PrepConfig(List.of(in.toString()), out.toString(), InputFormat.TEXT_LINES, "text",
                "train:300", 0.1, 500, 0, 1000, false, false, "cats", 3, null);
        manifest = new PrepareCorpus(cfg).run(SharedSpark.session());
    }

    private static String run(int expectedExit, String... args) {
        StringWriter sw = new StringWriter();
        CommandLine cmd = new CommandLine(new InspectCommand());
        cmd.setOut(new PrintWriter(sw));
        cmd.setErr(new PrintWriter(sw));
        assertEquals(expectedExit, cmd.execute(args), sw.toString());
        return sw.toString();
    }

    @Test
    void trainedTokenizerIsSavedInTheSetAndInspectDecodesASample() {
        assertEquals("tokenizer", manifest.tokenizer().path());
        assertEquals(300, manifest.tokenizer().vocabSize());
        assertTrue(Files.exists(out.resolve("tokenizer/tokenizer.json")));
        String printed = run(0, out.toString(), "--sample", "30");
        assertTrue(printed.contains("VALID"), printed);
        assertTrue(printed.contains("documents: read 300 = written 300"), printed);
        assertTrue(printed.matches("(?s).*decoded \\(EOT removed\\): .*number \\d+.*"), printed);
    }

    @Test
    void invalidSetsExitNonZeroNamingTheProblem() throws IOException {
        Path copy = tmp.resolve("broken");
        try (var files = Files.walk(out)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(out.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".crc")) {
                    Files.copy(p, target);
                }
            }
        }
        String shard = manifest.shards().get(0).path();
        byte[] bytes = Files.readAllBytes(copy.resolve(shard));
        Files.write(copy.resolve(shard), java.util.Arrays.copyOf(bytes, bytes.length - 2));
        Files.delete(copy.resolve("_SUCCESS"));
        Files.writeString(copy.resolve("stray_train_000009.bin"), "x");
        String printed = run(1, copy.toString(), "--sample", "0");
        assertTrue(printed.contains("INVALID"), printed);
        assertTrue(printed.contains(shard) && printed.contains("truncated"), printed);
        assertTrue(printed.contains("_SUCCESS"), printed);
        assertTrue(printed.contains("stray_train_000009.bin is in the directory but not in the manifest"), printed);

        assertTrue(run(1, tmp.resolve("nothing-here").toString()).contains("does not exist"));

        Files.writeString(copy.resolve("manifest.json"), "{\"format_version\": 1, \"name\": \"cats\"}");
        String lacking = run(1, copy.toString());
        assertTrue(lacking.contains("lacks shard_tokens, tokenizer, shards, totals, reconciliation"), lacking);
        Files.writeString(copy.resolve("manifest.json"), "{ not json");
        String notJson = run(1, copy.toString());
        assertTrue(notJson.contains("is not a valid manifest"), notJson);
        assertEquals(2, new CommandLine(new InspectCommand()).execute(out.toString(), "--sample", "-1"));
    }
}
