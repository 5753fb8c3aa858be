package io.mosaspark.model.lm;

import io.mosaspark.model.attention.AttentionParams;
import io.mosaspark.model.config.ModelConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every parameter of the language model by canonical name (docs/model.md) with its shape, in the
 * order of the DL4J graph's flat parameter vector, computed from the config alone. A backend that
 * does not build the DL4J graph (the CUDA one) lays its parameters out by this, so checkpoints,
 * averaging and export see the same tensors whichever backend trained them. Rank-1 entries are the
 * LayerNorm gains and biases (no weight decay); everything else is a matrix.
 */
public final class LmParamShapes {

    private LmParamShapes() {
    }

    public static Map<String, long[]> of(ModelConfig model) {
        long v = model.vocabSize(), h = model.dModel(), ff = model.dFf();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(LmNames.canonical(LmNames.EMBEDDING, "weight"), new long[]{v, h});
        Map<String, long[]> attention = AttentionParams.shapes(model.attention());
        for (int i = 0; i < model.nLayers(); i++) {
            s.put(LmNames.canonical(LmNames.ln1(i), "weight"), new long[]{h});
            s.put(LmNames.canonical(LmNames.ln1(i), "bias"), new long[]{h});
            for (Map.Entry<String, long[]> e : attention.entrySet()) {
                s.put(LmNames.canonical(LmNames.attention(i), e.getKey()), e.getValue().clone());
            }
            s.put(LmNames.canonical(LmNames.ln2(i), "weight"), new long[]{h});
            s.put(LmNames.canonical(LmNames.ln2(i), "bias"), new long[]{h});
            s.put(LmNames.canonical(LmNames.mlp(i), "fc1.weight"), new long[]{ff, h});
            s.put(LmNames.canonical(LmNames.mlp(i), "fc2.weight"), new long[]{h, ff});
        }
        s.put(LmNames.canonical(LmNames.FINAL_NORM, "weight"), new long[]{h});
        s.put(LmNames.canonical(LmNames.FINAL_NORM, "bias"), new long[]{h});
        s.put(LmNames.canonical(LmNames.HEAD, "weight"), new long[]{v, h});
        return s;
    }

    /** Number of elements of a shape. */
    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Weight decay applies to matrices only, never to LayerNorm gains and biases (docs/model.md). */
    public static boolean decays(long[] shape) {
        return shape.length >= 2;
    }
}
