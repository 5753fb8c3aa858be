package io.mosaspark.prep.inspect;

import io.mosaspark.prep.manifest.Manifest;
import io.mosaspark.prep.shard.ShardInfo;
import io.mosaspark.prep.split.Split;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A validated shard set, as the trainer opens it: committed, manifest consistent, every shard's
 * header and size checked (checksums only with {@code full}).
 */
public final class ShardSet {
    private final Path dir;
    private final Manifest manifest;

    private ShardSet(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** @throws IllegalArgumentException listing every problem when the set is invalid */
    public static ShardSet open(String dir, Configuration conf, boolean full) throws IOException {
        Path path = new Path(dir);
        ValidationReport report = ShardSetValidator.validate(path, conf, full);
        if (!report.valid()) {
            throw new IllegalArgumentException("invalid shard set " + dir + ":\n  - "
                    + String.join("\n  - ", report.problems()) + "\n(re-run `mosa prepare` to regenerate it)");
        }
        return new ShardSet(path, report.manifest());
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Shard paths of a split in order. */
    public List<Path> shards(Split split) {
        return manifest.shards().stream().filter(s -> s.split().equals(split.id()))
                .map(s -> new Path(dir, s.path())).toList();
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
