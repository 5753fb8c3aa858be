package io.mosaspark.model.bench;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.MosaLanguageModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a DL4J training step spends its time: ND4J's op profiler times every native op; the rest of
 * the step (DL4J bookkeeping, Java-side loops, GC, allocation) is the difference to the wall time.
 * The profiler adds a little overhead per op, so these steps are not the timed ones of {@link LmStepProbe}.
 */
final class ProfileProbe {

    static final String NAME = "profile";

    private ProfileProbe() {
    }

    static Map<String, Object> run(String json) {
        LmStepSpec spec = Probe.parse(json, LmStepSpec.class);
        Nd4j.getRandom().setSeed(spec.seed());
        TrainingConfig training = TrainingConfig.PAPER.withLearningRate(spec.learningRate())
                .withGradClip(spec.gradClip()).withSeed(spec.seed());
        ComputationGraph g = MosaLanguageModel.build(spec.model(), training, DataType.FLOAT);
        int seqLen = spec.model().seqLen();
        INDArray tokens = Transforms.floor(Nd4j.rand(DataType.FLOAT, spec.batch(), seqLen + 1)
                .muli(spec.model().vocabSize()), false);                                                 // [B, T+1]
        INDArray[] in = {tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(0, seqLen)).dup('c')};
        INDArray[] labels = {tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, seqLen + 1)).dup('c')};
        for (int i = 0; i < spec.warmup(); i++) g.fit(in, labels);

        OpTimes ops = new OpTimes();
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().setClassAggergator(ops);
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        Timing t = Timing.measure(0, spec.repeats(), () -> g.fit(in, labels));
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());

        double wall = t.seconds().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", spec.repeats());
        out.put("step_s_median_profiled", t.median());
        out.put("op_time_share_of_wall", ops.totalSeconds() / wall);
        out.put("outside_ops_share_of_wall", 1 - ops.totalSeconds() / wall);
        out.put("top_ops", ops.top(15));
        return out;
    }
}
