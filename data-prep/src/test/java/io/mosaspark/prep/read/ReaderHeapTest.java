package io.mosaspark.prep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap one huge jsonl record needs through the reader, measured the only reliable way: a JVM
 * with a heap too small for anything but the record and a few copies of it. 50 MB of record read in
 * 224 MB, of which some 60 MB is the JVM and Hadoop, leaves room for its line buffer, its text and
 * a builder for its escapes; decoding through a char buffer into a Jackson tree, as before, needed 330 MB.
 */
class ReaderHeapTest {
    private static final int CHARS = 50_000_000;
    private static final int HEAP_MB = 224;

    @TempDir
    Path tmp;

    @Test
    void aFiftyMegabyteRecordIsReadInAboutThreeTimesItsSize() throws Exception {
        Path file = tmp.resolve("one-record.jsonl");
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
            w.write("{\"id\": 1, \"text\": \"");
            for (int chars = 0; chars < CHARS; chars += 100) {
                w.write("x".repeat(99));
                w.write("\\n"); // an escape every 100 chars: the value must be unescaped, not just cut out
            }
            w.write("\"}\n");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m", "-XX:+UseG1GC", "-cp", classpath(), ReadOneRecord.class.getName(),
                file.toUri().toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("read " + CHARS + " chars, " + CHARS / 100 + " newlines"), output);
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The child: reads the file's one record as the prepare job does. */
    public static final class ReadOneRecord {
        public static void main(String[] args) throws IOException {
            InputFile f = new InputFile(0, args[0], Files.size(Path.of(java.net.URI.create(args[0]))));
            FileRecordIterator records = new FileRecordIterator(List.of(InputSplit.whole(f)).iterator(),
                    InputFormat.JSONL, "text", RecordSizeLimit.defaults(), new Configuration(), false);
            ReadRecord r = records.next();
            if (r.isRejected() || records.hasNext()) {
                throw new IllegalStateException("expected one document, got " + r.reject() + ": " + r.detail());
            }
            long newlines = r.text().chars().filter(c -> c == '\n').count();
            System.out.println("read " + r.text().length() + " chars, " + newlines + " newlines");
        }
    }
}
