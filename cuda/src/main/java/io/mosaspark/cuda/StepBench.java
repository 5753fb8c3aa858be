package io.mosaspark.cuda;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.LmParamShapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times whole training steps (forward, backward, global-norm clipping, Adam) of one model on the GPU,
 * on random tokens, as {@code bench/torch_mosa.py --bench --device cuda} does for PyTorch: the median
 * step time over {@code repeats} after {@code warmup} steps, and the peak of the device memory this
 * backend allocated (parameters, gradients, optimizer state, activations, scratch).
 */
public final class StepBench {

    private StepBench() {
    }

    /** Fresh parameters as the ND4J path draws them: matrices Normal(0, 0.02²), LayerNorm gains 1, biases 0. */
    static void initialise(LanguageModelGpu lm, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Map.Entry<String, long[]> e : lm.shapes().entrySet()) {
            double[] vals = new double[Math.toIntExact(LmParamShapes.size(e.getValue()))];
            if (LmParamShapes.decays(e.getValue())) {
                for (int i = 0; i < vals.length; i++) vals[i] = 0.02 * gaussian(rnd);
            } else if (e.getKey().endsWith(".weight")) {
                Arrays.fill(vals, 1.0);
            }
            lm.params().get(e.getKey()).upload(vals);
        }
    }

    /** A standard normal draw (Box–Muller), from the seed alone. */
    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * {@code graphs}: replay each step as a CUDA graph ({@link TrainingStep}). {@code profile}: after the
     * timed steps, run {@code repeats} more uncaptured with every launch timed ({@link LaunchProfile}).
     */
    public static Map<String, Object> run(Gpu gpu, ModelConfig model, TrainingConfig training, int batch, int warmup,
                                          int repeats, long seed, boolean graphs, boolean profile) {
        int t = model.seqLen();
        gpu.resetPeak();
        long before = gpu.liveBytes();
        Map<String, Object> r = new LinkedHashMap<>();
        try (LanguageModelGpu lm = new LanguageModelGpu(gpu, model, batch, t); AdamGpu adam = new AdamGpu(gpu, lm, training);
             TrainingStep step = new TrainingStep(gpu, lm, adam, graphs)) {
            initialise(lm, seed);
            SplittableRandom rnd = new SplittableRandom(seed + 1);
            int[] tokens = new int[batch * (t + 1)];
            for (int i = 0; i < tokens.length; i++) tokens[i] = rnd.nextInt(model.vocabSize());
            List<Double> times = new ArrayList<>(), losses = new ArrayList<>(), issue = new ArrayList<>();
            for (int s = 0; s < warmup + repeats; s++) {
                gpu.synchronize();
                long t0 = System.nanoTime();
                losses.add(step.run(tokens, s));
                double issued = (System.nanoTime() - t0) / 1e9;
                gpu.synchronize();
                double dt = (System.nanoTime() - t0) / 1e9;
                if (s >= warmup) {
                    times.add(dt);
                    issue.add(issued);
                }
            }
            double median = median(times);
            r.put("impl", "mosa-cuda");
            r.put("precision", gpu.precision().name().toLowerCase(java.util.Locale.ROOT));
            r.put("compute_capability", gpu.computeCapability());
            r.put("attention", lm.attentionKind());
            r.put("graphs", graphs);
            r.put("graph_launches", step.graphLaunches());
            r.put("graph_captures", step.captures());
            r.put("batch", batch);
            r.put("seq_len", t);
            r.put("logit_rows_per_block", lm.logitRowsPerBlock());
            r.put("params", lm.numParams());
            r.put("step_s_median", median);
            r.put("step_s_min", times.stream().min(Double::compare).orElseThrow());
            r.put("step_s_max", times.stream().max(Double::compare).orElseThrow());
            r.put("step_s_all", times);
            // until the step's last host read returns: close to the step time when the host is the bottleneck
            r.put("host_s_median", median(issue));
            r.put("tokens_per_s", batch * (double) t / median);
            r.put("peak_bytes", gpu.peakBytes() - before);
            r.put("device_bytes_in_use", gpu.deviceBytesInUse());
            r.put("loss_first", losses.get(0));
            r.put("loss_last", losses.get(losses.size() - 1));
            r.put("losses", losses);
            r.put("grad_norm_last", adam.lastGradientNorm());
            r.put("warmup", warmup);
            r.put("repeats", repeats);
            r.put("kernel_compile_s", gpu.kernelCompileSeconds());
            r.put("config", model);
            if (profile) r.put("profile", profile(gpu, lm, adam, tokens, warmup + repeats, repeats));
        }
        return r;
    }

    private static Map<String, Object> profile(Gpu gpu, LanguageModelGpu lm, AdamGpu adam, int[] tokens, int from, int steps) {
        try (LaunchProfile p = new LaunchProfile(); TrainingStep direct = new TrainingStep(gpu, lm, adam, false)) {
            gpu.profile(p);
            try {
                for (int s = 0; s < steps; s++) {
                    direct.run(tokens, from + s);
                    p.endStep();
                }
            } finally {
                gpu.profile(null);
            }
            return p.report();
        }
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
