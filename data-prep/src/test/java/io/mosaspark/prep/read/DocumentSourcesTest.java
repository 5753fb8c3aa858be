package io.mosaspark.prep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentSourcesTest {
    private static final Configuration CONF = CompressionCodecs.register(new Configuration());

    @TempDir
    Path tmp;

    private InputFile file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return new InputFile(0, p.toUri().toString(), content.length);
    }

    private static List<ReadRecord> readAll(InputFile f, InputFormat format, boolean skipBad) {
        List<ReadRecord> out = new ArrayList<>();
        new FileRecordIterator(List.of(InputSplit.whole(f)).iterator(), format, "text",
                RecordSizeLimit.defaults(), CONF, skipBad).forEachRemaining(out::add);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textLinesGiveOneDocumentPerLineWithByteOffsets() throws IOException {
        List<ReadRecord> r = readAll(file("a.txt", utf8("héllo\r\n\nthird\n")), InputFormat.TEXT_LINES, false);
        assertEquals(3, r.size());
        assertEquals("héllo", r.get(0).text());
        assertEquals(0, r.get(0).offset());
        assertEquals("", r.get(1).text());
        assertEquals(8, r.get(1).offset());
        assertEquals("third", r.get(2).text());
        assertEquals(9, r.get(2).offset());
    }

    @Test
    void paragraphsAreSeparatedByBlankLines() throws IOException {
        List<ReadRecord> r = readAll(file("p.txt", utf8("\n\npara one\nline two\n  \n\npara two\n")),
                InputFormat.TEXT_PARAGRAPHS, false);
        assertEquals(List.of("para one\nline two", "para two"), r.stream().map(ReadRecord::text).toList());
        assertEquals(2, r.get(0).offset());
    }

    @Test
    void wholeFileIsOneDocumentAndAnEmptyFileAnEmptyOne() throws IOException {
        assertEquals(List.of("a\nb\n"), readAll(file("w.txt", utf8("a\nb\n")), InputFormat.TEXT, false).stream()
                .map(ReadRecord::text).toList());
        assertEquals(List.of(""), readAll(file("e.txt", new byte[0]), InputFormat.TEXT, false).stream()
                .map(ReadRecord::text).toList());
        assertEquals(List.of(), readAll(file("e.jsonl", new byte[0]), InputFormat.JSONL, false));
    }

    @Test
    void jsonLinesRejectEachKindOfBadRecordWithItsOffset() throws IOException {
        String content = "{\"text\":\"ok\"}\n{\"text\":1}\n{\"body\":\"x\"}\n{\"text\":\"unclosed\n[1,2]\n"
                + "{\"text\":\"a\"} trailing\n{\"text\":null}\n";
        List<ReadRecord> r = readAll(file("j.jsonl", utf8(content)), InputFormat.JSONL, false);
        assertEquals("ok", r.get(0).text());
        assertEquals(RejectReason.WRONG_FIELD_TYPE, r.get(1).reject());
        assertEquals(14, r.get(1).offset());
        assertEquals(RejectReason.MISSING_FIELD, r.get(2).reject());
        assertTrue(r.get(2).detail().contains("--text-field"), r.get(2).detail());
        assertEquals(RejectReason.MALFORMED_JSON, r.get(3).reject());
        assertEquals(RejectReason.NOT_A_JSON_OBJECT, r.get(4).reject());
        assertEquals(RejectReason.MALFORMED_JSON, r.get(5).reject());
        assertEquals(RejectReason.WRONG_FIELD_TYPE, r.get(6).reject());
        assertEquals(7, r.size());
    }

    @Test
    void invalidUtf8InJsonIsReplacedAndCountedNotRejected() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(utf8("{\"text\":\"bad "));
        b.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        b.write(utf8(" bytes\"}\n"));
        List<ReadRecord> r = readAll(file("u.jsonl", b.toByteArray()), InputFormat.JSONL, false);
        assertEquals("bad \uFFFD\uFFFD bytes", r.get(0).text());
        assertEquals(2, r.get(0).malformedBytes());
    }

    @Test
    void binaryJunkNeverCrashesTheReader() throws IOException {
        byte[] junk = new byte[100_000];
        new java.util.Random(7).nextBytes(junk);
        List<ReadRecord> lines = readAll(file("junk.bin", junk), InputFormat.TEXT_LINES, false);
        assertTrue(lines.size() > 100);
        assertTrue(lines.stream().mapToInt(ReadRecord::malformedBytes).sum() > 10_000);
        List<ReadRecord> json = readAll(file("junk.jsonl", junk), InputFormat.JSONL, false);
        assertTrue(json.stream().allMatch(x -> x.isRejected() || x.text().isEmpty()));
    }

    @Test
    void gzipBzip2AndZstdAreDecompressedByExtension() throws IOException {
        String content = "{\"text\":\"one\"}\n{\"text\":\"two\"}\n";
        assertEquals(List.of("one", "two"), texts(compressed("a.jsonl.gz", content, GZIPOutputStream::new)));
        assertEquals(List.of("one", "two"), texts(compressed("a.jsonl.bz2", content, BZip2CompressorOutputStream::new)));
        assertEquals(List.of("one", "two"), texts(compressed("a.jsonl.zst", content, ZstdOutputStream::new)));
    }

    @Test
    void corruptCompressedFileFailsNamingItOrIsRejectedWithSkipBadFiles() throws IOException {
        byte[] good = compressedBytes("{\"text\":\"one\"}\n".repeat(2000), GZIPOutputStream::new);
        byte[] broken = java.util.Arrays.copyOf(good, good.length / 2);
        for (int i = 20; i < broken.length; i++) {
            broken[i] ^= 0x5A;
        }
        InputFile f = file("broken.jsonl.gz", broken);
        UnreadableInputException e = assertThrows(UnreadableInputException.class,
                () -> readAll(f, InputFormat.JSONL, false));
        assertTrue(e.getMessage().contains("broken.jsonl.gz") && e.getMessage().contains("--skip-bad-files"),
                e.getMessage());
        List<ReadRecord> r = readAll(f, InputFormat.JSONL, true);
        ReadRecord last = r.get(r.size() - 1);
        assertEquals(RejectReason.UNREADABLE_FILE, last.reject());
        assertTrue(r.stream().filter(ReadRecord::isRejected).count() == 1);
    }

    @Test
    void missingFileFailsNamingIt() {
        InputFile missing = new InputFile(0, tmp.resolve("nope.jsonl").toUri().toString(), 0);
        UnreadableInputException e = assertThrows(UnreadableInputException.class,
                () -> readAll(missing, InputFormat.JSONL, false));
        assertTrue(e.getMessage().contains("nope.jsonl"), e.getMessage());
        List<ReadRecord> skipped = readAll(missing, InputFormat.JSONL, true);
        assertEquals(1, skipped.size());
        assertEquals(RejectReason.UNREADABLE_FILE, skipped.get(0).reject());
        assertNull(skipped.get(0).text());
    }

    @Test
    void globsThatMatchNothingAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputFiles.expand(List.of(tmp.resolve("*.nothing").toString()), CONF));
        assertTrue(e.getMessage().contains("matched no files"), e.getMessage());
    }

    @Test
    void directoriesAreListedRecursivelySortedWithoutHiddenFiles() throws IOException {
        Files.createDirectories(tmp.resolve("d/sub"));
        Files.writeString(tmp.resolve("d/b.txt"), "b");
        Files.writeString(tmp.resolve("d/sub/a.txt"), "a");
        Files.writeString(tmp.resolve("d/_SUCCESS"), "");
        Files.writeString(tmp.resolve("d/.a.txt.crc"), "");
        List<InputFile> files = InputFiles.expand(List.of(tmp.resolve("d").toString()), CONF);
        assertEquals(2, files.size());
        assertTrue(files.get(0).uri().endsWith("d/b.txt") && files.get(1).uri().endsWith("sub/a.txt"));
        assertEquals(List.of(0, 1), files.stream().map(InputFile::index).toList());
    }

    @Test
    void overlappingInputsAreReadOnceAndNeitherIsReportedEmpty() throws IOException {
        Files.createDirectories(tmp.resolve("d"));
        Files.writeString(tmp.resolve("d/a.jsonl"), "{}");
        Files.writeString(tmp.resolve("d/b.jsonl"), "{}");
        List<InputFile> files = InputFiles.expand(List.of(tmp.resolve("d").toString(),
                tmp.resolve("d/a.jsonl").toString(), tmp.resolve("d/*.jsonl").toString()), CONF);
        assertEquals(2, files.size(), "each file once");
    }

    private List<String> texts(InputFile f) {
        return readAll(f, InputFormat.JSONL, false).stream().map(ReadRecord::text).toList();
    }

    interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compressedBytes(String content, Compressor c) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(b)) {
            out.write(utf8(content));
        }
        return b.toByteArray();
    }

    private InputFile compressed(String name, String content, Compressor c) throws IOException {
        return file(name, compressedBytes(content, c));
    }
}
