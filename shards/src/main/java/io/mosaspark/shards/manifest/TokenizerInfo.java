package io.mosaspark.shards.manifest;

/**
 * The tokenizer a shard set was made with.
 *
 * @param path   tokenizer directory relative to the shard set (trained or copied), or null for a
 *               pretrained encoding named by {@code type}
 * @param sha256 hash of the tokenizer's defining files
 */
public record TokenizerInfo(String path, String type, int vocabSize, int eotToken, String sha256) {
}
