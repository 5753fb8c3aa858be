package io.mosaspark.prep.tokenize;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;

/**
 * How to train a byte-level BPE tokenizer.
 *
 * @param vocabSize        total ids: 256 bytes + merges + special tokens (the paper: 8k)
 * @param specialTokens    appended after the merges, in this order; must include {@code <|endoftext|>}
 * @param pattern          pre-tokenisation regex, or {@code gpt2} / {@code cl100k}. Default GPT-2's: it is
 *                         exactly Hugging Face's ByteLevel split, so tokenizer.json needs no custom regex
 * @param minPairFrequency a pair seen fewer times is never merged
 * @param seed             recorded in the provenance; training itself makes no random choice
 *                         (ties are broken by the tokens' bytes), so equal input gives equal output
 * @param maxDistinctWords the most frequent pre-tokenised words kept for the merges on the driver
 */
public record BpeTrainingConfig(int vocabSize, List<String> specialTokens, String pattern, long minPairFrequency,
                                long seed, int maxDistinctWords) implements Serializable {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final int DEFAULT_VOCAB_SIZE = 8000;
    public static final int MAX_VOCAB_SIZE = 1 << 20;
    public static final int DEFAULT_MAX_DISTINCT_WORDS = 1_000_000;

    public BpeTrainingConfig {
        if (specialTokens == null || !specialTokens.contains(END_OF_TEXT)) {
            throw new IllegalArgumentException("special_tokens: must include " + END_OF_TEXT + " (got " + specialTokens + ")");
        }
        specialTokens = List.copyOf(specialTokens);
        if (new HashSet<>(specialTokens).size() != specialTokens.size()) {
            throw new IllegalArgumentException("special_tokens: must be distinct (got " + specialTokens + ")");
        }
        for (String special : specialTokens) {
            // JTokkit recognises special tokens by these delimiters.
            if (special.length() < 5 || !special.startsWith("<|") || !special.endsWith("|>")) {
                throw new IllegalArgumentException("special_tokens: '" + special + "' must look like <|name|>");
            }
        }
        int minVocab = 256 + 1 + specialTokens.size();
        if (vocabSize < minVocab || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocab_size: must be in [" + minVocab + ", " + MAX_VOCAB_SIZE
                    + "] (256 bytes + at least one merge + " + specialTokens.size() + " special tokens), got " + vocabSize);
        }
        pattern = PreTokenizer.resolvePattern(pattern);
        PreTokenizer.compile(pattern);
        if (minPairFrequency < 1) {
            throw new IllegalArgumentException("min_pair_frequency: must be >= 1, got " + minPairFrequency);
        }
        if (maxDistinctWords < 1 || maxDistinctWords > 50_000_000) {
            throw new IllegalArgumentException("max_distinct_words: must be in [1, 50000000], got " + maxDistinctWords);
        }
    }

    /** 8000 ids, {@code <|endoftext|>}, GPT-2's split, pairs seen at least twice, seed 1337. */
    public static BpeTrainingConfig defaults() {
        return new BpeTrainingConfig(DEFAULT_VOCAB_SIZE, List.of(END_OF_TEXT), PreTokenizer.GPT2_PATTERN, 2, 1337,
                DEFAULT_MAX_DISTINCT_WORDS);
    }

    public BpeTrainingConfig withVocabSize(int newVocabSize) {
        return new BpeTrainingConfig(newVocabSize, specialTokens, pattern, minPairFrequency, seed, maxDistinctWords);
    }

    public BpeTrainingConfig withSpecialTokens(List<String> newSpecialTokens) {
        return new BpeTrainingConfig(vocabSize, newSpecialTokens, pattern, minPairFrequency, seed, maxDistinctWords);
    }

    public BpeTrainingConfig withPattern(String newPattern) {
        return new BpeTrainingConfig(vocabSize, specialTokens, newPattern, minPairFrequency, seed, maxDistinctWords);
    }

    public BpeTrainingConfig withMinPairFrequency(long newMinPairFrequency) {
        return new BpeTrainingConfig(vocabSize, specialTokens, pattern, newMinPairFrequency, seed, maxDistinctWords);
    }

    public BpeTrainingConfig withMaxDistinctWords(int newMaxDistinctWords) {
        return new BpeTrainingConfig(vocabSize, specialTokens, pattern, minPairFrequency, seed, newMaxDistinctWords);
    }

    /** Ids left for byte-pair merges once the 256 bytes and the special tokens are placed. */
    int mergeTarget() {
        return vocabSize - 256 - specialTokens.size();
    }
}
