package io.mosaspark.model.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresetsTest {

    /** Surefire runs in the module directory. */
    private static final Path CONF_PRESETS = Path.of("..", "conf", "presets");

    @Test
    void namesMatchTheFilesInConfAndTheJarShipsThemUnchanged() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(CONF_PRESETS)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertEquals(Presets.NAMES.stream().sorted().toList(), files);
        for (String name : Presets.NAMES) {
            try (InputStream in = Presets.class.getResourceAsStream("presets/" + name + ".json")) {
                assertArrayEquals(Files.readAllBytes(CONF_PRESETS.resolve(name + ".json")), in.readAllBytes(), name);
            }
        }
    }

    @Test
    void thePaperPresets() {
        record Row(String name, int layers, int h, int dFf, int heads) {
        }
        for (Row r : List.of(new Row("tiny", 6, 512, 2048, 9), new Row("small", 9, 1024, 4096, 9),
                new Row("medium", 18, 1024, 4096, 9), new Row("large", 27, 1280, 5120, 16))) {
            Preset p = Presets.load(r.name());
            ModelConfig m = p.dense();
            assertEquals(List.of(8000, 1024, r.layers(), r.h(), r.dFf(), 64, r.heads(), 0),
                    List.of(m.vocabSize(), m.seqLen(), m.nLayers(), m.dModel(), m.dFf(), m.attention().headDim(),
                            m.attention().denseHeads(), m.attention().mosaHeads()), r.name());
            assertEquals(TrainingConfig.PAPER, p.training(), r.name());
        }
    }

    @Test
    void perplexityMatchedTiny() {
        AttentionConfig a = Presets.load("tiny").perplexityMatched().attention();
        assertEquals(List.of(4, 17, 32), List.of(a.denseHeads(), a.mosaHeads(), a.sparsity()));
        var e = assertThrows(IllegalArgumentException.class, () -> Presets.load("small").perplexityMatched());
        assertTrue(e.getMessage().contains("preset small has no perplexity-matched") && e.getMessage().contains("tiny"), e.getMessage());
    }

    @Test
    void cpuDemoHasAnIsoFlopHybrid() {
        Preset demo = Presets.load("cpu-demo");
        assertTrue(demo.dense().nLayers() <= 4 && demo.dense().dModel() <= 256 && demo.dense().vocabSize() <= 512);
        assertTrue(demo.mosa(8).attention().mosaHeads() > demo.dense().attention().denseHeads() - 4);
    }

    @Test
    void overridesByShortKeyAndFullPathAreValidatedByTheRecords() {
        Preset p = Presets.load("cpu-demo", List.of("n_layers=3", "model.attention.head_dim=16", "learning_rate=0.01",
                "include_first=true"));
        assertEquals(3, p.dense().nLayers());
        assertEquals(16, p.dense().attention().headDim());
        assertEquals(0.01, p.training().learningRate());
        assertTrue(p.dense().attention().includeFirst());
        assertTrue(p.mosa(4).attention().includeFirst(), "the hybrid is derived from the overridden baseline");

        assertMessage(() -> Presets.load("tiny", List.of("n_layer=3")), "override key 'n_layer' is unknown",
                "valid keys:", "n_layers", "d_model", "learning_rate");
        assertMessage(() -> Presets.load("tiny", List.of("n_layers=0")), "preset tiny: n_layers = 0: must be > 0");
        assertMessage(() -> Presets.load("tiny", List.of("n_layers=two")), "model.n_layers = 'two': expected an integer");
        assertMessage(() -> Presets.load("tiny", List.of("include_first=yes")), "expected true or false");
        assertMessage(() -> Presets.load("tiny", List.of("n_layers")), "must look like key=value");
        assertMessage(() -> Presets.load("tiny", List.of("sparsity=8")), "'sparsity' cannot be set", "--rho");
        assertMessage(() -> Presets.load("tiny", List.of("optimizer=lion")), "optimizer = lion: must be one of adam, adamw, sgd");
    }

    @Test
    void cpuDemoKeepsItsRecipe() {
        TrainingConfig t = Presets.load("cpu-demo").training();
        assertEquals(List.of(TrainingConfig.Optimizer.ADAM, 3e-3, TrainingConfig.Schedule.CONSTANT, 30, 1.0,
                        TrainingConfig.Clip.PER_LAYER, 16, 400, 1L),
                List.of(t.optimizer(), t.learningRate(), t.schedule(), t.warmupSteps(), t.gradClip(), t.clip(),
                        t.batchSize(), t.steps(), t.seed()));
    }

    @Test
    void everyTrainingKeyIsSettableAndValidated() {
        TrainingConfig t = Presets.load("tiny", List.of("optimizer=sgd", "schedule=constant", "clip=per_layer",
                "grad_clip=0.5", "min_lr_ratio=0", "weight_decay=0.1", "beta2=0.95", "adam_epsilon=1e-6",
                "training.warmup_steps=10", "steps=20", "batch_size=8", "seed=3")).training();
        assertEquals(new TrainingConfig(TrainingConfig.Optimizer.SGD, 2.5e-4, 0.9, 0.95, 1e-6, 0.1,
                TrainingConfig.Schedule.CONSTANT, 10, 0.0, 0.5, TrainingConfig.Clip.PER_LAYER, 8, 20, 3), t);
        assertEquals(TrainingConfig.Optimizer.ADAMW, Presets.load("tiny", List.of("optimizer=adamw")).training().optimizer());
        assertMessage(() -> Presets.load("tiny", List.of("clip=layer")), "preset tiny", "clip = layer: must be one of global, per_layer");
        assertMessage(() -> Presets.load("tiny", List.of("schedule=linear")), "schedule = linear: must be one of constant, cosine");
        assertMessage(() -> Presets.load("tiny", List.of("steps=100")), "warmup_steps = 4000", "must be < steps = 100",
                "schedule constant");
        assertMessage(() -> Presets.load("tiny", List.of("grad_clip=-1")), "grad_clip = -1.0: must be >= 0");
        assertMessage(() -> Presets.load("tiny", List.of("min_lr_ratio=2")), "min_lr_ratio = 2.0: must be in [0, 1]");
        assertMessage(() -> Presets.load("tiny", List.of("learning_rate=0")), "learning_rate = 0.0: must be in (0, 1]");
        // constant schedule: a short run may end inside the warm-up (e.g. train-local --steps 5)
        assertEquals(5, Presets.load("cpu-demo", List.of("steps=5")).training().steps());
    }

    @Test
    void trainingConfigJsonHasSnakeCaseKeysAndValues() throws IOException {
        String json = Presets.JSON.writeValueAsString(TrainingConfig.PAPER.withClipping(TrainingConfig.Clip.PER_LAYER, 1.0));
        for (String part : List.of("\"optimizer\":\"adam\"", "\"learning_rate\":2.5E-4", "\"adam_epsilon\":1.0E-8",
                "\"schedule\":\"cosine\"", "\"min_lr_ratio\":0.1", "\"clip\":\"per_layer\"", "\"batch_size\":64")) {
            assertTrue(json.contains(part), part + " not in " + json);
        }
        assertEquals(TrainingConfig.PAPER, Presets.JSON.readValue(Presets.JSON.writeValueAsString(TrainingConfig.PAPER),
                TrainingConfig.class));
    }

    @Test
    void unknownPresetListsTheValidOnes() {
        assertMessage(() -> Presets.load("huge"), "preset 'huge' is unknown", "tiny, small, medium, large, cpu-demo");
        assertMessage(() -> Presets.load("tiny").variant("sparse", 8), "'sparse' is unknown", "dense, mosa, fixed");
    }

    @Test
    void presetFilesAreReadStrictly(@TempDir Path dir) throws IOException {
        String tiny = Files.readString(CONF_PRESETS.resolve("tiny.json"));
        Path custom = dir.resolve("custom.json");
        Files.writeString(custom, tiny.replace("\"name\": \"tiny\"", "\"name\": \"custom\""));
        assertEquals("custom", Presets.load(custom.toString()).name());

        Files.writeString(custom, tiny.replace("\"d_ff\": 2048,", ""));
        assertMessage(() -> Presets.load(custom.toString()), custom.toString() + ": model.d_ff: missing");
        Files.writeString(custom, tiny.replace("\"d_ff\": 2048,", "\"d_ff\": 2048, \"d_fff\": 1,"));
        assertMessage(() -> Presets.load(custom.toString()), "model", "d_fff");
        Files.writeString(custom, tiny.replace("\"mosa_heads\": 0", "\"mosa_heads\": 3"));
        assertMessage(() -> Presets.load(custom.toString()), "mosa_heads = 3", "dense baseline");
        Files.writeString(custom, "[1, 2]");
        assertMessage(() -> Presets.load(custom.toString()), "must be a JSON object");
        Files.writeString(custom, "{ not json");
        assertMessage(() -> Presets.load(custom.toString()), custom.toString(), "not a readable preset JSON");
    }

    @Test
    void presetsRoundTripThroughJson() throws IOException {
        for (String name : Presets.NAMES) {
            Preset p = Presets.load(name);
            assertEquals(p, Presets.JSON.readValue(Presets.JSON.writeValueAsString(p), Preset.class), name);
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        var e = assertThrows(RuntimeException.class, call);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
}
