package io.mosaspark.model.generate;

import io.mosaspark.model.config.ModelConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Autoregressive generation with a trained LM, one full forward pass per token over the current
 * prefix, cut to its last {@code seq_len} tokens. Each pass is an ordinary input of length T to the
 * model, so every sparse head selects k = clamp(⌊T/ρ⌋, 2, T) tokens of that prefix (docs/model.md,
 * "Inference and generation"). There is no KV cache: a new token changes which tokens the sparse heads
 * select among the earlier ones, so their keys and values cannot simply be kept.
 */
public final class Generator {
    private final ComputationGraph graph;
    private final ModelConfig config;
    private final DataType dataType;
    private final int drawable;

    /**
     * @param drawable ids below this may be generated: the tokenizer's vocabulary, which may be smaller
     *                 than the model's (a run may set vocab_size above it); the model's own size otherwise
     */
    public Generator(ComputationGraph graph, ModelConfig config, int drawable) {
        if (drawable < 1 || drawable > config.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer's vocabulary (" + drawable + " tokens) does not fit the model's "
                    + "vocab_size = " + config.vocabSize() + ": use the tokenizer the model was trained with");
        }
        this.graph = graph;
        this.config = config;
        this.dataType = graph.params().dataType();
        this.drawable = drawable;
    }

    /** The context the model sees for {@code tokens}: the last seq_len of them. */
    public int[] context(int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("an empty prefix has no next token: start from end-of-text");
        return tokens.length <= config.seqLen() ? tokens : Arrays.copyOfRange(tokens, tokens.length - config.seqLen(), tokens.length);
    }

    /** Logits over the vocabulary for the token after {@code tokens} (their last seq_len). */
    public float[] nextLogits(int[] tokens) {
        int[] ctx = context(tokens);
        for (int i = 0; i < ctx.length; i++) {
            if (ctx[i] < 0 || ctx[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token " + ctx[i] + " is outside the model's vocabulary [0, "
                        + config.vocabSize() + ")");
            }
        }
        INDArray input = Nd4j.createFromArray(new int[][] {ctx}).castTo(dataType);           // [1, T]
        INDArray logits = graph.outputSingle(input);                                          // [1, T, V]
        return logits.get(NDArrayIndex.point(0), NDArrayIndex.point(ctx.length - 1), NDArrayIndex.all())
                .castTo(DataType.FLOAT).toFloatVector();
    }

    /**
     * Up to {@code maxTokens} new tokens after {@code prompt}, each handed to {@code onToken} as soon as
     * it is drawn; stops early after {@code stopToken} (handed over too), or never when it is negative.
     */
    public int[] generate(int[] prompt, int maxTokens, Sampler sampler, int stopToken, IntConsumer onToken) {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens = " + maxTokens + ": must be >= 1");
        int[] tokens = Arrays.copyOf(prompt, prompt.length + maxTokens);
        int n = prompt.length, made = 0;
        while (made < maxTokens) {
            float[] logits = nextLogits(Arrays.copyOf(tokens, n));
            int next = sampler.next(logits.length > drawable ? Arrays.copyOf(logits, drawable) : logits);
            tokens[n++] = next;
            made++;
            onToken.accept(next);
            if (next == stopToken) break;
        }
        return Arrays.copyOfRange(tokens, prompt.length, n);
    }
}
