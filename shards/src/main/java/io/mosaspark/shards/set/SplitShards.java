package io.mosaspark.shards.set;

import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.shards.manifest.Split;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The shards of one split in manifest order, which is the order of its token stream. Small and
 * serialisable, so a driver validates the set once and ships this to the executors that read it.
 *
 * @param dir the shard set directory (any Hadoop URI); shard paths are relative to it
 */
public record SplitShards(String dir, Split split, List<ShardInfo> shards) implements Serializable {
    public SplitShards {
        shards = List.copyOf(shards);
    }

    public long tokens() {
        return shards.stream().mapToLong(ShardInfo::tokens).sum();
    }

    public Path path(int shard) {
        return new Path(new Path(dir), shards.get(shard).path());
    }

    /** "train split of DIR", for messages. */
    public String description() {
        return split.id() + " split of " + dir;
    }
}
