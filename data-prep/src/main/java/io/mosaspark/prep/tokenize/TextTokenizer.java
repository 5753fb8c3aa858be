package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What the prep job needs from a tokenizer. Instances are not serialisable (JTokkit's encodings
 * are not): executors rebuild them from a {@link TokenizerSpec}.
 */
public interface TextTokenizer {

    /**
     * Token ids of {@code text}, special tokens in the text treated as ordinary text. Lone UTF-16
     * surrogates (which have no UTF-8 form) are encoded as U+FFFD, so for such input
     * {@code decode(encode(text))} returns the text with each lone surrogate replaced by U+FFFD.
     */
    int[] encode(String text);

    /** Exact inverse of {@link #encode} for byte-level BPE. */
    String decode(int[] tokens);

    /**
     * The bytes the tokens stand for. Unlike {@link #decode} this is exact for any token
     * sequence, including one cut in the middle of a multi-byte character.
     */
    default byte[] decodeBytes(int[] tokens) {
        return decode(tokens).getBytes(UTF_8);
    }

    /** Ids are in [0, vocabSize). */
    int vocabSize();

    /** The end-of-text id written before every document. */
    int eotToken();

    /** A short name for manifests: "bpe", "r50k_base", "cl100k_base", "o200k_base". */
    String type();
}
