package io.mosaspark.prep.shard;

import io.mosaspark.shards.format.TokenWidth;
import java.io.Serializable;

/**
 * Where and how the shards of a split are written.
 *
 * @param dir         directory URI (the uncommitted output directory)
 * @param name        file name prefix
 * @param shardTokens tokens per shard; the last one holds the remainder
 */
public record ShardLayout(String dir, String name, long shardTokens, TokenWidth width, int eotToken)
        implements Serializable {
    /** Six digits in the file name. */
    public static final int MAX_SHARDS = 1_000_000;
}
