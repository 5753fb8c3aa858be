package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.inspect.ShardSetSummary;
import io.mosaspark.prep.read.InputFormat;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSpec;
import io.mosaspark.shards.format.ShardReader;
import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.shards.set.ShardSetValidator;
import io.mosaspark.shards.window.WindowCursor;
import io.mosaspark.shards.window.WindowPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job reading from and committing to a real HDFS (MiniDFSCluster), with the real r50k_base tokenizer. */
class HdfsPrepareTest {
    static String hdfs;
    static FileSystem fs;

    @BeforeAll
    static void startHdfs() throws IOException {
        fs = MiniHdfs.fs();
        hdfs = fs.getUri().toString();
        try (OutputStream out = new GZIPOutputStream(fs.create(new org.apache.hadoop.fs.Path("/corpus/part-0.jsonl.gz")))) {
            for (int i = 0; i < 200; i++) {
                out.write(("{\"text\":\"Hello world number " + i + ". The quick brown fox.\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            out.write("{\"text\":\"Hello world number 0. The quick brown fox.\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/corpus/part-1.jsonl"))) {
            out.write("{\"text\":\"plain file on hdfs\"}\nnot json\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int[] concatenated(ShardSet set, Configuration conf) throws IOException {
        java.util.stream.IntStream.Builder all = java.util.stream.IntStream.builder();
        for (org.apache.hadoop.fs.Path shard : set.shards(Split.TRAIN)) {
            try (ShardReader r = ShardReader.open(shard, conf)) {
                int[] tokens = new int[r.tokenCount()];
                r.read(0, tokens);
                Arrays.stream(tokens).forEach(all::add);
            }
        }
        return all.build().toArray();
    }

    @Test
    void prepareOnHdfsCommitsAValidShardSetTheTrainerCanOpen() throws IOException {
        PrepConfig cfg = new PrepConfig(List.of(hdfs + "/corpus/part-*"), hdfs + "/out/shards", InputFormat.JSONL,
                "text", "r50k_base", 0.1, 1000, 0, 1000, false, false, "web", 1337, null);
        Manifest m = new PrepareCorpus(cfg).run(SharedSpark.session());
        assertEquals(203, m.reconciliation().documentsRead());
        assertEquals(201, m.reconciliation().documentsWritten());
        assertEquals(1, m.reconciliation().duplicates());
        assertEquals(1, m.reconciliation().rejected());
        assertEquals("r50k_base", m.tokenizer().type());
        assertEquals(50256, m.tokenizer().eotToken());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/out/shards/_SUCCESS")));

        Configuration conf = new Configuration();
        ShardSet set = ShardSet.open(hdfs + "/out/shards", conf, true);
        assertEquals(m, set.manifest());
        TextTokenizer r50k = TokenizerSpec.parse("r50k_base").load();
        try (ShardReader r = ShardReader.open(set.shards(Split.TRAIN).get(0), conf)) {
            int[] head = new int[40];
            r.read(0, head);
            assertEquals(50256, head[0]);
            int next = 1;
            while (head[next] != 50256) {
                next++;
            }
            String doc = r50k.decode(Arrays.copyOfRange(head, 1, next));
            assertTrue(doc.matches("(Hello world number \\d+\\. The quick brown fox\\.|plain file on hdfs)"), doc);
        }

        // what `mosa inspect` prints, with a sample decoded from HDFS
        StringWriter printed = new StringWriter();
        ShardSetSummary.print(ShardSetValidator.validate(set.dir(), conf, true), 20, conf, new PrintWriter(printed, true));
        assertTrue(printed.toString().contains("VALID") && printed.toString().contains("decoded (EOT removed): "),
                printed.toString());

        // the trainer's windows, read through HDFS, are slices of the split's concatenated stream
        int[] stream = concatenated(set, conf);
        WindowPlan plan = new WindowPlan(set.split(Split.TRAIN), 33, 2, 5);
        try (WindowCursor cursor = WindowCursor.open(plan, 1, conf)) {
            for (int[] w : cursor.nextBatch(4)) {
                boolean found = false;
                for (long k = 0; k < plan.windows() && !found; k++) {
                    found = Arrays.equals(w, Arrays.copyOfRange(stream, (int) k * 32, (int) k * 32 + 33));
                }
                assertTrue(found, "window " + Arrays.toString(w) + " is no slice of the train stream");
            }
        }

        // a corrupted shard is refused, naming the file
        org.apache.hadoop.fs.Path shard = set.shards(Split.TRAIN).get(0);
        byte[] bytes;
        try (var in = fs.open(shard)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length - 1] ^= 1;
        try (var out = fs.create(shard, true)) {
            out.write(bytes);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardSet.open(hdfs + "/out/shards", conf, true));
        assertTrue(e.getMessage().contains(shard.getName()) && e.getMessage().contains("sha256"), e.getMessage());
    }
}
