package io.mosaspark.demo;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.SplittableRandom;

import static io.mosaspark.demo.RecallBatch.ANSWER;

/**
 * A synthetic associative-recall task that content-based sparse attention solves well: a sequence of
 * predictable (counting) filler tokens in which a few <em>facts</em> appear anywhere, followed at the end by queries
 * {@code key value} whose value can only be predicted by finding, far back, the fact about that key.
 * A fact is one token standing for a (key, value) pair, so one attention layer can do the recall: the
 * query's key must pick its fact out of the filler. Attention that selects the few fact and query tokens
 * (MoSA's router) has an easy job; for a dense head everything else is noise. With one key and one fact
 * it is a needle-in-a-haystack copy task.
 *
 * <p>Vocabulary: 0 = BOS, then {@code keys} key tokens, {@code values} value tokens, keys·values fact
 * tokens (one per pair), and every remaining id is filler. Each fact's value is drawn afresh per
 * sequence, so no key-to-value mapping can be memorised. One sequence has {@code seqLen + 1} tokens
 * (inputs are the first T, targets the last T). Batches are a pure function of (seed, step): the same
 * seed gives the same data to every model trained on it, in any order.
 *
 * @param vocabSize V, the model's vocabulary
 * @param seqLen    T
 * @param keys      distinct keys
 * @param values    distinct values; a model that ignores the facts has answer loss ≥ ln(values)
 * @param facts     facts per sequence (distinct keys)
 * @param queries   queries per sequence, each about a different fact
 * @param seed      data seed
 */
public record RecallTask(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("seq_len") int seqLen,
        @JsonProperty("keys") int keys,
        @JsonProperty("values") int values,
        @JsonProperty("facts") int facts,
        @JsonProperty("queries") int queries,
        @JsonProperty("seed") long seed) {

    static final int BOS = 0, FIRST_KEY = 1;
    private static final int MIN_FILLER = 2;

    public RecallTask {
        require(keys >= 1, "keys", keys, "must be >= 1");
        require(values >= 2, "values", values, "must be >= 2");
        require(facts >= 1 && facts <= keys, "facts", facts, "must be in [1, keys = " + keys + "]");
        require(queries >= 1 && queries <= facts, "queries", queries, "must be in [1, facts = " + facts + "]");
        long needed = FIRST_KEY + keys + values + (long) keys * values + MIN_FILLER;
        require(vocabSize >= needed, "vocab_size", vocabSize, "must be >= " + needed + " to hold BOS, " + keys + " keys, "
                + values + " values, " + keys + "·" + values + " facts and some filler; lower keys or values or raise vocab_size");
        int tokens = 1 + 2 * facts + 2 * queries; // BOS, facts with room between them, queries
        require(seqLen + 1 >= tokens, "seq_len", seqLen, "must be >= " + (tokens - 1) + " to hold " + facts
                + " facts and " + queries + " queries");
    }

    /**
     * The default of {@code mosa train-local}: a needle in a haystack, one fact (16 values) at a random place
     * among counting filler tokens, asked at the end: the case content-based selection solves best.
     * MoSA's router only has to rank the fact and the query above the filler (any margin
     * will do, top-k drops the rest), while a dense head must learn a key bias large enough to pull the
     * one fact out of a softmax over up to 128 tokens. Measured on the cpu-demo preset, seeds 1–5, 400
     * steps, the IsoFLOP MoSA hybrid learns it first on every seed (see the README); with 4 facts (more
     * work for the attention's key matching, which both kinds of head need) the order varied by seed.
     */
    public static RecallTask forModel(int vocabSize, int seqLen, long seed) {
        return new RecallTask(vocabSize, seqLen, 1, defaultValues(vocabSize, 1), 1, 1, seed);
    }

    /** 16 values, or as many as a small vocabulary leaves room for next to {@code keys} keys and some filler. */
    public static int defaultValues(int vocabSize, int keys) {
        return Math.max(2, Math.min(16, (vocabSize - FIRST_KEY - keys - MIN_FILLER) / (keys + 1)));
    }

    int firstValue() {
        return FIRST_KEY + keys;
    }

    int firstFact() {
        return firstValue() + values;
    }

    int firstFiller() {
        return firstFact() + keys * values;
    }

    /** The answer loss of a model that knows the value tokens but not which one: ln(values). */
    public double chanceAnswerLoss() {
        return Math.log(values);
    }

    /** Training batch number {@code step} of {@code batchSize} sequences; deterministic in (seed, step). */
    public RecallBatch batch(long step, int batchSize) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        return generate(step, batchSize);
    }

    /** A batch for evaluation, from a stream no training step draws from. */
    public RecallBatch heldOut(int batchSize) {
        return generate(-1, batchSize);
    }

    private RecallBatch generate(long stream, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        // One independent stream per step: step s's data does not depend on how many steps ran before.
        SplittableRandom rng = new SplittableRandom(seed).split();
        rng = new SplittableRandom(rng.nextLong() ^ (0x9E3779B97F4A7C15L * (stream + 2)));
        int[][] tokens = new int[batchSize][];
        byte[][] roles = new byte[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            tokens[b] = new int[seqLen + 1];
            roles[b] = new byte[seqLen];
            fill(rng, tokens[b], roles[b]);
        }
        return new RecallBatch(tokens, roles);
    }

    /** One sequence: filler, facts at random positions of the context, queries at the end. */
    private void fill(SplittableRandom rng, int[] seq, byte[] roles) {
        // Counting filler (each filler id is the previous position's plus one, cyclically, from a random
        // start): a model learns it in a few dozen steps, after which the filler's loss and gradient vanish
        // and training is driven by the answers. Uniformly random filler would leave ln(fillers) nats of
        // irreducible loss at every position, whose gradient noise drowns the few answer positions.
        int fillerCount = vocabSize - firstFiller();
        int start = rng.nextInt(fillerCount);
        for (int i = 1; i < seq.length; i++) seq[i] = firstFiller() + (start + i) % fillerCount;
        seq[0] = BOS;

        int[] keyOrder = shuffled(rng, keys, keys);
        int contextEnd = seq.length - 2 * queries;          // facts live in [1, contextEnd)
        int[] at = shuffled(rng, contextEnd - 1, facts);
        int[] value = new int[facts];
        for (int f = 0; f < facts; f++) {
            value[f] = rng.nextInt(values);                 // drawn per fact: only this sequence tells it
            seq[1 + at[f]] = firstFact() + keyOrder[f] * values + value[f];
        }
        int[] asked = shuffled(rng, facts, queries);
        for (int q = 0; q < queries; q++) {
            int pos = contextEnd + 2 * q;
            seq[pos] = FIRST_KEY + keyOrder[asked[q]];
            seq[pos + 1] = firstValue() + value[asked[q]];
            roles[pos] = ANSWER;                            // input position whose target is the value
        }
    }

    /** The first {@code take} entries of a random permutation of 0 … n−1 (partial Fisher–Yates). */
    private static int[] shuffled(SplittableRandom rng, int n, int take) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = 0; i < take; i++) {
            int j = i + rng.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return java.util.Arrays.copyOf(a, take);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException("recall task " + key + " = " + value + ": " + rule);
    }
}
