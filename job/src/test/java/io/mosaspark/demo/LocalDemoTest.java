package io.mosaspark.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.cli.TrainLocalCommand;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.model.checkpoint.LmSafeTensors;
import io.mosaspark.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few steps of `mosa train-local` on a tiny model: it learns, and writes every artifact. */
class LocalDemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aShortRunLearnsAndWritesMetricsConfigsCheckpointsAndSummary(@TempDir Path out) throws IOException {
        StringWriter console = new StringWriter();
        CommandLine cl = new CommandLine(new TrainLocalCommand());
        cl.setOut(new PrintWriter(console));
        int exit = cl.execute("--out", out.toString(), "--steps", "30", "--batch", "4", "--seq-len", "64", "--rho", "8",
                "--eval-every", "15", "--eval-batch", "8", "--average-last", "2", "--set", "n_layers=1", "--set", "d_model=32",
                "--set", "head_dim=8", "--set", "d_ff=64", "--set", "learning_rate=0.01", "--set", "warmup_steps=0");
        assertEquals(0, exit, console.toString());
        assertTrue(console.toString().contains("mosa   step    30/30"), console.toString());

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(2, summary.get("runs").size());
        for (JsonNode run : summary.get("runs")) {
            String variant = run.get("variant").asText();
            // whichever positions the loss covers, the answers are among them: from ln V down towards ln(values)
            assertTrue(run.get("final_answer_loss").asDouble() < run.get("initial_answer_loss").asDouble() - 0.5,
                    variant + " did not learn: " + run);
            Path dir = out.resolve(variant);
            List<String> metrics = Files.readAllLines(dir.resolve("metrics.jsonl"));
            assertEquals(1 + 30, metrics.size(), "an evaluation before training plus one line per step");
            assertEquals(30, JSON.readTree(metrics.get(30)).get("step").asInt());
            assertTrue(JSON.readTree(metrics.get(30)).has("answer_loss"));

            // config.json is the run's provenance: the resolved configs, the code, the machine
            Provenance made = JSON.readValue(dir.resolve("config.json").toFile(), Provenance.class);
            assertEquals("train-local", made.artifact());
            assertTrue(made.codeVersion().startsWith("mosa-spark ") && made.createdAt() != null, made.toString());
            assertEquals("cpu-demo", made.config().get("preset").asText());
            assertEquals(variant, made.config().get("variant").asText());
            assertEquals(summary.get("loss_on").asText(), made.config().get("loss_on").asText());
            assertTrue(made.config().get("machine").has("omp_num_threads"), made.config().toString());
            ModelConfig expected = Presets.load("cpu-demo", List.of("n_layers=1", "d_model=32", "head_dim=8", "d_ff=64",
                    "seq_len=64")).variant(variant, 8);
            Path checkpoint = dir.resolve("model.safetensors");
            assertEquals(expected, LmSafeTensors.readConfig(checkpoint));
            // the checkpoint says which run made it
            Provenance weights = LmSafeTensors.readProvenance(checkpoint);
            assertEquals(LmSafeTensors.ARTIFACT, weights.artifact());
            assertEquals(30, weights.config().get("steps").asInt());
            assertEquals(made, weights.find("train-local").orElseThrow());
        }
        // the comparison: each model's answer loss is the mean of its last 2 evaluations (steps 15 and 30)
        JsonNode comparison = summary.get("comparison");
        double[] expectedLoss = new double[2];
        for (int i = 0; i < 2; i++) {
            List<String> metrics = Files.readAllLines(out.resolve(i == 0 ? "dense" : "mosa").resolve("metrics.jsonl"));
            expectedLoss[i] = (JSON.readTree(metrics.get(15)).get("answer_loss").asDouble()
                    + JSON.readTree(metrics.get(30)).get("answer_loss").asDouble()) / 2;
        }
        assertEquals(expectedLoss[0], comparison.get("dense_answer_loss").asDouble(), 1e-12);
        assertEquals(expectedLoss[1], comparison.get("mosa_answer_loss").asDouble(), 1e-12);
        assertEquals(expectedLoss[1] / expectedLoss[0], comparison.get("answer_loss_mosa_over_dense").asDouble(), 1e-12);
        assertEquals(expectedLoss[0], summary.get("runs").get(0).get("answer_loss").asDouble(), 1e-12);
        // IsoFLOP: the hybrid costs no more than the dense baseline
        assertTrue(summary.get("runs").get(1).get("forward_flops").asLong() <= summary.get("runs").get(0).get("forward_flops").asLong());
    }
}
