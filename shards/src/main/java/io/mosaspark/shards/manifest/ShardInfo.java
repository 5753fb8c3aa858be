package io.mosaspark.shards.manifest;

import java.io.Serializable;

/**
 * One written shard as the manifest lists it.
 *
 * @param path      file name relative to the shard set directory
 * @param documents documents (pieces) starting in this shard = its EOT tokens
 */
public record ShardInfo(String path, String split, long tokens, long documents, long bytes, String sha256)
        implements Serializable {
}
