package io.mosaspark.prep.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.ByteTokenizer;
import io.mosaspark.prep.SharedSpark;
import io.mosaspark.prep.clean.CleanedRecord;
import io.mosaspark.prep.clean.ContentHash;
import io.mosaspark.prep.split.HashSplit;
import io.mosaspark.prep.tokenize.TokenizerLoader;
import io.mosaspark.shards.format.TokenWidth;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.spark.SerializableHadoopConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shard bytes depend on the documents and the seed only: not on their order or partitioning. */
class ShardSetWriterTest {
    @TempDir
    Path tmp;

    private static List<CleanedRecord> documents() {
        List<CleanedRecord> docs = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 60; i++) {
            String text = "document " + i + " " + "x".repeat(random.nextInt(50));
            docs.add(new CleanedRecord(0, "f", i, CleanedRecord.Outcome.KEPT, text, ContentHash.sha256Hex(text), 0,
                    null, null));
        }
        return docs;
    }

    private List<ShardInfo> write(List<CleanedRecord> docs, int partitions, String dir) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        Files.createDirectories(tmp.resolve(dir));
        // what an executor lost mid-write leaves: a partial attempt file that was never renamed
        Files.writeString(tmp.resolve(dir).resolve(".t_train_000001.bin.attempt-41"), "partial");
        TokenizerLoader loader = () -> new ByteTokenizer(1);
        ShardLayout layout = new ShardLayout(tmp.resolve(dir).toUri().toString(), "t", 97, TokenWidth.UINT16, 0);
        return ShardSetWriter.write(PieceTokenizer.tokenizeInOrder(jsc.parallelize(docs, partitions),
                new HashSplit(0.0, 99), 20, loader), Split.TRAIN, layout, new SerializableHadoopConf(new Configuration()));
    }

    @Test
    void sameDocumentsInAnyOrderAndPartitioningGiveIdenticalShards() throws IOException {
        List<CleanedRecord> docs = documents();
        List<ShardInfo> one = write(docs, 1, "one");
        List<CleanedRecord> shuffled = new ArrayList<>(docs);
        Collections.shuffle(shuffled, new Random(1));
        List<ShardInfo> five = write(shuffled, 5, "five");
        assertEquals(one, five);
        assertTrue(one.size() > 3, "several shards: " + one.size());
        long pieces = docs.stream().mapToLong(d -> PieceTokenizer.pieceCount(d.text(), 20)).sum();
        assertEquals(pieces, one.stream().mapToLong(ShardInfo::documents).sum());
        for (int i = 0; i < one.size() - 1; i++) {
            assertEquals(97, one.get(i).tokens());
        }
        try (Stream<Path> files = Files.list(tmp.resolve("one"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted()
                    .toList();
            assertEquals(one.stream().map(ShardInfo::path).sorted().toList(), names,
                    "only the shards: abandoned attempt files are removed");
        }
    }
}
