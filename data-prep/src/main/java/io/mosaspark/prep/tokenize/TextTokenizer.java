package io.mosaspark.prep.tokenize;

/**
 * What the prep job needs from a tokenizer. Instances are not serialisable (JTokkit's encodings
 * are not): executors rebuild them from a {@link TokenizerSpec}.
 */
public interface TextTokenizer {

    /** Token ids of {@code text}, special tokens in the text treated as ordinary text. */
    int[] encode(String text);

    /** Exact inverse of {@link #encode} for byte-level BPE. */
    String decode(int[] tokens);

    /** Ids are in [0, vocabSize). */
    int vocabSize();

    /** The end-of-text id written before every document. */
    int eotToken();

    /** A short name for manifests: "bpe", "r50k_base", "cl100k_base", "o200k_base". */
    String type();
}
