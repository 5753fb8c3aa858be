package io.mosaspark.prep.tokenize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The driver half of BPE training: learns merges over a word-count table.
 *
 * <p>The classic incremental algorithm: a count per adjacent pair (weighted by word frequency), an
 * index from each pair to the words containing it, and a max-heap of pairs with lazy invalidation
 * (an entry is stale when its count no longer matches the table; every change pushes a fresh one).
 * A merge touches only the words holding its pair. Ties in count go to the pair whose left token's
 * bytes, then right token's bytes, are lexicographically smallest (unsigned), so the result does not
 * depend on the order of the words.
 *
 * <p>Hand-written because no maintained JVM library trains BPE; the encoder is JTokkit's.
 */
final class BpeMerger {

    private final int[][] words;        // each word as token ids, re-spelled after every merge
    private final long[] counts;        // occurrences of each word in the corpus
    private final List<byte[]> tokens = new ArrayList<>();
    private final Map<ByteBuffer, Integer> idOfBytes = new HashMap<>();
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, IntList> wordsWithPair = new HashMap<>();  // may hold stale word ids
    private final PriorityQueue<Candidate> heap = new PriorityQueue<>(this::compareCandidates);
    private final List<BpeMerge> merges = new ArrayList<>();

    /** @param wordBytes distinct pre-tokenised words (UTF-8); @param counts their frequencies */
    BpeMerger(byte[][] wordBytes, long[] counts) {
        if (wordBytes.length != counts.length) {
            throw new IllegalArgumentException(wordBytes.length + " words but " + counts.length + " counts");
        }
        for (int b = 0; b < 256; b++) {
            addToken(new byte[] {(byte) b});
        }
        this.words = new int[wordBytes.length][];
        this.counts = counts.clone();
        for (int w = 0; w < wordBytes.length; w++) {
            int[] symbols = new int[wordBytes[w].length];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = wordBytes[w][i] & 0xFF;
            }
            words[w] = symbols;
            for (int i = 0; i + 1 < symbols.length; i++) {
                long pair = pair(symbols[i], symbols[i + 1]);
                pairCounts.merge(pair, counts[w], Long::sum);
                wordsWithPair.computeIfAbsent(pair, p -> new IntList()).add(w);
            }
        }
        pairCounts.forEach((pair, count) -> heap.add(new Candidate(pair, count)));
    }

    /**
     * Learns merges until {@code target} of them produced new tokens, or no pair is seen at least
     * {@code minPairFrequency} times. Returns the number of new tokens.
     */
    int run(int target, long minPairFrequency) {
        int created = 0;
        int step = 0;
        int[] visitedAt = new int[words.length];
        Arrays.fill(visitedAt, -1);
        while (created < target) {
            Candidate best = pollCurrent();
            if (best == null || best.count < minPairFrequency) {
                break;
            }
            int left = left(best.pair);
            int right = right(best.pair);
            byte[] bytes = concat(tokens.get(left), tokens.get(right));
            Integer existing = idOfBytes.get(ByteBuffer.wrap(bytes));
            int result = existing != null ? existing : addToken(bytes);
            if (existing == null) {
                created++;
            }
            merges.add(new BpeMerge(left, right, result));
            applyMerge(best.pair, left, right, result, step, visitedAt);
            step++;
        }
        return created;
    }

    private void applyMerge(long merged, int left, int right, int result, int step, int[] visitedAt) {
        Map<Long, Long> deltas = new HashMap<>();
        IntList holders = wordsWithPair.remove(merged);
        for (int k = 0; k < holders.size(); k++) {
            int w = holders.get(k);
            if (visitedAt[w] == step) {
                continue;
            }
            visitedAt[w] = step;
            int[] old = words[w];
            int[] merged1 = mergeIn(old, left, right, result);
            if (merged1 == old) {
                continue; // stale index entry: an earlier merge already consumed the pair here
            }
            long count = counts[w];
            for (int i = 0; i + 1 < old.length; i++) {
                deltas.merge(pair(old[i], old[i + 1]), -count, Long::sum);
            }
            for (int i = 0; i + 1 < merged1.length; i++) {
                long pair = pair(merged1[i], merged1[i + 1]);
                deltas.merge(pair, count, Long::sum);
                if (merged1[i] == result || merged1[i + 1] == result) {
                    wordsWithPair.computeIfAbsent(pair, p -> new IntList()).add(w);
                }
            }
            words[w] = merged1;
        }
        deltas.forEach((pair, delta) -> {
            if (delta != 0) {
                long now = pairCounts.merge(pair, delta, Long::sum);
                if (now == 0) {
                    pairCounts.remove(pair);
                } else {
                    heap.add(new Candidate(pair, now));
                }
            }
        });
        pairCounts.remove(merged);
    }

    /** {@code symbols} with every non-overlapping (left, right), scanned left to right, replaced. */
    private static int[] mergeIn(int[] symbols, int left, int right, int result) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                if (out == null) {
                    out = new int[symbols.length - 1];
                    System.arraycopy(symbols, 0, out, 0, i);
                    n = i;
                }
                out[n++] = result;
                i++;
            } else if (out != null) {
                out[n++] = symbols[i];
            }
        }
        return out == null ? symbols : Arrays.copyOf(out, n);
    }

    private Candidate pollCurrent() {
        Candidate top;
        while ((top = heap.poll()) != null) {
            Long current = pairCounts.get(top.pair);
            if (current != null && current == top.count) {
                return top;
            }
        }
        return null;
    }

    private int compareCandidates(Candidate a, Candidate b) {
        if (a.count != b.count) {
            return Long.compare(b.count, a.count);
        }
        int byLeft = Arrays.compareUnsigned(tokens.get(left(a.pair)), tokens.get(left(b.pair)));
        return byLeft != 0 ? byLeft : Arrays.compareUnsigned(tokens.get(right(a.pair)), tokens.get(right(b.pair)));
    }

    private int addToken(byte[] bytes) {
        int id = tokens.size();
        tokens.add(bytes);
        idOfBytes.put(ByteBuffer.wrap(bytes), id);
        return id;
    }

    /** Token bytes by id: the 256 single bytes, then the merged tokens in the order they were learned. */
    List<byte[]> tokens() {
        return List.copyOf(tokens);
    }

    List<BpeMerge> merges() {
        return List.copyOf(merges);
    }

    /** Word {@code w} as the trainer spelled it after the last merge. */
    int[] spelling(int w) {
        return words[w].clone();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int left(long pair) {
        return (int) (pair >>> 32);
    }

    private static int right(long pair) {
        return (int) pair;
    }

    private record Candidate(long pair, long count) {
    }

    /** A growable int array: the pair index holds millions of word ids, boxed lists would triple that. */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }
}
