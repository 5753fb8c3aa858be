package io.mosaspark.prep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records over the limit are rejected as record_too_large in every format, and reading goes on after them. */
class RecordSizeLimitTest {
    private static final Configuration CONF = CompressionCodecs.register(new Configuration());
    private static final RecordSizeLimit LIMIT = new RecordSizeLimit(100);

    @TempDir
    Path tmp;

    private InputFile file(String name, String content) throws IOException {
        Path p = Files.writeString(tmp.resolve(name), content);
        return new InputFile(0, p.toUri().toString(), Files.size(p));
    }

    private static List<ReadRecord> read(List<InputSplit> splits, InputFormat format) {
        List<ReadRecord> out = new ArrayList<>();
        new FileRecordIterator(splits.iterator(), format, "text", LIMIT, CONF, false).forEachRemaining(out::add);
        return out;
    }

    private static List<ReadRecord> read(InputFile f, InputFormat format) {
        return read(List.of(InputSplit.whole(f)), format);
    }

    @Test
    void aJsonLineOverTheLimitIsRejectedNamingTheSettingAndTheNextLineIsRead() throws IOException {
        String big = "{\"text\": \"" + "x".repeat(200) + "\"}";
        InputFile f = file("a.jsonl", "{\"text\": \"before\"}\n" + big + "\r\n{\"text\": \"after\"}\n");
        List<ReadRecord> r = read(f, InputFormat.JSONL);
        assertEquals(3, r.size());
        assertEquals("before", r.get(0).text());
        assertEquals(RejectReason.RECORD_TOO_LARGE, r.get(1).reject());
        assertEquals(19, r.get(1).offset());
        String detail = r.get(1).detail();
        assertTrue(detail.contains("spark.hadoop.mosa.prep.max-record-bytes") && detail.contains("100 bytes")
                && detail.contains((big.length() + 2) + " bytes"), detail);
        assertEquals("after", r.get(2).text());
        assertEquals(19 + big.length() + 2, r.get(2).offset());
    }

    @Test
    void aLineAtTheLimitIsKept() throws IOException {
        String exactly = "{\"text\": \"" + "x".repeat(100 - 12) + "\"}";
        assertEquals(100, exactly.length());
        assertEquals("x".repeat(88), read(file("b.jsonl", exactly + "\n"), InputFormat.JSONL).get(0).text());
        assertEquals(RejectReason.RECORD_TOO_LARGE, read(file("c.txt", "y".repeat(101)), InputFormat.TEXT_LINES)
                .get(0).reject());
        assertEquals("y".repeat(100), read(file("d.txt", "y".repeat(100)), InputFormat.TEXT_LINES).get(0).text());
    }

    @Test
    void aParagraphOverTheLimitIsRejectedAtItsStartAndTheNextOneIsRead() throws IOException {
        String longParagraph = ("forty chars of text in one of the lines\n").repeat(3);
        InputFile f = file("p.txt", "short one\n\n" + longParagraph + "\nlast one\n");
        List<ReadRecord> r = read(f, InputFormat.TEXT_PARAGRAPHS);
        assertEquals(3, r.size());
        assertEquals("short one", r.get(0).text());
        assertEquals(RejectReason.RECORD_TOO_LARGE, r.get(1).reject());
        assertEquals(11, r.get(1).offset());
        assertTrue(r.get(1).detail().startsWith("a paragraph of 120 bytes"), r.get(1).detail());
        assertEquals("last one", r.get(2).text());
    }

    @Test
    void aTextFileOverTheLimitIsRejectedWhole() throws IOException {
        ReadRecord r = read(file("w.txt", "z".repeat(250)), InputFormat.TEXT).get(0);
        assertEquals(RejectReason.RECORD_TOO_LARGE, r.reject());
        assertTrue(r.detail().contains("of 250 bytes"), r.detail());
        assertEquals("small", read(file("s.txt", "small"), InputFormat.TEXT).get(0).text());
    }

    @Test
    void aLongLineAcrossByteRangesIsRejectedOnceAsWhenReadWhole() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            content.append(i % 7 == 3 ? "{\"text\": \"" + "w".repeat(300 + i) + "\"}\n" : "{\"text\": \"line " + i + "\"}\n");
        }
        InputFile f = file("ranges.jsonl", content.toString());
        List<InputSplit> ranges = InputSplit.plan(List.of(f), InputFormat.JSONL, CONF, 97);
        assertTrue(ranges.size() > 20);
        List<ReadRecord> whole = read(f, InputFormat.JSONL);
        assertEquals(whole, read(ranges, InputFormat.JSONL));
        assertEquals(6, whole.stream().filter(ReadRecord::isRejected).count());
        assertEquals(40, whole.size());
    }

    @Test
    void aParquetValueOverTheLimitIsRejectedAndTheOtherRowsRead() throws IOException {
        MessageType schema = Types.buildMessage().required(PrimitiveType.PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.stringType()).named("text").named("doc");
        Path p = tmp.resolve("rows.parquet");
        try (ParquetWriter<org.apache.parquet.example.data.Group> w = ExampleParquetWriter
                .builder(new org.apache.hadoop.fs.Path(p.toUri())).withType(schema).withConf(CONF).build()) {
            SimpleGroupFactory rows = new SimpleGroupFactory(schema);
            for (String text : new String[] {"first", "v".repeat(101), "third"}) {
                w.write(rows.newGroup().append("text", text));
            }
        }
        List<ReadRecord> r = read(new InputFile(0, p.toUri().toString(), Files.size(p)), InputFormat.PARQUET);
        assertEquals(List.of("first", "third"), r.stream().filter(x -> !x.isRejected()).map(ReadRecord::text).toList());
        assertEquals(RejectReason.RECORD_TOO_LARGE, r.get(1).reject());
        assertEquals(1, r.get(1).offset(), "the row index");
    }

    @Test
    void theLimitIsReadFromTheHadoopConfigurationWithSizeSuffixes() {
        Configuration conf = new Configuration(false);
        assertEquals(RecordSizeLimit.DEFAULT_BYTES, RecordSizeLimit.from(conf).maxBytes());
        conf.set(RecordSizeLimit.KEY, "256m");
        assertEquals(256L << 20, RecordSizeLimit.from(conf).maxBytes());
        for (String bad : new String[] {"0", "-5", "3g", "lots"}) {
            conf.set(RecordSizeLimit.KEY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordSizeLimit.from(conf));
            assertTrue(e.getMessage().contains("spark.hadoop." + RecordSizeLimit.KEY), e.getMessage());
        }
    }

    @Test
    void invalidUtf8StaysCountedNextToTheLimit() throws IOException {
        byte[] line = "{\"text\": \"bad \u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1); // 0xFF: never UTF-8
        Path p = Files.write(tmp.resolve("u.jsonl"), line);
        ReadRecord r = read(new InputFile(0, p.toUri().toString(), line.length), InputFormat.JSONL).get(0);
        assertEquals("bad \uFFFD", r.text());
        assertEquals(1, r.malformedBytes());
    }
}
