package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of one hybrid attention layer in the canonical (PyTorch) shapes of docs/model.md, so
 * that safetensors import and export is a plain copy. The same record carries their gradients.
 * Parts a configuration does not have are {@code null}.
 *
 * @param denseQkv [3h′Hd, h]; head e owns rows [e·3h′, (e+1)·3h′) as q | k | v
 * @param denseO   [h, h′Hd]
 * @param router   [Hm, h]; absent with fixed-stride selection
 * @param mosaQkv  [Hm, h, 3h′]; last axis q | k | v
 * @param mosaO    [Hm, h′, h]
 */
public record AttentionParams(INDArray denseQkv, INDArray denseO, INDArray router, INDArray mosaQkv, INDArray mosaO) {

    /** Canonical tensor names (docs/model.md, without the {@code blocks.{i}.attn.} prefix), in this record's order. */
    public static final String DENSE_QKV = "dense.qkv.weight";
    public static final String DENSE_O = "dense.o.weight";
    public static final String ROUTER = "mosa.router.weight";
    public static final String MOSA_QKV = "mosa.qkv";
    public static final String MOSA_O = "mosa.o";

    /** Canonical name → shape for every parameter {@code cfg} has, in canonical order. */
    public static Map<String, long[]> shapes(AttentionConfig cfg) {
        long h = cfg.dModel(), hd = cfg.headDim(), nd = cfg.denseHeads(), nm = cfg.mosaHeads();
        Map<String, long[]> s = new LinkedHashMap<>();
        if (nd > 0) {
            s.put(DENSE_QKV, new long[]{3 * hd * nd, h});
            s.put(DENSE_O, new long[]{h, hd * nd});
        }
        if (nm > 0) {
            if (cfg.selection() == AttentionConfig.Selection.EXPERT_CHOICE) s.put(ROUTER, new long[]{nm, h});
            s.put(MOSA_QKV, new long[]{nm, h, 3 * hd});
            s.put(MOSA_O, new long[]{nm, hd, h});
        }
        return s;
    }

    /** Builds the record from canonical names (missing names become {@code null}). */
    public static AttentionParams fromMap(Map<String, INDArray> byName) {
        return new AttentionParams(byName.get(DENSE_QKV), byName.get(DENSE_O), byName.get(ROUTER),
                byName.get(MOSA_QKV), byName.get(MOSA_O));
    }

    /** Canonical name → array for the non-null parts, in canonical order. */
    public Map<String, INDArray> toMap() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        putIfPresent(m, DENSE_QKV, denseQkv);
        putIfPresent(m, DENSE_O, denseO);
        putIfPresent(m, ROUTER, router);
        putIfPresent(m, MOSA_QKV, mosaQkv);
        putIfPresent(m, MOSA_O, mosaO);
        return m;
    }

    /**
     * Fails with a message naming the parameter unless exactly the parameters {@code cfg} needs are
     * present, with their canonical shapes and data type {@code type}.
     */
    public void validate(AttentionConfig cfg, DataType type) {
        Map<String, long[]> expected = shapes(cfg);
        Map<String, INDArray> actual = toMap();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray a = actual.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("attention parameter '" + e.getKey() + "' is missing; the config "
                        + "(dense_heads=" + cfg.denseHeads() + ", mosa_heads=" + cfg.mosaHeads() + ", selection="
                        + cfg.selection() + ") needs shape " + Arrays.toString(e.getValue()));
            }
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw new IllegalArgumentException("attention parameter '" + e.getKey() + "' has shape "
                        + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(e.getValue())
                        + " (canonical PyTorch layout, docs/model.md)");
            }
            if (a.dataType() != type) {
                throw new IllegalArgumentException("attention parameter '" + e.getKey() + "' is " + a.dataType()
                        + " but the input is " + type + "; cast parameters and input to one floating type");
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("attention parameter '" + name + "' is given but the config "
                        + "(dense_heads=" + cfg.denseHeads() + ", mosa_heads=" + cfg.mosaHeads() + ", selection="
                        + cfg.selection() + ") has no such part; pass null for it");
            }
        }
    }

    /** This record with every present array cast to {@code type}. */
    public AttentionParams castTo(DataType type) {
        return new AttentionParams(cast(denseQkv, type), cast(denseO, type), cast(router, type),
                cast(mosaQkv, type), cast(mosaO, type));
    }

    private static INDArray cast(INDArray a, DataType type) {
        return a == null ? null : a.castTo(type);
    }

    private static void putIfPresent(Map<String, INDArray> m, String name, INDArray a) {
        if (a != null) m.put(name, a);
    }
}
