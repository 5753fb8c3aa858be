package io.mosaspark.prep.synthetic;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic, text-like documents for benchmarks and tests when no corpus is given: words drawn
 * from a Zipf law over a synthetic lexicon (frequent words short, as in natural language), with
 * capitalised sentences, punctuation, numbers, some accented and non-Latin words, and paragraphs.
 * Document {@code i} depends only on the seed and {@code i}, so any partitioning yields the same corpus.
 */
public final class ZipfText implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final String[] SYLLABLES = {
        "the", "an", "of", "to", "in", "re", "con", "ing", "er", "al", "ma", "ti", "on", "es", "de", "pro",
        "ex", "ly", "ed", "com", "per", "sta", "tion", "ver", "qui", "mo", "la", "ne", "ri", "so", "be", "ca",
        "für", "é", "ña", "ström", "数", "据", "мир", "да",
    };
    private static final String[] PUNCTUATION = {".", ".", ".", ",", ",", ",", ";", ":", "!", "?", " -", "'s"};

    private final long seed;
    private final double[] cumulative; // cumulative Zipf probabilities over word ranks

    /** @param lexiconSize distinct words; @param exponent the Zipf exponent (about 1 for English) */
    public ZipfText(long seed, int lexiconSize, double exponent) {
        if (lexiconSize < 1) {
            throw new IllegalArgumentException("lexicon size must be >= 1, got " + lexiconSize);
        }
        this.seed = seed;
        this.cumulative = new double[lexiconSize];
        double sum = 0;
        for (int r = 0; r < lexiconSize; r++) {
            sum += 1.0 / Math.pow(r + 1, exponent);
            cumulative[r] = sum;
        }
        for (int r = 0; r < lexiconSize; r++) {
            cumulative[r] /= sum;
        }
    }

    /** 50,000 words, exponent 1.07. */
    public static ZipfText english(long seed) {
        return new ZipfText(seed, 50_000, 1.07);
    }

    /** Document {@code index}, about {@code approxChars} characters long. */
    public String document(long index, int approxChars) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        StringBuilder doc = new StringBuilder(approxChars + 64);
        boolean sentenceStart = true;
        while (doc.length() < approxChars) {
            if (random.nextInt(40) == 0) {
                doc.append(random.nextInt(10) == 0 ? random.nextInt(1_000_000) : random.nextInt(2030));
            } else {
                String word = word(rank(random.nextDouble()));
                doc.append(sentenceStart ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            }
            sentenceStart = false;
            int p = random.nextInt(100);
            if (p < 12) {
                String mark = PUNCTUATION[random.nextInt(PUNCTUATION.length)];
                doc.append(mark);
                sentenceStart = mark.equals(".") || mark.equals("!") || mark.equals("?");
            }
            doc.append(random.nextInt(60) == 0 ? "\n\n" : " ");
        }
        return doc.toString().strip();
    }

    private int rank(double u) {
        int i = Arrays.binarySearch(cumulative, u);
        return Math.min(i >= 0 ? i : -i - 1, cumulative.length - 1);
    }

    /** The word of a rank: frequent ranks get fewer syllables. */
    static String word(int rank) {
        SplittableRandom random = new SplittableRandom(0x5DEECE66DL ^ rank);
        int syllables = 1 + (rank < 100 ? 0 : rank < 2000 ? 1 : 1 + random.nextInt(3));
        StringBuilder word = new StringBuilder();
        for (int s = 0; s < syllables; s++) {
            // Latin syllables dominate; the last 8 (accented, CJK, Cyrillic) are rarer.
            int pick = random.nextInt(10) == 0 ? random.nextInt(SYLLABLES.length) : random.nextInt(SYLLABLES.length - 8);
            word.append(SYLLABLES[pick]);
        }
        return word.toString();
    }
}
