package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.commit.OutputCommit;
import io.mosaspark.prep.inspect.ShardSetSummary;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.shards.set.ShardSetValidator;
import io.mosaspark.shards.set.ValidationReport;
import io.mosaspark.spark.SparkHadoopConf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job reading from and committing to S3 through S3A (hadoop-aws, as users run it) against a real S3
 * API server ({@link S3Server}): globbed gzip and plain inputs, a BPE tokenizer trained and saved on S3,
 * the rename-based commit (a copy on S3), and results byte-identical to the same run on the local disk.
 */
class S3aPrepareTest {
    static final String ROOT = "s3a://" + S3Server.BUCKET;
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static FileSystem s3;

    @BeforeAll
    static void corpus() throws IOException {
        spark = SharedSpark.session();
        // how users configure S3A: spark.hadoop.fs.s3a.* keys, which end up in this configuration
        S3Server.configure(spark.sparkContext().hadoopConfiguration());
        s3 = FileSystem.get(URI.create(ROOT), S3Server.configure(new Configuration()));
        Files.createDirectories(tmp.resolve("corpus"));
        for (String name : List.of("part-0.jsonl.gz", "part-1.jsonl")) {
            byte[] bytes = corpusFile(name);
            try (OutputStream out = s3.create(new org.apache.hadoop.fs.Path(ROOT + "/corpus/" + name), true)) {
                out.write(bytes);
            }
            Files.write(tmp.resolve("corpus").resolve(name), bytes);
        }
    }

    private static byte[] corpusFile(String name) throws IOException {
        StringBuilder text = new StringBuilder();
        if (name.endsWith(".gz")) {
            for (int i = 0; i < 300; i++) {
                text.append("{\"text\":\"Document ").append(i).append(": the river ").append(i % 7 == 0 ? "Ganges" : "Rhine")
                        .append(" flows past ").append(i * 31 % 97).append(" towns. Ünïcödé ✓\"}\n");
            }
            text.append("{\"text\":\"Document 0: the river Ganges flows past 0 towns. Ünïcödé ✓\"}\n"); // duplicate
            java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            return gz.toByteArray();
        }
        return "{\"text\":\"a plain object on S3\"}\n{broken json\n".getBytes(StandardCharsets.UTF_8);
    }

    private static PrepConfig config(String input, String output, boolean overwrite) {
        return new PrepConfig(List.of(input + "/part-*"), output, InputFormat.JSONL, "text", "train:400", 0.1, 2000,
                0, 1000, false, overwrite, "s3", 7, null);
    }

    @Test
    void prepareOnS3CommitsTheSameShardsAndTokenizerAsOnLocalDisk() throws IOException {
        Manifest onS3 = new PrepareCorpus(config(ROOT + "/corpus", ROOT + "/out/shards", false)).run(spark);
        Manifest local = new PrepareCorpus(config(tmp.resolve("corpus").toUri().toString(),
                tmp.resolve("out").toString(), false)).run(spark);

        assertEquals(303, onS3.reconciliation().documentsRead());
        assertEquals(301, onS3.reconciliation().documentsWritten());
        assertEquals(1, onS3.reconciliation().duplicates());
        assertEquals(1, onS3.reconciliation().rejected());
        assertEquals(local.reconciliation(), onS3.reconciliation());
        assertEquals(checksums(local), checksums(onS3), "shards on S3 and on local disk differ");
        assertEquals(local.tokenizer().sha256(), onS3.tokenizer().sha256(), "trained tokenizers differ");
        assertTrue(s3.exists(new org.apache.hadoop.fs.Path(ROOT + "/out/shards/_SUCCESS")));
        assertTrue(s3.exists(new org.apache.hadoop.fs.Path(ROOT + "/out/shards/tokenizer/tokenizer.json")));
        assertEquals(0, s3.listStatus(new org.apache.hadoop.fs.Path(ROOT + "/out"),
                p -> p.getName().contains("_temporary")).length, "no work directory left on S3");

        Configuration conf = S3Server.configure(new Configuration());
        ShardSet set = ShardSet.open(ROOT + "/out/shards", conf, true);
        assertEquals(onS3, set.manifest());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PrepareCorpus(config(ROOT + "/corpus", ROOT + "/out/shards", false)).run(spark));
        assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
        Manifest again = new PrepareCorpus(config(ROOT + "/corpus", ROOT + "/out/shards", true)).run(spark);
        assertEquals(checksums(onS3), checksums(again), "a rerun on S3 is byte-identical");
    }

    /** What `mosa inspect` and `mosa prepare`'s early output check do before any Spark context exists. */
    @Test
    void toolsRunBeforeSparkStartsTakeS3aSettingsFromSparkHadoopKeys() throws IOException {
        new PrepareCorpus(config(ROOT + "/corpus", ROOT + "/cli/shards", false)).run(spark);
        // Into a bucket no cached S3A client knows yet (Hadoop caches one FileSystem per bucket), so the
        // commands below must build their own from the settings they are given.
        String other = "s3a://" + S3Server.OTHER_BUCKET + "/shards";
        Configuration conf = S3Server.configure(new Configuration());
        try (FileSystem from = FileSystem.newInstance(URI.create(ROOT), conf);
             FileSystem to = FileSystem.newInstance(URI.create(other), conf)) {
            assertTrue(FileUtil.copy(from, new org.apache.hadoop.fs.Path(ROOT + "/cli/shards"), to,
                    new org.apache.hadoop.fs.Path(other), false, conf));
        }
        // what spark-submit --conf spark.hadoop.fs.s3a.endpoint=... does in the driver JVM
        Map<String, String> settings = new TreeMap<>(S3Server.s3aSettings());
        settings.put("fs.s3a.impl.disable.cache", "true");
        settings.forEach((k, v) -> System.setProperty("spark.hadoop." + k, v));
        try {
            Configuration fromSpark = SparkHadoopConf.from(new SparkConf());
            ValidationReport report = ShardSetValidator.validate(new org.apache.hadoop.fs.Path(other), fromSpark, true);
            assertTrue(report.valid(), report.problems().toString());
            StringWriter printed = new StringWriter();
            ShardSetSummary.print(report, 10, fromSpark, new PrintWriter(printed, true));
            assertTrue(printed.toString().contains("VALID") && printed.toString().contains("decoded (EOT removed)"),
                    printed.toString());

            IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> OutputCommit.checkAvailable(
                    other, false, SparkHadoopConf.from(new SparkConf())));
            assertTrue(exists.getMessage().contains("--overwrite"), exists.getMessage());
        } finally {
            settings.keySet().forEach(k -> System.clearProperty("spark.hadoop." + k));
        }
    }

    /** Shard name → sha256 (paths differ between filesystems, contents must not). */
    private static Map<String, String> checksums(Manifest m) {
        Map<String, String> byName = new TreeMap<>();
        for (ShardInfo s : m.shards()) {
            byName.put(s.path().substring(s.path().lastIndexOf('/') + 1), s.sha256());
        }
        assertTrue(byName.size() >= 2, byName.toString());
        return byName;
    }
}
