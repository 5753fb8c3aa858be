package io.mosaspark.model.bench;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.flops.ParameterCount;
import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.model.nn.GemmClock;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times DL4J training steps of the language model ({@link MosaLanguageModel}, float32): one
 * {@code ComputationGraph.fit} = forward, backward, gradient clipping and the Adam update, on one
 * fixed batch of random tokens.
 *
 * <p>Three phases, in this order:
 * <ol>
 *   <li>"as run" ({@code asrun_*}): building the model and the {@code warmup} untimed steps, with the
 *       1 ms {@link MemoryPeak} sampler on, measured from a baseline taken after ND4J has started.
 *       With {@code warmup = 0} these peaks cover the build only ({@code asrun_steps} says how many steps).</li>
 *   <li>timing ({@code step_*}): the {@code repeats} timed steps with the sampler stopped and its thread
 *       ended. It reads /proc and the JVM's memory beans every millisecond; on a 2-core machine that
 *       competed with the measured step for the CPU and its caches, so it no longer runs while timing.
 *       The {@link GemmClock} runs: {@code step_gemm_*} say how much of these steps went into matrix products.</li>
 *   <li>"live" ({@code live_*}): one more, untimed step under constant GC (see {@link MemoryPeak#collecting}).</li>
 * </ol>
 */
final class LmStepProbe {

    static final String NAME = "lm-step";

    private LmStepProbe() {
    }

    static Map<String, Object> run(String json) {
        LmStepSpec spec = Probe.parse(json, LmStepSpec.class);
        Nd4j.getRandom().setSeed(spec.seed());
        Nd4j.create(DataType.FLOAT, 1); // starts ND4J's backend before the memory baseline
        Map<String, Object> out = new LinkedHashMap<>();
        ComputationGraph g;
        INDArray[] in;
        INDArray[] labels;
        try (MemoryPeak asRun = MemoryPeak.start()) {
            TrainingConfig training = TrainingConfig.PAPER.withLearningRate(spec.learningRate())
                    .withGradClip(spec.gradClip()).withSeed(spec.seed());
            g = MosaLanguageModel.build(spec.model(), training, DataType.FLOAT);
            int seqLen = spec.model().seqLen();
            // uniform ids in [0, V): floor(U[0, 1) · V)
            INDArray tokens = Transforms.floor(Nd4j.rand(DataType.FLOAT, spec.batch(), seqLen + 1)
                    .muli(spec.model().vocabSize()), false);                                             // [B, T+1]
            in = new INDArray[]{tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(0, seqLen)).dup('c')};        // [B, T]
            labels = new INDArray[]{tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, seqLen + 1)).dup('c')}; // [B, T]
            for (int i = 0; i < spec.warmup(); i++) g.fit(in, labels);
            asRun.close(); // ends the sampler thread before anything is timed
            if (asRun.sampling()) throw new IllegalStateException("the memory sampler outlived close(): it would share the CPU with the timed steps");
            out.putAll(asRun.fields("asrun_"));
            out.put("asrun_steps", spec.warmup());
        }
        final ComputationGraph graph = g;
        GemmClock.start();
        Timing t = Timing.measure(0, spec.repeats(), () -> graph.fit(in, labels)); // warm-up already ran above
        GemmClock.Reading gemm = GemmClock.stop();
        out.putAll(t.fields("step"));
        out.putAll(gemmFields(gemm, t));
        // one more, untimed step under constant GC: the live peak (params, Adam state, activations, temporaries)
        try (MemoryPeak live = MemoryPeak.collecting()) {
            g.fit(in, labels);
            live.close();
            out.putAll(live.fields("live_"));
        }
        out.put("rss_hwm_bytes", MemoryPeak.kernelHighWaterMark());
        out.put("params", g.numParams());
        out.put("params_expected", ParameterCount.of(spec.model()).total());
        out.put("final_loss", g.score());
        out.put("batch", spec.batch());
        out.put("seq_len", spec.model().seqLen());
        return out;
    }

    /** How much of the timed steps went into the model's matrix products (measured in the steps themselves). */
    static Map<String, Object> gemmFields(GemmClock.Reading gemm, Timing steps) {
        double stepsSeconds = steps.seconds().stream().mapToDouble(Double::doubleValue).sum();
        int repeats = steps.seconds().size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step_gemm_s_mean", gemm.seconds() / repeats);
        m.put("step_gemm_share", gemm.seconds() / stepsSeconds);
        m.put("step_gemm_products", gemm.products() / repeats);
        m.put("step_gemm_flops", gemm.flops() / repeats);
        m.put("step_gemm_gflops_per_s", gemm.gflopsPerSecond());
        return m;
    }
}
