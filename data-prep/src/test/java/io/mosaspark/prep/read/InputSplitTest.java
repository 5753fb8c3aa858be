package io.mosaspark.prep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a file in byte ranges gives exactly the records of reading it whole, for every range size. */
class InputSplitTest {
    private static final Configuration CONF = CompressionCodecs.register(new Configuration());

    @TempDir
    Path tmp;

    /** LF, CRLF and lone-CR endings, blank lines, multi-byte UTF-8, invalid bytes, a long line, no final newline. */
    private static byte[] hostileLines(boolean json) {
        List<String> docs = List.of("first", "", "h\u00e9llo w\u00f6rld \u2713", "\ud83d\ude00 emoji", "x".repeat(300), "   ",
                "tab\tinside", "last one");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] endings = {"\n", "\r\n", "\r", "\n\n"};
        for (int i = 0; i < docs.size(); i++) {
            String line = json ? "{\"text\":\"" + docs.get(i).replace("\t", "\\t") + "\"}" : docs.get(i);
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (i == 3) {
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // invalid UTF-8 inside the line
            }
            if (i < docs.size() - 1) {
                out.writeBytes(endings[i % endings.length].getBytes(StandardCharsets.UTF_8));
            }
        }
        if (json) {
            out.writeBytes("\n{broken\n[1,2]\n".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private InputFile write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return new InputFile(3, p.toUri().toString(), content.length);
    }

    private static List<ReadRecord> read(List<InputSplit> splits, InputFormat format) {
        List<ReadRecord> out = new ArrayList<>();
        new FileRecordIterator(splits.iterator(), format, "text", RecordSizeLimit.defaults(), CONF, false).forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyRangeSizeReadsTheSameRecordsAsTheWholeFile() throws IOException {
        for (InputFormat format : List.of(InputFormat.TEXT_LINES, InputFormat.JSONL)) {
            InputFile file = write("in-" + format, hostileLines(format == InputFormat.JSONL));
            List<ReadRecord> whole = read(List.of(InputSplit.whole(file)), format);
            assertTrue(whole.size() >= 9, whole.toString());
            for (long size = 1; size <= file.bytes() + 1; size += size < 40 ? 1 : 17) {
                List<InputSplit> splits = InputSplit.plan(List.of(file), format, CONF, size);
                assertEquals(size >= file.bytes() ? 1 : (file.bytes() + size - 1) / size, splits.size());
                assertEquals(whole, read(splits, format), format + " in ranges of " + size + " bytes");
            }
        }
    }

    @Test
    void compressedAndWholeFileFormatsAreNotSplit() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(hostileLines(true));
        }
        InputFile gzip = write("in.jsonl.gz", gz.toByteArray());
        InputFile plain = write("in.txt", hostileLines(false));
        assertEquals(List.of(InputSplit.whole(gzip)), InputSplit.plan(List.of(gzip), InputFormat.JSONL, CONF, 10));
        assertEquals(List.of(InputSplit.whole(plain)), InputSplit.plan(List.of(plain), InputFormat.TEXT_PARAGRAPHS, CONF, 10));
        assertEquals(List.of(InputSplit.whole(plain)), InputSplit.plan(List.of(plain), InputFormat.TEXT, CONF, 10));
        assertThrows(IllegalArgumentException.class, () -> new InputSplit(plain, 5, 5));
    }
}
