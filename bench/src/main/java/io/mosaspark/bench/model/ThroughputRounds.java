package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.Timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mosaspark.bench.model.TinyStepSuite.num;

/**
 * The rounds of one throughput variant: in each round our child JVM ({@link LmStepProbe}) and then the
 * PyTorch reference ran back to back. This host's speed drifts by ±20% over tens of seconds, so a
 * ratio of two medians taken a minute apart swings with it; a ratio within one round sees (nearly) the
 * same host, and the median over rounds of those per-round ratios is the figure quoted.
 *
 * @param tokens tokens per training step (batch × T)
 * @param ours   {@link LmStepProbe} results, one per round, in the order run
 * @param torch  PyTorch results of the same rounds, or empty when the reference was unavailable
 */
record ThroughputRounds(long tokens, List<Map<String, Object>> ours, List<Map<String, Object>> torch) {

    /** Timing fields of one round that the per-round lists and their medians replace. */
    private static final Set<String> PER_ROUND_TIMING = Set.of("step_s_median", "step_s_min", "step_s_max",
            "step_rel_spread", "step_cpu_s_median", "step_gemm_s_mean", "step_gemm_share", "step_gemm_gflops_per_s");

    ThroughputRounds {
        if (tokens < 1) throw new IllegalArgumentException("tokens per step = " + tokens + ": must be >= 1");
        if (ours.isEmpty()) throw new IllegalArgumentException("throughput needs at least one round");
        if (!torch.isEmpty() && torch.size() != ours.size()) {
            throw new IllegalArgumentException(ours.size() + " rounds of ours but " + torch.size() + " of PyTorch: they must pair up");
        }
        ours = List.copyOf(ours);
        torch = List.copyOf(torch);
    }

    boolean hasTorch() {
        return !torch.isEmpty();
    }

    /** Our seconds per step: the median over rounds of each round's median. */
    double step() {
        return Timing.median(column(ours, "step_s_median"));
    }

    /** Our process CPU seconds per step: the median over rounds of each round's median. */
    double cpuStep() {
        return Timing.median(column(ours, "step_cpu_s_median"));
    }

    /** Our seconds per step inside matrix products: the median over rounds of each round's mean. */
    double gemmStep() {
        return Timing.median(column(ours, "step_gemm_s_mean"));
    }

    /** Ours tokens/s over PyTorch tokens/s, per round. */
    List<Double> ratios() {
        return perRound("step_s_median", "tokens_per_s");
    }

    /** Ours tokens per CPU-second over PyTorch's, per round. */
    List<Double> cpuRatios() {
        return perRound("step_cpu_s_median", "tokens_per_cpu_s");
    }

    private List<Double> perRound(String ourStepKey, String torchRateKey) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < torch.size(); i++) {
            r.add(tokens / num(ours.get(i), ourStepKey) / num(torch.get(i), torchRateKey));
        }
        return r;
    }

    /**
     * Our fields: the first round's memory, parameter and loss figures (memory does not drift with host
     * speed, and the first child JVM is as clean as any), then the timing per round and its medians.
     */
    Map<String, Object> oursFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        ours.get(0).forEach((k, v) -> {
            if (!PER_ROUND_TIMING.contains(k)) m.put(k, v);
        });
        m.put("step_s_median", step());
        m.put("step_cpu_s_median", cpuStep());
        m.put("step_s_median_rounds", column(ours, "step_s_median"));
        m.put("step_cpu_s_median_rounds", column(ours, "step_cpu_s_median"));
        m.put("step_rel_spread_rounds", column(ours, "step_rel_spread"));
        m.put("step_s_min", column(ours, "step_s_min").stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        m.put("step_s_max", column(ours, "step_s_max").stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        m.put("step_gemm_s_mean", gemmStep());
        m.put("step_gemm_s_mean_rounds", column(ours, "step_gemm_s_mean"));
        m.put("step_gemm_share", Timing.median(column(ours, "step_gemm_share")));
        m.put("step_gemm_share_rounds", column(ours, "step_gemm_share"));
        m.put("step_gemm_gflops_per_s", Timing.median(column(ours, "step_gemm_gflops_per_s")));
        return m;
    }

    /** PyTorch's fields and the ratios; call only if {@link #hasTorch()}. */
    Map<String, Object> torchFields() {
        if (!hasTorch()) throw new IllegalStateException("no PyTorch rounds were run");
        Map<String, Object> first = torch.get(0);
        double torchStep = Timing.median(column(torch, "step_s_median"));
        double ratio = Timing.median(ratios());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("torch_tokens_per_s", tokens / torchStep);
        m.put("torch_step_s_median", torchStep);
        m.put("torch_step_s_median_rounds", column(torch, "step_s_median"));
        m.put("torch_rel_spread_rounds", torch.stream()
                .map(t -> (num(t, "step_s_max") - num(t, "step_s_min")) / num(t, "step_s_median")).toList());
        m.put("torch_version", first.get("torch_version"));
        m.put("torch_threads", first.get("threads"));
        m.put("throughput_ratio_rounds", ratios());
        m.put("throughput_ratio_ours_over_torch", ratio);
        m.put("throughput_ratio_statistic", "median over rounds of (ours tokens/s / PyTorch tokens/s) within each round;"
                + " each round ran ours, then PyTorch, back to back");
        m.put("torch_tokens_per_cpu_s", tokens / Timing.median(column(torch, "step_cpu_s_median")));
        m.put("throughput_ratio_cpu_rounds", cpuRatios());
        m.put("throughput_ratio_ours_over_torch_cpu", Timing.median(cpuRatios()));
        m.put("torch_blas", first.get("blas_library"));
        m.put("torch_gemm_gflops_per_s_1024", first.get("gemm_gflops_per_s_1024"));
        m.put("torch_target_met", ratio >= 1.0);
        return m;
    }

    private static List<Double> column(List<Map<String, Object>> rows, String key) {
        return rows.stream().map(r -> num(r, key)).toList();
    }
}
