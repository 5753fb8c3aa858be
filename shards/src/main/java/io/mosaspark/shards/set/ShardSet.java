package io.mosaspark.shards.set;

import io.mosaspark.shards.manifest.Manifest;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A validated shard set, as the trainer opens it before any Spark work: committed, manifest consistent,
 * every listed shard present with the header, size and token count the manifest says (and, with
 * {@code full}, the SHA-256, EOT count and token range).
 */
public final class ShardSet {
    /** Written last by the job that made the set; readers refuse a directory without it. */
    public static final String COMMIT_MARKER = "_SUCCESS";

    private final Path dir;
    private final Manifest manifest;

    private ShardSet(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * @param full also stream every shard for its checksum (reads the whole set; the quick check reads headers)
     * @throws InvalidShardSetException listing every problem, each naming its file, and the fix
     */
    public static ShardSet open(String dir, Configuration conf, boolean full) throws IOException {
        Path path = new Path(dir);
        ValidationReport report = ShardSetValidator.validate(path, conf, full);
        if (!report.valid()) {
            throw new InvalidShardSetException(dir, report.problems());
        }
        return new ShardSet(path, report.manifest());
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The shards of a split in stream order, as the window cursor and executors take them. */
    public SplitShards split(Split split) {
        return new SplitShards(dir.toString(), split, shardInfos(split));
    }

    /** Shard paths of a split in order. */
    public List<Path> shards(Split split) {
        return shardInfos(split).stream().map(s -> new Path(dir, s.path())).toList();
    }

    public List<ShardInfo> shardInfos(Split split) {
        return manifest.shards().stream().filter(s -> s.split().equals(split.id())).toList();
    }

    public int vocabSize() {
        return manifest.tokenizer().vocabSize();
    }

    public int eotToken() {
        return manifest.tokenizer().eotToken();
    }

    /** The tokenizer directory inside the set, or null for a pretrained encoding. */
    public Path tokenizerDir() {
        return manifest.tokenizer().path() == null ? null : new Path(dir, manifest.tokenizer().path());
    }
}
