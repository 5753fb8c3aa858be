package io.mosaspark.prep.tokenize;

/**
 * The pre-tokenised corpus as the driver sees it: the kept words with their frequencies, and
 * totals over the whole input (before the cap).
 *
 * @param words          kept distinct words, sorted (String order)
 * @param counts         occurrences of each kept word
 * @param documents      input documents
 * @param bytes          input UTF-8 bytes (lone surrogates counted as U+FFFD)
 * @param distinctWords  distinct words in the whole input; more than {@code words.length} if capped
 */
record WordCounts(String[] words, long[] counts, long documents, long bytes, long distinctWords) {

    WordCounts {
        if (words.length != counts.length) {
            throw new IllegalArgumentException(words.length + " words but " + counts.length + " counts");
        }
    }
}
