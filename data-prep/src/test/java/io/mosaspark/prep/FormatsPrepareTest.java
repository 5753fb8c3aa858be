package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.read.InputFile;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.prep.read.InputSplit;
import io.mosaspark.shards.format.LlmcShardFile;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.Reconciliation;
import io.mosaspark.shards.manifest.ShardInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet, text paragraphs and a 50 MB single-line file through the whole job. */
class FormatsPrepareTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SharedSpark.session();
    }

    private static PrepConfig config(Path in, String out, InputFormat format, long shardTokens) {
        return new PrepConfig(List.of(in.toString()), tmp.resolve(out).toString(), format, "text", "bytes", 0.0,
                shardTokens, 0, 1_000_000, false, false, "f", 7, null);
    }

    @Test
    void aLargeJsonlFileReadInByteRangesGivesTheSameShardsAsReadWhole() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            lines.append(i % 97 == 0 ? "{not json}\n" : "{\"text\":\"document " + (i % 2500) + " \u00e9\u2713 "
                    + "x".repeat(i % 61) + "\"}\r\n");
        }
        Path in = Files.writeString(tmp.resolve("big.jsonl"), lines.toString());
        long size = Files.size(in);
        PrepConfig whole = config(in, "whole", InputFormat.JSONL, 50_000);
        PrepConfig ranges = new PrepConfig(whole.inputs(), tmp.resolve("ranges").toString(), InputFormat.JSONL, "text",
                "bytes", 0.0, 50_000, 0, 1_000_000, false, false, "f", 7, null, size / 7 + 13);

        Manifest a = new PrepareCorpus(whole, ByteTokenizer.source(1)).run(spark);
        Manifest b = new PrepareCorpus(ranges, ByteTokenizer.source(1)).run(spark);
        assertEquals(7, InputSplit.plan(List.of(new InputFile(0, in.toUri().toString(), size)), InputFormat.JSONL,
                new Configuration(), ranges.splitBytes()).size());
        assertEquals(3000, b.reconciliation().documentsRead());
        assertEquals(a.reconciliation(), b.reconciliation());
        assertEquals(a.shards().stream().map(ShardInfo::sha256).toList(), b.shards().stream().map(ShardInfo::sha256).toList());
        assertEquals(a.totals(), b.totals());
    }

    @Test
    void parquetTextColumnWithNullsAndAFileOfTheWrongType() {
        Path in = tmp.resolve("pq");
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
        List<Row> rows = Arrays.asList(RowFactory.create(1, "first parquet doc"), RowFactory.create(2, null),
                RowFactory.create(3, "second parquet doc"), RowFactory.create(4, "first parquet doc"));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(in.resolve("good").toString());
        StructType wrong = new StructType().add("text", DataTypes.LongType);
        Dataset<Row> numbers = spark.createDataFrame(List.of(RowFactory.create(5L)), wrong);
        numbers.coalesce(1).write().parquet(in.resolve("wrong").toString());

        Manifest m = new PrepareCorpus(config(in, "pq-out", InputFormat.PARQUET, 1000), ByteTokenizer.source(1))
                .run(spark);
        Reconciliation r = m.reconciliation();
        assertEquals(5, r.documentsRead());
        assertEquals(2, r.documentsWritten());
        assertEquals(1, r.duplicates());
        assertEquals(1, r.empty());
        assertEquals(Map.of("wrong_field_type", 1L), r.rejectedReasons());
        assertEquals(2 + "first parquet doc".length() + "second parquet doc".length(), m.totals().get("train").tokens());
    }

    @Test
    void paragraphsFromSeveralFilesAndGlobs() throws IOException {
        Path in = tmp.resolve("paras");
        Files.createDirectories(in);
        Files.writeString(in.resolve("a.txt"), "one\ntwo\n\n\nthree\n");
        Files.writeString(in.resolve("b.txt"), "\n\nfour\n");
        Files.writeString(in.resolve("ignored.md"), "not matched by the glob\n");
        PrepConfig cfg = new PrepConfig(List.of(in.resolve("a.txt").toString(), in.resolve("b*").toString()),
                tmp.resolve("paras-out").toString(), InputFormat.TEXT_PARAGRAPHS, "text", "bytes", 0.0, 5, 0, 100,
                false, false, "p", 7, null);
        Manifest m = new PrepareCorpus(cfg, ByteTokenizer.source(1)).run(spark);
        assertEquals(3, m.reconciliation().documentsWritten());
        assertEquals(2, m.reconciliation().inputFiles());
        long expected = 3 + "one\ntwo".length() + "three".length() + "four".length();
        assertEquals(expected, m.totals().get("train").tokens());
        assertEquals((expected + 4) / 5, m.totals().get("train").shards());
    }

    @Test
    void fiftyMegabyteSingleLineIsSplitIntoPiecesNotDropped() throws IOException {
        Path in = tmp.resolve("big");
        Files.createDirectories(in);
        byte[] pattern = "abcdefghij".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(in.resolve("line.txt"))) {
            byte[] block = new byte[pattern.length * 100_000];
            for (int i = 0; i < block.length; i++) {
                block[i] = pattern[i % pattern.length];
            }
            for (int i = 0; i < 50; i++) {
                out.write(block);
            }
        }
        Manifest m = new PrepareCorpus(config(in, "big-out", InputFormat.TEXT_LINES, 20_000_000),
                ByteTokenizer.source(1)).run(spark);
        Reconciliation r = m.reconciliation();
        assertEquals(1, r.documentsRead());
        assertEquals(1, r.documentsWritten());
        assertEquals(1, r.documentsSplit());
        assertEquals(50, r.piecesWritten());
        assertEquals(50_000_000L + 50, m.totals().get("train").tokens());
        assertEquals(3, m.totals().get("train").shards());
        LlmcShardFile last = LlmcShardFile.read(tmp.resolve("big-out").resolve(m.shards().get(2).path()));
        assertEquals(10_000_050, last.count());
        assertEquals(1 + 'j', last.tokens()[last.count() - 1]);
    }
}
