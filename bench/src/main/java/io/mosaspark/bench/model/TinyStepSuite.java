package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's perplexity-matched Tiny pair at T = 1024: 9 dense heads vs 4 dense + 17 MoSA heads
 * at ρ = 32. One training step each, every model in its own JVM so that each peak memory is its own.
 * The paper (A100) reports 7.3% less time per step and 10% less memory for the hybrid.
 */
final class TinyStepSuite implements Suite {

    static final double PAPER_TIME_RATIO = 0.927;
    static final double PAPER_MEMORY_RATIO = 0.90;
    /** live_*: peaks under constant GC (what a step needs); asrun_*: peaks over model build and warm-up steps. */
    static final List<String> MEMORY_KEYS = List.of("live_offheap_nd4j_peak_bytes", "live_heap_peak_bytes",
            "live_offheap_nd4j_before_bytes", "asrun_offheap_nd4j_peak_bytes", "asrun_heap_peak_bytes",
            "asrun_rss_peak_bytes", "rss_hwm_bytes");

    private final BenchOptions o;
    private final int batch;
    private final int seqLen;

    TinyStepSuite(BenchOptions o, int batch, int seqLen) {
        if (batch < 1) throw new IllegalArgumentException("--batch = " + batch + ": must be >= 1");
        this.o = o;
        this.batch = batch;
        this.seqLen = seqLen;
    }

    @Override
    public String name() {
        return "tiny-step";
    }

    @Override
    public void run(BenchReport report) {
        Preset tiny = Presets.load("tiny");
        ModelConfig dense = tiny.dense().withSeqLen(seqLen);
        ModelConfig hybrid = tiny.perplexityMatched().withSeqLen(seqLen);
        double lr = tiny.training().learningRate();
        double clip = tiny.training().gradClip();
        Map<String, Object> d = new LmStepSpec(dense, batch, lr, clip, o.warmup(), o.repeats(), 1).runIn(o.child());
        report.emit(name(), "dense", withModel(d, dense));
        Map<String, Object> m = new LmStepSpec(hybrid, batch, lr, clip, o.warmup(), o.repeats(), 1).runIn(o.child());
        report.emit(name(), "mosa", withModel(m, hybrid));

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("baseline", "dense (9 heads)");
        r.put("candidate", "hybrid (4 dense + 17 MoSA, rho 32)");
        r.put("seq_len", seqLen);
        r.put("batch", batch);
        double timeRatio = num(m, "step_s_median") / num(d, "step_s_median");
        r.put("step_time_ratio", timeRatio);
        r.put("step_time_target", PAPER_TIME_RATIO);
        r.put("step_time_target_met", timeRatio <= PAPER_TIME_RATIO);
        double cpuRatio = num(m, "step_cpu_s_median") / num(d, "step_cpu_s_median");
        r.put("step_cpu_time_ratio", cpuRatio);
        r.put("step_cpu_time_target_met", cpuRatio <= PAPER_TIME_RATIO);
        for (String k : MEMORY_KEYS) {
            r.put(k.replace("_bytes", "_ratio"), num(m, k) / num(d, k));
        }
        r.put("memory_target_paper", PAPER_MEMORY_RATIO);
        report.emit(name(), "ratio", r);

        // the same pair in PyTorch on this machine: how much of the ratio is the method, how much our code
        TorchReference torch = new TorchReference(o);
        var missing = torch.unfitForTimingReason();
        Map<String, Object> t = new LinkedHashMap<>();
        if (missing.isPresent()) {
            t.put("torch", "skipped: " + missing.get());
        } else {
            Map<String, Object> td = torch.trainingStep(dense, batch, clip);
            Map<String, Object> tm = torch.trainingStep(hybrid, batch, clip);
            t.put("torch_dense_step_s_median", td.get("step_s_median"));
            t.put("torch_mosa_step_s_median", tm.get("step_s_median"));
            t.put("torch_step_time_ratio", num(tm, "step_s_median") / num(td, "step_s_median"));
            t.put("torch_step_cpu_time_ratio", num(tm, "step_cpu_s_median") / num(td, "step_cpu_s_median"));
            t.put("step_cpu_time_ours_over_torch_dense", num(d, "step_cpu_s_median") / num(td, "step_cpu_s_median"));
            t.put("step_cpu_time_ours_over_torch_mosa", num(m, "step_cpu_s_median") / num(tm, "step_cpu_s_median"));
            t.put("torch_version", td.get("torch_version"));
        }
        report.emit(name(), "torch-reference", t);
    }

    static Map<String, Object> withModel(Map<String, Object> measured, ModelConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dense_heads", c.attention().denseHeads());
        out.put("mosa_heads", c.attention().mosaHeads());
        out.put("sparsity", c.attention().sparsity());
        out.putAll(measured);
        return out;
    }

    static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new IllegalStateException("probe result lacks numeric '" + key + "': " + m);
        return n.doubleValue();
    }
}
