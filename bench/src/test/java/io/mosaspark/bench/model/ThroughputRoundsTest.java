package io.mosaspark.bench.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How rounds of ours-then-PyTorch become one throughput result: medians of per-round figures. */
class ThroughputRoundsTest {

    private static Map<String, Object> ours(double step, double cpu, long memory) {
        return Map.of("step_s_median", step, "step_s_min", step * 0.9, "step_s_max", step * 1.2, "step_rel_spread", 0.3,
                "step_cpu_s_median", cpu, "step_repeats", 5, "asrun_rss_peak_bytes", memory,
                "step_gemm_s_mean", step * 0.4, "step_gemm_share", step / 10, "step_gemm_gflops_per_s", 50 * step);
    }

    private static Map<String, Object> torch(double step, double cpu) {
        return Map.of("step_s_median", step, "step_s_min", step, "step_s_max", step * 1.5, "step_cpu_s_median", cpu,
                "tokens_per_s", 100 / step, "tokens_per_cpu_s", 100 / cpu, "torch_version", "x", "threads", 1);
    }

    @Test
    void ratiosPairEachRoundAndTheQuotedRatioIsTheirMedian() {
        // the host slows down in round 2: both sides slow, the ratio in that round stays put
        ThroughputRounds r = new ThroughputRounds(100, List.of(ours(1.0, 2.0, 7), ours(2.0, 4.0, 9), ours(1.2, 2.0, 8)),
                List.of(torch(0.8, 1.0), torch(1.6, 2.0), torch(0.6, 1.0)));
        List<Double> ratios = r.ratios();
        assertEquals(3, ratios.size());
        assertEquals(0.8, ratios.get(0), 1e-12);
        assertEquals(0.8, ratios.get(1), 1e-12);
        assertEquals(0.5, ratios.get(2), 1e-12);
        assertEquals(1.2, r.step(), 1e-12);
        Map<String, Object> t = r.torchFields();
        assertEquals(0.8, (double) t.get("throughput_ratio_ours_over_torch"), 1e-12);
        assertEquals(List.of(0.5, 0.5, 0.5), t.get("throughput_ratio_cpu_rounds"));
        assertEquals(100 / 0.8, (double) t.get("torch_tokens_per_s"), 1e-9);
        assertEquals(false, t.get("torch_target_met"));

        Map<String, Object> o = r.oursFields();
        assertEquals(7L, o.get("asrun_rss_peak_bytes"), "memory comes from the first round");
        assertEquals(1.2, (double) o.get("step_s_median"), 1e-12);
        assertEquals(List.of(1.0, 2.0, 1.2), o.get("step_s_median_rounds"));
        assertEquals(0.9, (double) o.get("step_s_min"), 1e-12);
        assertEquals(2.4, (double) o.get("step_s_max"), 1e-12);
        assertFalse(o.containsKey("step_rel_spread"), "one round's spread would stand for all of them");
        assertEquals(0.48, r.gemmStep(), 1e-12);
        assertEquals(0.48, (double) o.get("step_gemm_s_mean"), 1e-12);
        assertEquals(List.of(0.4, 0.8, 0.48), o.get("step_gemm_s_mean_rounds"));
        assertEquals(0.12, (double) o.get("step_gemm_share"), 1e-12);
        assertEquals(60.0, (double) o.get("step_gemm_gflops_per_s"), 1e-12);
    }

    @Test
    void withoutPyTorchOursStillHasItsRounds() {
        ThroughputRounds r = new ThroughputRounds(100, List.of(ours(1.0, 2.0, 7), ours(3.0, 4.0, 9)), List.of());
        assertFalse(r.hasTorch());
        assertEquals(2.0, r.step(), 1e-12);
        assertEquals(3.0, r.cpuStep(), 1e-12);
        assertThrows(IllegalStateException.class, r::torchFields);
    }

    @Test
    void unpairedRoundsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ThroughputRounds(100,
                List.of(ours(1.0, 2.0, 7), ours(1.0, 2.0, 7)), List.of(torch(1.0, 1.0))));
        assertTrue(e.getMessage().contains("2 rounds of ours but 1 of PyTorch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ThroughputRounds(100, List.of(), List.of()));
    }
}
