package io.mosaspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.bench.harness.BenchReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mosa bench}: suite names, refusals, and one real model suite end to end. */
class BenchCommandTest {

    @Test
    void unknownSuiteIsRefusedWithTheValidNames(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        int exit = cli.execute("no-such-suite", "--out", dir.resolve("r.json").toString());
        assertEquals(2, exit);
        assertTrue(err.toString().contains("unknown suite 'no-such-suite'"), err.toString());
        assertTrue(err.toString().contains("attention-scaling, tiny-step, throughput, gemm, profile, tokenize, bpe-train"),
                err.toString());
    }

    @Test
    void unknownPresetAndBadValuesAreUsageErrorsNotCrashes(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("throughput", "--preset", "nope", "--out", dir.resolve("r.json").toString()));
        assertTrue(err.toString().contains("preset 'nope' is unknown"), err.toString());

        StringWriter err2 = new StringWriter();
        CommandLine cli2 = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err2));
        assertEquals(2, cli2.execute("gemm", "--repeats", "0", "--out", dir.resolve("r.json").toString()));
        assertTrue(err2.toString().contains("--repeats = 0"), err2.toString());

        StringWriter err3 = new StringWriter();
        CommandLine cli3 = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err3));
        assertEquals(2, cli3.execute("tokenize", "--mb", "0", "--out", dir.resolve("r.json").toString()));
        assertTrue(err3.toString().contains("--mb = 0.0: must be > 0"), err3.toString());
    }

    @Test
    void zeroRoundsIsAUsageErrorNamingTheOption(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("throughput", "--rounds", "0", "--out", dir.resolve("r.json").toString()));
        assertTrue(err.toString().contains("--rounds = 0: must be >= 1"), err.toString());
    }

    /**
     * A real throughput run, small: cpu-demo at batch 1, one timed step, two rounds. PyTorch takes part
     * where /usr/bin/python3 has torch; elsewhere (CI) the rounds still run for ours.
     */
    @Test
    void throughputRunsRoundsAndQuotesTheMedianOfThePerRoundRatios(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("r.json");
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchCommand()).execute("throughput", "--preset", "cpu-demo", "--batch", "1",
                    "--warmup", "0", "--repeats", "1", "--rounds", "2", "--heap", "1g", "--off-heap", "2g",
                    "--torch-script", "torch_mosa.py", "--out", out.toString());
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        JsonNode report = BenchReport.JSON.readTree(out.toFile());
        JsonNode results = report.get("suites").get("throughput");
        // the GEMM ceiling ran in a child JVM (ChildJvm) and came back as JSON
        assertEquals("gemm", results.get(0).get("result").asText());
        assertTrue(results.get(0).get("gemm_path").asText().startsWith("io.mosaspark.model.nn.Gemm.into"), results.get(0).toString());
        assertTrue(results.get(0).get("gflops_per_s_mix").asDouble() > 0, results.get(0).toString());
        for (int i = 1; i <= 2; i++) {
            JsonNode v = results.get(i);
            assertEquals(2, v.get("rounds").asInt(), v.toString());
            JsonNode steps = v.get("step_s_median_rounds");
            assertEquals(2, steps.size(), v.toString());
            assertEquals((steps.get(0).asDouble() + steps.get(1).asDouble()) / 2, v.get("step_s_median").asDouble(), 1e-12);
            assertEquals(128 / v.get("step_s_median").asDouble(), v.get("tokens_per_s").asDouble(), 1e-9 * v.get("tokens_per_s").asDouble());
            assertTrue(v.get("asrun_offheap_nd4j_peak_bytes").asLong() > 0, v.toString());
            assertEquals(v.get("step_s_median").asDouble() - v.get("step_gemm_s_mean").asDouble(),
                    v.get("non_gemm_s_per_step").asDouble(), 1e-12, v.toString());
            if (v.has("torch")) {
                assertTrue(v.get("torch").asText().startsWith("skipped: "), v.toString());
                continue;
            }
            JsonNode ratios = v.get("throughput_ratio_rounds");
            assertEquals(2, ratios.size(), v.toString());
            assertEquals(2, v.get("torch_step_s_median_rounds").size(), v.toString());
            assertEquals((ratios.get(0).asDouble() + ratios.get(1).asDouble()) / 2,
                    v.get("throughput_ratio_ours_over_torch").asDouble(), 1e-12);
            // each round's ratio pairs that round's two step times
            assertEquals(v.get("torch_step_s_median_rounds").get(1).asDouble() / steps.get(1).asDouble(),
                    ratios.get(1).asDouble(), 1e-9 * ratios.get(1).asDouble());
            assertEquals(2, v.get("throughput_ratio_cpu_rounds").size(), v.toString());
        }
        // the provenance: what was asked for, with every default filled in
        JsonNode config = report.get("provenance").get("config");
        assertEquals("throughput", config.get("args").get(0).asText());
        assertEquals(2, config.get("options").get("rounds").asInt());
        assertEquals(8, config.get("options").get("sparsity").asInt(), "defaults are recorded too");
        assertEquals(1, config.get("machine").get("threads").asInt());
    }
}
