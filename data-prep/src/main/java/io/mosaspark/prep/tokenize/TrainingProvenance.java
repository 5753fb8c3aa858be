package io.mosaspark.prep.tokenize;

/**
 * How a tokenizer was trained, written to {@code tokenizer-meta.json}.
 *
 * @param input          what the documents were (e.g. the corpus path), as the caller named them
 * @param inputDocuments documents read
 * @param inputBytes     their UTF-8 bytes
 * @param distinctWords  distinct pre-tokenised words in the input
 * @param keptWords      words kept for the merges (at most {@code config.maxDistinctWords})
 * @param mergesLearned  merges learned (may exceed the new tokens when two pairs spell the same bytes)
 * @param config         the resolved training configuration (its seed included)
 * @param trainedAt      ISO-8601 UTC time the training finished
 * @param codeVersion    version of this code
 * @param countSeconds   wall time of the distributed word count
 * @param mergeSeconds   wall time of the merges on the driver
 */
public record TrainingProvenance(String input, long inputDocuments, long inputBytes, long distinctWords,
                                 long keptWords, long mergesLearned, BpeTrainingConfig config, String trainedAt,
                                 String codeVersion, double countSeconds, double mergeSeconds) {
}
