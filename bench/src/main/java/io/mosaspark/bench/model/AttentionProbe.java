package io.mosaspark.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.bench.harness.Timing;
import io.mosaspark.model.attention.AttentionParams;
import io.mosaspark.model.attention.HybridAttention;
import io.mosaspark.model.config.AttentionConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times forward + backward of one attention layer ({@link HybridAttention}, float32) on random input
 * and weights, at each requested (T, config) point.
 */
final class AttentionProbe {

    static final String NAME = "attention";

    record Point(@JsonProperty("seq_len") long seqLen, @JsonProperty("attention") AttentionConfig attention) {
    }

    record Spec(List<Point> points, int batch, int warmup, int repeats, long seed) {
    }

    private AttentionProbe() {
    }

    static Map<String, Object> run(String json) {
        Spec spec = Probe.parse(json, Spec.class);
        Nd4j.getRandom().setSeed(spec.seed());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Point pt : spec.points()) {
            AttentionConfig cfg = pt.attention();
            HybridAttention layer = new HybridAttention(cfg);
            AttentionParams params = randomParams(cfg);
            INDArray x = Nd4j.randn(DataType.FLOAT, spec.batch(), pt.seqLen(), cfg.dModel());   // [B, T, h]
            INDArray upstream = Nd4j.randn(DataType.FLOAT, spec.batch(), pt.seqLen(), cfg.dModel());
            Timing t = Timing.measure(spec.warmup(), spec.repeats(), GemmProbe.MIN_SAMPLE_S, () -> {
                HybridAttention.Forward f = layer.forward(x, params);
                layer.backward(f.cache(), upstream, params);
            });
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq_len", pt.seqLen());
            row.put("dense_heads", cfg.denseHeads());
            row.put("mosa_heads", cfg.mosaHeads());
            row.put("sparsity", cfg.sparsity());
            row.put("selected_k", cfg.mosaHeads() > 0 ? cfg.selectedTokens(pt.seqLen()) : pt.seqLen());
            row.putAll(t.fields("fwd_bwd"));
            rows.add(row);
            System.gc(); // release the previous length's arrays before the next, larger one
        }
        return Map.of("points", rows);
    }

    /** N(0, 1/fan_in) weights in the canonical shapes, so activations stay O(1) at every size. */
    static AttentionParams randomParams(AttentionConfig cfg) {
        Map<String, INDArray> byName = new LinkedHashMap<>();
        AttentionParams.shapes(cfg).forEach((name, shape) -> {
            long fanIn = name.equals(AttentionParams.MOSA_O) || name.equals(AttentionParams.MOSA_QKV)
                    ? shape[1] : shape[shape.length - 1];
            byName.put(name, Nd4j.randn(DataType.FLOAT, shape).muli(1.0 / Math.sqrt(fanIn)));
        });
        return AttentionParams.fromMap(byName);
    }
}
