package io.mosaspark.model.io;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.MosaLanguageModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LmCheckpointTest {

    static final ModelConfig MODEL = new ModelConfig(10, 2, 16, 8, 1e-5, AttentionConfig.hybrid(8, 4, 1, 2, 2));
    static final TrainingConfig TRAINING = TrainingConfig.PAPER.withOptimizer(TrainingConfig.Optimizer.ADAMW)
            .withLearningRate(1e-2).withWeightDecay(0.01).withSchedule(TrainingConfig.Schedule.COSINE, 3).withSteps(10)
            .withSeed(7);

    static INDArray tokens(long seed, int t) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, 2, t).muli(10).castTo(DataType.INT).castTo(DataType.FLOAT);
    }

    static ComputationGraph trained(int steps) {
        ComputationGraph g = MosaLanguageModel.build(MODEL, TRAINING, DataType.FLOAT);
        for (int i = 0; i < steps; i++) g.fit(new MultiDataSet(tokens(i, 8), tokens(100 + i, 8)));
        return g;
    }

    @Test
    void safetensorsRoundTripIsExact(@TempDir Path dir) throws Exception {
        ComputationGraph g = trained(2);
        Path f = dir.resolve("lm.safetensors");
        LmSafeTensors.write(f, g, MODEL, Map.of("seed", "7", "code_version", "test"));

        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals("F32", c.require("blocks.1.attn.mosa.qkv").dtype());
        assertArrayEquals(new long[]{16, 8}, c.require("blocks.0.mlp.fc1.weight").shape(), "PyTorch [out, in]");
        assertEquals("test", c.metadata().get("code_version"));
        assertNotNull(c.metadata().get("created_utc"));
        assertEquals(MODEL, LmSafeTensors.readConfig(f));

        ComputationGraph back = LmSafeTensors.read(f, TRAINING, DataType.FLOAT);
        assertEquals(g.params(), back.params());
        INDArray x = tokens(50, 8);
        assertEquals(g.outputSingle(x), back.outputSingle(x));
    }

    @Test
    void dl4jZipRoundTripKeepsUpdaterStateExactly(@TempDir Path dir) throws Exception {
        ComputationGraph g = trained(3);
        Path f = dir.resolve("lm.zip");
        LmZip.write(f, g, MODEL, Map.of("seed", "7"));
        LmZip.Checkpoint r = LmZip.read(f);
        MosaLanguageModel.prepareForTraining(r.graph(), TRAINING); // listeners (the global clipping) are not saved

        assertEquals(MODEL, r.model());
        assertEquals("7", r.provenance().get("seed"));
        assertEquals(g.params(), r.graph().params());
        assertEquals(g.getUpdater().getStateViewArray(), r.graph().getUpdater().getStateViewArray());
        MultiDataSet next = new MultiDataSet(tokens(60, 8), tokens(61, 8));
        g.fit(next);
        r.graph().fit(next); // same step only if Adam's moments, iteration count and warmup came back
        assertEquals(g.params(), r.graph().params());
        assertEquals(1, Files.list(dir).count(), "no temporary file left behind");
    }

    /** Writes the model's tensors after {@code edit}, with a valid header. */
    private static Path fileWith(Path dir, java.util.function.Consumer<Map<String, INDArray>> edit) throws Exception {
        ComputationGraph g = MosaLanguageModel.build(MODEL, TRAINING, DataType.FLOAT);
        Map<String, INDArray> t = new LinkedHashMap<>();
        MosaLanguageModel.canonicalParams(g).forEach((k, v) -> t.put(k, v.dup()));
        edit.accept(t);
        Path f = dir.resolve("edited.safetensors");
        SafeTensors.write(f, t, Map.of("format", LmSafeTensors.FORMAT, "config",
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(MODEL)));
        return f;
    }

    private static String loadError(Path f) {
        ComputationGraph target = MosaLanguageModel.build(MODEL, TRAINING, DataType.FLOAT);
        INDArray before = target.params().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LmSafeTensors.load(f, target));
        assertEquals(before, target.params(), "a refused file must not change the model");
        return e.getMessage();
    }

    @Test
    void refusesAVocabularyMismatch(@TempDir Path dir) throws Exception {
        ComputationGraph big = MosaLanguageModel.build(MODEL.withVocabSize(12), TRAINING, DataType.FLOAT);
        Path f = dir.resolve("v12.safetensors");
        LmSafeTensors.write(f, big, MODEL.withVocabSize(12), Map.of());
        String m = loadError(f);
        assertTrue(m.contains("vocabulary mismatch") && m.contains("V = 12") && m.contains("vocab_size = 10"), m);
    }

    @Test
    void refusesMissingTensorsByName(@TempDir Path dir) throws Exception {
        String m = loadError(fileWith(dir, t -> t.remove("blocks.1.ln2.bias")));
        assertTrue(m.contains("missing") && m.contains("blocks.1.ln2.bias"), m);
    }

    @Test
    void refusesMisshapedTensorsByName(@TempDir Path dir) throws Exception {
        String m = loadError(fileWith(dir, t -> t.put("blocks.0.mlp.fc2.weight", Nd4j.zeros(DataType.FLOAT, 16, 8))));
        assertTrue(m.contains("blocks.0.mlp.fc2.weight") && m.contains("[16, 8]") && m.contains("[8, 16]"), m);
    }

    @Test
    void refusesUnknownTensorsByName(@TempDir Path dir) throws Exception {
        String m = loadError(fileWith(dir, t -> t.put("blocks.2.attn.dense.o.weight", Nd4j.zeros(DataType.FLOAT, 8, 4))));
        assertTrue(m.contains("does not have") && m.contains("blocks.2.attn.dense.o.weight"), m);
    }

    @Test
    void refusesFilesThatAreNotLmCheckpoints(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("other.safetensors");
        SafeTensors.write(f, Map.of("x", Nd4j.zeros(DataType.FLOAT, 2)), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LmSafeTensors.readConfig(f));
        assertTrue(e.getMessage().contains("not a " + LmSafeTensors.FORMAT), e.getMessage());
        assertThrows(java.io.IOException.class, () -> LmZip.read(dir.resolve("absent.zip")));
    }
}
