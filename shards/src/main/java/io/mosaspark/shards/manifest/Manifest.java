package io.mosaspark.shards.manifest;

import io.mosaspark.provenance.Provenance;
import java.util.List;
import java.util.Map;

/**
 * manifest.json of a shard set: what the trainer and {@code mosa inspect} check the shards against.
 *
 * @param formatVersion layout of the file: {@link #FORMAT_VERSION} when written; version-1 files (before the
 *                      shared provenance record) are read into this shape by {@link ManifestJson#read}
 * @param tokenDtype    uint16 or uint32 (llm.c layout of every shard in the set)
 * @param shardTokens   tokens in every shard of a split except its last, which holds the rest
 * @param totals        split id → sums over its shards
 * @param provenance    how the set was made: artifact {@value #ARTIFACT}, the prepare configuration, the
 *                      inputs with their bytes and listing hash, the code version, machine and start time
 */
public record Manifest(int formatVersion, String name, String tokenDtype, long shardTokens, TokenizerInfo tokenizer,
                       List<ShardInfo> shards, Map<String, SplitTotals> totals, Reconciliation reconciliation,
                       Provenance provenance) {
    public static final int FORMAT_VERSION = 2;
    /** The oldest layout this build still reads. */
    public static final int OLDEST_READABLE_VERSION = 1;
    public static final String ARTIFACT = "shard-set";
    public static final String FILE_NAME = "manifest.json";

    public static boolean readable(int formatVersion) {
        return formatVersion >= OLDEST_READABLE_VERSION && formatVersion <= FORMAT_VERSION;
    }
}
