package io.mosaspark.model.lm;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step reuses its off-heap memory: after the first steps have sized the workspaces, a
 * step allocates (almost) nothing outside them and the workspaces stop growing. Before, every step
 * allocated all its arrays afresh and left them for the garbage collector.
 */
class TrainingStepMemoryTest {

    /** 2 blocks, 2 dense + 3 MoSA heads (ρ 4), V 64, h 32, d_ff 64, T 32. */
    private static final ModelConfig MODEL = new ModelConfig(64, 2, 64, 32, 1e-5, AttentionConfig.hybrid(32, 8, 2, 3, 4));

    @Test
    void stepsAfterTheFirstAllocateNoFreshOffHeapMemory() {
        ComputationGraph g = MosaLanguageModel.build(MODEL, LmTestModels.ADAM, DataType.FLOAT);
        INDArray tokens = Nd4j.createFromArray(new int[8][MODEL.seqLen() + 1]);
        for (int b = 0; b < 8; b++) {
            for (int t = 0; t <= MODEL.seqLen(); t++) tokens.putScalar(b, t, (7 * b + 3 * t * t) % MODEL.vocabSize());
        }
        INDArray[] in = {tokens.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, MODEL.seqLen())).dup('c').castTo(DataType.FLOAT)};
        INDArray[] labels = {tokens.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, MODEL.seqLen() + 1)).dup('c').castTo(DataType.FLOAT)};
        // our layers size their workspaces in step 1; DL4J's own learn over a few steps
        for (int i = 0; i < 6; i++) g.fit(in, labels);

        long workspaces = workspaceBytes();
        long before = Nd4j.getEnvironment().getDeviceCouner(0);
        g.fit(in, labels);
        g.fit(in, labels);
        long fresh = Nd4j.getEnvironment().getDeviceCouner(0) - before;   // frees happen only after a GC: an upper bound
        assertEquals(workspaces, workspaceBytes(), "workspaces grew in steps of the same shape");
        // The step's arrays are hundreds of KB (they are what the workspaces hold); a handful of
        // small DL4J/ND4J bookkeeping arrays remain outside.
        assertTrue(workspaces > 500_000, "workspaces hold the step's arrays: " + workspaces + " bytes");
        assertTrue(fresh < workspaces / 20, "two steps allocated " + fresh + " fresh off-heap bytes (workspaces: "
                + workspaces + ")");
    }

    private static long workspaceBytes() {
        return AllocationsTracker.getInstance().bytesOnDevice(AllocationKind.WORKSPACE, 0);
    }
}
