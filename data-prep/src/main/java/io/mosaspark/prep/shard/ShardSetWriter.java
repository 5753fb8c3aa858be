package io.mosaspark.prep.shard;

import io.mosaspark.shards.format.ShardFormat;
import io.mosaspark.shards.format.ShardWriter;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.spark.SerializableHadoopConf;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Writes one split's tokenized documents as fixed-size shards, in the global order of their keys.
 * Documents span shard boundaries (as in llm.c's fineweb shards), so the bytes of every shard
 * depend only on the ordered token stream, never on partitioning:
 * per-partition token totals → global offsets → cut into (shard, offset) chunks →
 * one task per shard streams its chunks in order.
 */
public final class ShardSetWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSetWriter.class);

    private ShardSetWriter() {
    }

    /** @param ordered tokens of each document piece (EOT first), in global order: partition, then position */
    public static List<ShardInfo> write(JavaRDD<int[]> ordered, Split split, ShardLayout layout,
                                        SerializableHadoopConf conf) {
        JavaRDD<int[]> sorted = ordered.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            List<Long> partitionTokens = sorted.mapPartitions(ShardSetWriter::sumTokens).collect();
            long[] starts = new long[partitionTokens.size()];
            long total = 0;
            for (int p = 0; p < starts.length; p++) {
                starts[p] = total;
                total += partitionTokens.get(p);
            }
            if (total == 0) {
                LOG.warn("split {} has no documents: no shards written", split.id());
                return List.of();
            }
            long shardCount = (total + layout.shardTokens() - 1) / layout.shardTokens();
            if (shardCount > ShardLayout.MAX_SHARDS) {
                throw new IllegalArgumentException("split " + split.id() + " would need " + shardCount
                        + " shards (max " + ShardLayout.MAX_SHARDS + "): raise --shard-tokens");
            }
            LOG.info("split {}: {} tokens in {} shards of up to {} tokens", split.id(), total, shardCount,
                    layout.shardTokens());
            long grandTotal = total;
            List<ShardInfo> shards = sorted
                    .mapPartitionsWithIndex((p, it) -> cut(it, starts[p], layout.shardTokens()), true)
                    .mapToPair(t -> t)
                    .repartitionAndSortWithinPartitions(new ShardPartitioner((int) shardCount))
                    .mapPartitionsWithIndex((shard, it) -> List.of(writeShard(shard, it, split, layout,
                            grandTotal, conf)).iterator(), true)
                    .collect();
            removeAbandonedAttempts(layout, split, conf);
            return shards;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing the " + split.id() + " shards in " + layout.dir()
                    + ": " + e.getMessage(), e);
        } finally {
            sorted.unpersist(false);
        }
    }

    /**
     * Deletes the partial files of task attempts that died before their rename (a lost executor), so that
     * they are not committed with the shard set. The winning attempt of every shard has been renamed by now.
     */
    private static void removeAbandonedAttempts(ShardLayout layout, Split split, SerializableHadoopConf conf)
            throws IOException {
        Path pattern = new Path(layout.dir(), "." + ShardFormat.fileNamePrefix(layout.name(), split.id())
                + "*.attempt-*");
        FileSystem fs = pattern.getFileSystem(conf.get());
        FileStatus[] abandoned = fs.globStatus(pattern);
        for (FileStatus f : abandoned == null ? new FileStatus[0] : abandoned) {
            LOG.info("removing {}, left by a task attempt that did not finish", f.getPath());
            fs.delete(f.getPath(), false);
        }
    }

    private static Iterator<Long> sumTokens(Iterator<int[]> it) {
        long s = 0;
        while (it.hasNext()) {
            s += it.next().length;
        }
        return List.of(s).iterator();
    }

    /** Cuts each document at shard boundaries, lazily: (shard, offset in shard) → tokens. */
    private static Iterator<Tuple2<ChunkKey, int[]>> cut(Iterator<int[]> docs, long start,
                                                          long shardTokens) {
        return new Iterator<>() {
            private long global = start;
            private int[] tokens;
            private int pos;

            @Override
            public boolean hasNext() {
                while (tokens == null || pos == tokens.length) {
                    if (tokens != null) {
                        global += tokens.length;
                        tokens = null;
                    }
                    if (!docs.hasNext()) {
                        return false;
                    }
                    tokens = docs.next();
                    pos = 0;
                }
                return true;
            }

            @Override
            public Tuple2<ChunkKey, int[]> next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                long at = global + pos;
                int shard = (int) (at / shardTokens);
                long within = at % shardTokens;
                int n = (int) Math.min(tokens.length - pos, shardTokens - within);
                int[] chunk = (pos == 0 && n == tokens.length) ? tokens : Arrays.copyOfRange(tokens, pos, pos + n);
                pos += n;
                return new Tuple2<>(new ChunkKey(shard, within), chunk);
            }
        };
    }

    private static ShardInfo writeShard(int shard, Iterator<Tuple2<ChunkKey, int[]>> chunks, Split split,
                                        ShardLayout layout, long total, SerializableHadoopConf conf)
            throws IOException {
        long tokens = Math.min(layout.shardTokens(), total - shard * layout.shardTokens());
        String fileName = ShardFormat.fileName(layout.name(), split.id(), shard);
        Path target = new Path(layout.dir(), fileName);
        TaskContext task = TaskContext.get();
        Path attempt = new Path(layout.dir(), "." + fileName + ".attempt-"
                + (task == null ? 0 : task.taskAttemptId()));
        FileSystem fs = target.getFileSystem(conf.get());
        long t0 = System.nanoTime();
        ShardWriter.Written w;
        try (FSDataOutputStream out = fs.create(attempt, true);
             ShardWriter writer = new ShardWriter(out, target.toString(), layout.width(), tokens,
                     layout.eotToken())) {
            long expectedOffset = 0;
            while (chunks.hasNext()) {
                Tuple2<ChunkKey, int[]> c = chunks.next();
                if (c._1().shard() != shard || c._1().offset() != expectedOffset) {
                    throw new IllegalStateException(fileName + ": chunk " + c._1() + " out of order, expected offset "
                            + expectedOffset);
                }
                writer.write(c._2(), 0, c._2().length);
                expectedOffset += c._2().length;
            }
            w = writer.finish();
        }
        // A retried or speculative attempt may have got here first; its bytes are identical.
        fs.delete(target, false);
        if (!fs.rename(attempt, target)) {
            throw new IOException("could not rename " + attempt + " to " + target);
        }
        LOG.info("wrote {} ({} tokens, {} documents) in {} ms", target, w.tokens(), w.documents(),
                (System.nanoTime() - t0) / 1_000_000);
        return new ShardInfo(fileName, split.id(), w.tokens(), w.documents(), w.bytes(), w.sha256());
    }

    /** For Kryo registration: the chunk key travels through the shuffle. */
    public static Class<?> chunkKeyClass() {
        return ChunkKey.class;
    }

    /** Sort key of a chunk: shard then offset within the shard. */
    record ChunkKey(int shard, long offset) implements Comparable<ChunkKey>, Serializable {
        @Override
        public int compareTo(ChunkKey o) {
            return shard != o.shard ? Integer.compare(shard, o.shard) : Long.compare(offset, o.offset);
        }
    }

    /** Sends every chunk of shard k to partition k. */
    static final class ShardPartitioner extends Partitioner {
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return ((ChunkKey) key).shard();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ShardPartitioner p && p.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }
}
