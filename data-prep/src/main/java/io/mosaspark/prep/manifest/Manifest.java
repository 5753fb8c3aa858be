package io.mosaspark.prep.manifest;

import io.mosaspark.prep.shard.ShardInfo;
import java.util.List;
import java.util.Map;

/**
 * manifest.json of a shard set: what the trainer and {@code mosa inspect} check the shards against.
 *
 * @param tokenDtype uint16 or uint32 (llm.c layout of every shard in the set)
 * @param totals     split id → sums over its shards
 */
public record Manifest(int formatVersion, String name, String tokenDtype, TokenizerInfo tokenizer,
                       List<ShardInfo> shards, Map<String, SplitTotals> totals, Reconciliation reconciliation,
                       Provenance provenance) {
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";
}
