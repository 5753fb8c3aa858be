package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.flops.ModelFlops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mosaspark.bench.model.TinyStepSuite.num;

/**
 * Training tokens/s of a preset (dense and its IsoFLOP MoSA hybrid), set against two baselines
 * measured in the same run: the float32 GEMM rate ND4J reaches here on the model's own matrix shapes
 * (model FLOPs utilisation, MFU) and the PyTorch implementation of the same model.
 *
 * <p>Model FLOPs per step = 3 × forward FLOPs of the calculator × batch (backward ≈ 2 × forward).
 * The calculator follows the paper and leaves out the LM head; a second MFU counts it
 * (2·h·V per token forward), since for small vocabularies and widths it is a large share of the work.
 *
 * <p>Each variant runs {@code --rounds} rounds of our child JVM then PyTorch, back to back (see
 * {@link ThroughputRounds}): step times and tokens/s come from the median of the per-round medians,
 * the ours/PyTorch ratios are the median of the per-round ratios, memory figures come from the first round.
 */
final class ThroughputSuite implements Suite {

    static final double MFU_TARGET = 0.5;

    private final BenchOptions o;
    private final Preset preset;
    private final int sparsity;
    private final int batch;
    private final int rounds;

    ThroughputSuite(BenchOptions o, Preset preset, int sparsity, int batch, int rounds) {
        if (batch < 1) throw new IllegalArgumentException("--batch = " + batch + ": must be >= 1");
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds = " + rounds + ": must be >= 1 (each round times ours, then PyTorch, once per variant)");
        }
        this.o = o;
        this.preset = preset;
        this.sparsity = sparsity;
        this.batch = batch;
        this.rounds = rounds;
    }

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public void run(BenchReport report) {
        ModelConfig dense = preset.dense();
        Map<String, Object> gemm = o.child().run(GemmProbe.NAME, Map.of(
                "shapes", gemmShapes(dense, batch), "warmup", o.warmup(), "repeats", o.repeats()));
        double gemmRate = num(gemm, "gflops_per_s_mix") * 1e9;
        double gemmCpuRate = num(gemm, "gflops_per_cpu_s_mix") * 1e9;
        report.emit(name(), "gemm", gemm);

        TorchReference torch = new TorchReference(o);
        Optional<String> torchMissing = torch.unfitForTimingReason();
        for (ModelConfig model : List.of(dense, preset.mosa(sparsity))) {
            String variant = model.attention().mosaHeads() == 0 ? "dense" : "mosa";
            LmStepSpec spec = new LmStepSpec(model, batch, preset.training().learningRate(), preset.training().gradClip(),
                    o.warmup(), o.repeats(), preset.training().seed());
            List<Map<String, Object>> ours = new ArrayList<>();
            List<Map<String, Object>> theirs = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                ours.add(spec.runIn(o.child()));
                // right after ours, so that both sides of this round's ratio see the same host speed
                if (torchMissing.isEmpty()) theirs.add(torch.trainingStep(model, batch, preset.training().gradClip()));
            }
            ThroughputRounds measured = new ThroughputRounds((long) batch * model.seqLen(), ours, theirs);
            report.emit(name(), variant, result(model, variant, measured, gemmRate, gemmCpuRate, torchMissing));
        }
    }

    private Map<String, Object> result(ModelConfig model, String variant, ThroughputRounds measured,
                                       double gemmRate, double gemmCpuRate, Optional<String> torchMissing) {
        double step = measured.step();
        double cpuStep = measured.cpuStep();
        double paperFlops = 3.0 * ModelFlops.forward(model) * batch;
        double withHead = paperFlops + 3.0 * 2 * model.dModel() * (double) model.vocabSize() * measured.tokens();

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("variant", variant);
        r.put("preset", preset.name());
        r.put("dense_heads", model.attention().denseHeads());
        r.put("mosa_heads", model.attention().mosaHeads());
        r.put("sparsity", model.attention().sparsity());
        r.put("batch", batch);
        r.put("seq_len", model.seqLen());
        r.put("rounds", rounds);
        r.put("tokens_per_s", measured.tokens() / step);
        r.put("tokens_per_cpu_s", measured.tokens() / cpuStep);
        r.put("model_flops_per_step", paperFlops);
        r.put("achieved_gflops_per_s", paperFlops / step / 1e9);
        r.put("gemm_gflops_per_s", gemmRate / 1e9);
        r.put("gemm_gflops_per_cpu_s", gemmCpuRate / 1e9);
        r.put("mfu_vs_gemm", paperFlops / step / gemmRate);
        r.put("mfu_vs_gemm_incl_lm_head", withHead / step / gemmRate);
        r.put("mfu_vs_gemm_cpu", paperFlops / cpuStep / gemmCpuRate);
        r.put("mfu_vs_gemm_cpu_incl_lm_head", withHead / cpuStep / gemmCpuRate);
        r.put("mfu_target", MFU_TARGET);
        r.put("mfu_target_met", paperFlops / step / gemmRate >= MFU_TARGET);
        r.put("mfu_cpu_target_met", paperFlops / cpuStep / gemmCpuRate >= MFU_TARGET);
        r.putAll(measured.oursFields());
        r.putAll(gemmBudget(paperFlops, step, measured.gemmStep(), gemmRate));
        if (torchMissing.isPresent()) {
            r.put("torch", "skipped: " + torchMissing.get());
        } else {
            r.putAll(measured.torchFields());
            r.put("torch_mfu_vs_gemm", paperFlops / num(r, "torch_step_s_median") / gemmRate);
        }
        return r;
    }

    /**
     * Where the step's time went, against the MFU target: {@code gemm} seconds per step were spent in the
     * model's matrix products (measured in the steps by {@link io.mosaspark.model.nn.GemmClock}), the rest
     * in everything else. {@code mfu_if_only_gemm} is the MFU the step would reach if everything else took
     * no time; {@code non_gemm_budget_s_for_target} is the time everything else may take for the target
     * (negative: the products alone already miss it).
     */
    static Map<String, Object> gemmBudget(double modelFlops, double step, double gemm, double gemmRate) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("non_gemm_s_per_step", step - gemm);
        m.put("mfu_if_only_gemm", modelFlops / gemm / gemmRate);
        m.put("non_gemm_budget_s_for_target", modelFlops / (MFU_TARGET * gemmRate) - gemm);
        return m;
    }

    /**
     * The float32 products of one forward pass of {@code m}'s dense baseline, each once: the B·T-row
     * projections, MLP and LM head, and the attention heads' batched q·kᵀ and p·v over B·Hd matrices
     * (these count in the model FLOPs too, and with h′-long dot products they run well below the
     * projections' rate). Their total FLOPs over total time is the GEMM rate MFU is quoted against.
     */
    static List<Map<String, Object>> gemmShapes(ModelConfig m, int batch) {
        long rows = (long) batch * m.seqLen();
        AttentionConfig a = m.attention();
        long h = m.dModel(), t = m.seqLen(), headDim = a.headDim();
        long denseHeads = Math.max(a.denseHeads(), 1);
        long heads = headDim * denseHeads;
        List<Map<String, Object>> shapes = new ArrayList<>();
        shapes.add(shape("attention qkv", 1, rows, h, 3 * heads));
        shapes.add(shape("attention out", 1, rows, heads, h));
        shapes.add(shape("mlp fc1", 1, rows, h, m.dFf()));
        shapes.add(shape("mlp fc2", 1, rows, m.dFf(), h));
        shapes.add(shape("lm head", 1, rows, h, m.vocabSize()));
        shapes.add(shape("attention scores q·kᵀ", batch * denseHeads, t, headDim, t));
        shapes.add(shape("attention values p·v", batch * denseHeads, t, t, headDim));
        return shapes;
    }

    private static Map<String, Object> shape(String what, long batch, long m, long k, long n) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("what", what);
        s.put("batch", batch);
        s.put("m", m);
        s.put("k", k);
        s.put("n", n);
        return s;
    }
}
