package io.mosaspark.model.bench;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The measurements themselves, on toy sizes, in this JVM. */
class ProbesTest {

    private static final ModelConfig TOY = new ModelConfig(16, 1, 32, 16, 1e-5,
            AttentionConfig.hybrid(16, 4, 2, 2, 4));

    private static String toyStep(int repeats) {
        return BenchReport.toJson(new LmStepSpec(TOY, 2, 1e-3, 1.0, 1, repeats, 7));
    }

    @Test
    void memoryPeakSeesAnNd4jArrayOfKnownSize() {
        long bytes = 64L << 20;
        try (MemoryPeak peak = MemoryPeak.start()) {
            INDArray a = Nd4j.create(DataType.FLOAT, bytes / 4);
            a.addi(1);
            peak.close();
            long seen = ((Number) peak.fields("").get("offheap_nd4j_peak_bytes")).longValue()
                    - ((Number) peak.fields("").get("offheap_nd4j_before_bytes")).longValue();
            assertTrue(seen >= bytes, "a " + bytes + "-byte array raised the off-heap peak by only " + seen);
            a.close();
        }
    }

    @Test
    void lmStepTimesTheToyModelAndCountsItsParameters() {
        Map<String, Object> r = LmStepProbe.run(toyStep(2));
        assertEquals(((Number) r.get("params_expected")).longValue(), ((Number) r.get("params")).longValue());
        assertTrue(Double.isFinite(((Number) r.get("final_loss")).doubleValue()), r.toString());
        assertTrue(((Number) r.get("step_s_median")).doubleValue() > 0);
        assertTrue(((Number) r.get("live_offheap_nd4j_peak_bytes")).longValue()
                >= 4L * ((Number) r.get("params")).longValue(), "the live peak holds at least the float32 parameters");
    }

    @Test
    void profileAttributesStepTimeToOps() {
        Map<String, Object> r = ProfileProbe.run(toyStep(1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ops = (List<Map<String, Object>>) r.get("top_ops");
        assertTrue(ops.stream().anyMatch(o -> "matmul".equals(o.get("op"))), ops.toString());
        double share = ((Number) r.get("op_time_share_of_wall")).doubleValue();
        assertTrue(share > 0 && share <= 1.0, "op time share " + share);
    }

    @Test
    void attentionProbeTimesEachLength() {
        String spec = BenchReport.toJson(Map.of("batch", 1, "warmup", 0, "repeats", 1, "seed", 1, "points", List.of(
                Map.of("seq_len", 32, "attention", AttentionConfig.hybrid(16, 4, 0, 2, 4)),
                Map.of("seq_len", 64, "attention", AttentionConfig.hybrid(16, 4, 0, 2, 8)))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) AttentionProbe.run(spec).get("points");
        assertEquals(2, points.size());
        assertEquals(8, ((Number) points.get(1).get("selected_k")).intValue(), "k = T / rho = 64 / 8");
    }
}
