package io.mosaspark.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which data a run trains on, as checkpoints record it: a resume must read the same shard set.
 *
 * @param source         where the shard set is (its URI)
 * @param manifestSha256 SHA-256 of its manifest.json: equal hashes, equal shards
 * @param tokenizer      the tokenizer the shards were made with (the manifest's record of it)
 */
public record DataIdentity(@JsonProperty("source") String source,
                           @JsonProperty("manifest_sha256") String manifestSha256,
                           @JsonProperty("tokenizer") JsonNode tokenizer) {
}
