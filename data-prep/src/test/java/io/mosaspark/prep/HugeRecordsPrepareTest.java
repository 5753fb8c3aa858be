package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.prep.clean.DocumentSplitter;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.Reconciliation;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.shards.format.LlmcShardFile;
import io.mosaspark.prep.read.RecordSizeLimit;
import io.mosaspark.shards.manifest.ShardInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records far beyond Jackson's default limits through the whole job, on local disk: read, split into
 * pieces of at most --max-chars, counted in documents_split, and every piece in the shards decodes back
 * to its part of the original text.
 */
class HugeRecordsPrepareTest {
    private static final int MAX_CHARS = 1_000_000;

    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
    }

    private static PrepConfig config(Path in, String out, InputFormat format) {
        return new PrepConfig(List.of(in.toString()), tmp.resolve(out).toString(), format, "text", "bytes", 0.0,
                200_000_000L, 0, MAX_CHARS, false, false, "huge", 7, null);
    }

    /** Text the cleaner leaves as it is (NFC, no CR, no controls), with newlines to cut at and escapes to undo. */
    private static String text(int chars) {
        String[] words = {"lorem ", "ipsum ", "café ", "naïve ", "😀 ", "\"quoted\" ", "back\\slash ", "tab\there "};
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(words[i % words.length]);
            if (i % 1000 == 999) {
                sb.append('\n');
            }
        }
        sb.setLength(chars);
        if (Character.isHighSurrogate(sb.charAt(chars - 1))) {
            sb.setCharAt(chars - 1, 'x'); // the cut fell inside 😀: a lone surrogate would be cleaned to U+FFFD
        }
        return sb.toString();
    }

    @Test
    void aFiftyMillionCharJsonStringIsSplitExactlyAndItsPiecesDecodeBack() throws IOException {
        String text = text(50_000_000);
        Path in = tmp.resolve("huge-json");
        Files.createDirectories(in);
        Files.writeString(in.resolve("one.jsonl"), "{\"text\": \"short neighbour\"}\n"
                + new ObjectMapper().writeValueAsString(Map.of("text", text)) + "\n", StandardCharsets.UTF_8);

        Manifest m = new PrepareCorpus(config(in, "huge-json-out", InputFormat.JSONL), ByteTokenizer.source(1))
                .run(spark);

        Reconciliation r = m.reconciliation();
        assertEquals(2, r.documentsRead());
        assertEquals(Map.of(), r.rejectedReasons(), "a valid record is not malformed_json");
        assertEquals(2, r.documentsWritten());
        assertEquals(1, r.documentsSplit());
        List<String> expected = DocumentSplitter.split(text, MAX_CHARS);
        assertTrue(expected.size() >= 50, expected.size() + " pieces");
        assertEquals(expected.size() + 1, r.piecesWritten());
        List<String> pieces = decodedPieces(tmp.resolve("huge-json-out"), m);
        pieces.remove("short neighbour");
        assertEquals(expected, pieces, "the shards hold exactly the split of the text, in order");
        assertTrue(pieces.stream().allMatch(p -> p.length() <= MAX_CHARS));
        assertEquals(text, String.join("", pieces));
    }

    @Test
    void aLongParquetValueIsSplitLikeALongLine() throws IOException {
        String text = text(5_000_000);
        Path in = tmp.resolve("huge-parquet");
        StructType schema = new StructType().add("text", DataTypes.StringType);
        spark.createDataFrame(List.of(RowFactory.create(text), RowFactory.create("short neighbour")), schema)
                .coalesce(1).write().parquet(in.toString());

        Manifest m = new PrepareCorpus(config(in, "huge-parquet-out", InputFormat.PARQUET), ByteTokenizer.source(1))
                .run(spark);

        assertEquals(1, m.reconciliation().documentsSplit());
        List<String> pieces = decodedPieces(tmp.resolve("huge-parquet-out"), m);
        pieces.remove("short neighbour");
        assertEquals(DocumentSplitter.split(text, MAX_CHARS), pieces);
    }

    @Test
    void recordsOverTheLimitsAreRejectedWithTheirOwnReasonsAndAccountedFor() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("limits"));
        String deep = "{\"text\": \"x\", \"tree\": " + "[".repeat(1500) + "]".repeat(1500) + "}";
        Files.writeString(in.resolve("a.jsonl"), String.join("\n", "{\"text\": \"kept one\"}",
                "{\"text\": \"" + "y".repeat(5000) + "\"}", deep, "{\"text\": \"kept two\"}") + "\n");
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        hadoop.set(RecordSizeLimit.KEY, "4k"); // what spark.hadoop.mosa.prep.max-record-bytes=4k sets
        Manifest m;
        try {
            m = new PrepareCorpus(config(in, "limits-out", InputFormat.JSONL), ByteTokenizer.source(1)).run(spark);
        } finally {
            hadoop.unset(RecordSizeLimit.KEY);
        }

        Reconciliation r = m.reconciliation();
        assertTrue(r.balanced(), r.toString());
        assertEquals(4, r.documentsRead());
        assertEquals(2, r.documentsWritten());
        assertEquals(Map.of("record_too_large", 1L, "json_too_deep", 1L), r.rejectedReasons());
        List<String> rejected = Files.readAllLines(tmp.resolve("limits-out/_rejected/rejected.jsonl"));
        assertEquals(2, rejected.size());
        assertTrue(rejected.get(0).contains("\"record_too_large\"") && rejected.get(0).contains(RecordSizeLimit.KEY),
                rejected.get(0));
        assertTrue(rejected.get(1).contains("\"json_too_deep\""), rejected.get(1));
    }

    /** The documents of the train shards, in order: UTF-8 bytes b were written as token b + 1, each after EOT 0. */
    private static List<String> decodedPieces(Path out, Manifest m) throws IOException {
        List<String> pieces = new ArrayList<>();
        java.io.ByteArrayOutputStream piece = null;
        for (ShardInfo shard : m.shards()) {
            LlmcShardFile f = LlmcShardFile.read(out.resolve(shard.path()));
            for (int i = 0; i < f.count(); i++) {
                int token = f.tokens()[i];
                if (token == 0) {
                    if (piece != null) {
                        pieces.add(piece.toString(StandardCharsets.UTF_8));
                    }
                    piece = new java.io.ByteArrayOutputStream();
                } else {
                    piece.write(token - 1);
                }
            }
        }
        if (piece != null) {
            pieces.add(piece.toString(StandardCharsets.UTF_8));
        }
        return pieces;
    }
}
