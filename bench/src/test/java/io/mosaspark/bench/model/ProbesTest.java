package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void closingAMemoryPeakEndsItsSamplerThread() {
        MemoryPeak peak = MemoryPeak.start();
        assertTrue(peak.sampling(), "the sampler runs once started");
        peak.close();
        assertFalse(peak.sampling(), "LmStepProbe times its steps only after close(): no sampler may be left running");
    }

    @Test
    void gemmProbeTimesTheModelsGemmPathAndReportsEveryShape() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 5, 3);
        INDArray b = Nd4j.rand(DataType.FLOAT, 3, 4);
        INDArray c = Nd4j.create(DataType.FLOAT, 5, 4);
        GemmProbe.product(a, b, c).run();
        assertTrue(a.mmul(b).equalsWithEps(c, 1e-5), "the timed body writes a·b into the preallocated output: " + c);
        INDArray ba = Nd4j.rand(DataType.FLOAT, 3, 5, 2), bb = Nd4j.rand(DataType.FLOAT, 3, 2, 4), bc = Nd4j.create(DataType.FLOAT, 3, 5, 4);
        GemmProbe.product(ba, bb, bc).run();
        assertTrue(Nd4j.matmul(ba, bb).equalsWithEps(bc, 1e-5), "batched shapes: every product of the batch: " + bc);

        String spec = BenchReport.toJson(Map.of("warmup", 0, "repeats", 1, "shapes", List.of(
                Map.of("what", "qkv", "m", 64, "k", 16, "n", 48),
                Map.of("what", "head", "m", 64, "k", 16, "n", 32),
                Map.of("what", "scores", "batch", 6, "m", 32, "k", 16, "n", 32))));
        Map<String, Object> r = GemmProbe.run(spec);
        assertEquals(GemmProbe.PATH, r.get("gemm_path"));
        assertTrue(GemmProbe.PATH.startsWith("io.mosaspark.model.nn.Gemm.into"), GemmProbe.PATH);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.get("shapes");
        assertEquals(List.of("qkv", "head", "scores"), rows.stream().map(x -> x.get("what")).toList());
        assertEquals(1L, ((Number) rows.get(0).get("batch")).longValue(), "no batch given: a single product");
        assertEquals(48L, ((Number) rows.get(0).get("n")).longValue());
        for (Map<String, Object> row : rows) {
            // the rate is the shape's FLOPs over the timed median of Gemm.into
            double flops = 2.0 * ((Number) row.get("batch")).longValue() * ((Number) row.get("m")).longValue() * ((Number) row.get("k")).longValue()
                    * ((Number) row.get("n")).longValue();
            assertEquals(flops / ((Number) row.get("gemm_s_median")).doubleValue() / 1e9,
                    ((Number) row.get("gflops_per_s")).doubleValue(), 1e-9 * ((Number) row.get("gflops_per_s")).doubleValue());
        }
        assertEquals(rows.stream().mapToDouble(x -> ((Number) x.get("gflops_per_s")).doubleValue()).max().orElseThrow(),
                ((Number) r.get("gflops_per_s_best")).doubleValue(), 1e-12);
    }

    @Test
    void lmStepTimesTheToyModelAndCountsItsParameters() {
        Map<String, Object> r = LmStepProbe.run(toyStep(2));
        assertEquals(2, ((Number) r.get("step_repeats")).intValue());
        assertEquals(1, ((Number) r.get("asrun_steps")).intValue(), "as-run peaks cover the one warm-up step");
        assertTrue(((Number) r.get("asrun_offheap_nd4j_peak_bytes")).longValue()
                > ((Number) r.get("asrun_offheap_nd4j_before_bytes")).longValue(), "building the model raises the as-run peak");
        assertEquals(((Number) r.get("params_expected")).longValue(), ((Number) r.get("params")).longValue());
        assertTrue(Double.isFinite(((Number) r.get("final_loss")).doubleValue()), r.toString());
        assertTrue(((Number) r.get("step_s_median")).doubleValue() > 0);
        // the clock saw the timed steps' products: part of the step, at a plausible rate
        double share = ((Number) r.get("step_gemm_share")).doubleValue();
        assertTrue(share > 0 && share < 1, r.toString());
        assertTrue(((Number) r.get("step_gemm_products")).longValue() > 0, r.toString());
        assertTrue(((Number) r.get("step_gemm_gflops_per_s")).doubleValue() > 0, r.toString());
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
