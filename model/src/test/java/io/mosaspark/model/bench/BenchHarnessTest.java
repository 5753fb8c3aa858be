package io.mosaspark.model.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness around the measurements: statistics, fits, output, child JVMs, refusals. */
class BenchHarnessTest {

    @Test
    void timingReportsMedianAndSpreadOfTheTimedRepeatsOnly() {
        Timing t = Timing.ofWall(List.of(3.0, 1.0, 2.0, 10.0));
        assertEquals(2.5, t.median(), 1e-12);
        assertEquals(1.0, t.min(), 1e-12);
        assertEquals((10.0 - 1.0) / 2.5, t.relativeSpread(), 1e-12);

        int[] calls = {0};
        Timing measured = Timing.measure(2, 3, () -> calls[0]++);
        assertEquals(5, calls[0], "2 warm-up + 3 timed runs");
        assertEquals(3, measured.seconds().size());
        assertEquals(3, measured.cpuSeconds().size());
    }

    @Test
    void shortWorkIsRepeatedWithinASampleAndReportedPerRun() {
        int[] calls = {0};
        Timing t = Timing.measure(0, 2, 0.2, () -> {
            calls[0]++;
            long end = System.nanoTime() + 1_000_000; // 1 ms of busy work
            while (System.nanoTime() < end) Thread.onSpinWait();
        });
        assertTrue(calls[0] > 2 * 10, "a 1 ms body fills a 200 ms sample with many runs, ran " + calls[0]);
        // per run, not per sample (a sample lasts ~200 ms); generous above for a busy machine
        assertTrue(t.median() > 0.0009 && t.median() < 0.1, "per-run time " + t.median());
    }

    @Test
    void timingRefusesNoRepeats() {
        var e = assertThrows(IllegalArgumentException.class, () -> Timing.measure(0, 0, () -> { }));
        assertTrue(e.getMessage().contains("repeats = 0"), e.getMessage());
    }

    @Test
    void growthExponentRecoversLinearAndQuadraticPowerLaws() {
        List<Long> ts = List.of(256L, 512L, 1024L, 2048L);
        List<Double> linear = ts.stream().map(t -> 3e-5 * t).toList();
        List<Double> quadratic = ts.stream().map(t -> 1e-8 * t * t).toList();
        assertEquals(1.0, GrowthFit.exponent(ts, linear), 1e-9);
        assertEquals(2.0, GrowthFit.exponent(ts, quadratic), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> GrowthFit.exponent(List.of(1L), List.of(1.0)));
    }

    @Test
    void crossoverIsWhereTheCandidateStaysFaster() {
        List<Long> ts = List.of(256L, 512L, 1024L, 2048L);
        // faster at 256 by noise, slower at 512, faster from 1024 on
        assertEquals(1024.0, GrowthFit.crossover(ts, List.of(2.0, 2.0, 4.0, 8.0), List.of(1.0, 3.0, 3.0, 3.0)).getAsDouble());
        assertTrue(GrowthFit.crossover(ts, List.of(1.0, 1.0, 1.0, 1.0), List.of(2.0, 2.0, 2.0, 2.0)).isEmpty());
    }

    @Test
    void reportPrintsOneJsonLinePerResultAndWritesAllWithProvenance(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        BenchReport report = new BenchReport(Map.of("code_version", "test"), new PrintStream(lines, true, StandardCharsets.UTF_8));
        report.emit("s", "a", Map.of("x", 1));
        report.emit("s", "b", Map.of("x", 2));
        List<String> printed = lines.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, printed.size());
        assertEquals("b", BenchReport.JSON.readTree(printed.get(1)).get("result").asText());

        Path out = dir.resolve("r.json");
        report.writeTo(out);
        JsonNode all = BenchReport.JSON.readTree(out.toFile());
        assertEquals("test", all.get("provenance").get("code_version").asText());
        assertEquals(2, all.get("results").size());
        assertEquals(2, all.get("results").get(1).get("x").asInt());
    }

    @Test
    void childJvmFailureNamesTheProbe() {
        ChildJvm child = new ChildJvm("512m", "1g", 1, 120);
        var e = assertThrows(IllegalStateException.class, () -> child.run(GemmProbe.NAME,
                Map.of("warmup", 0, "repeats", 1, "shapes", List.of(Map.of("what", "bad", "m", 0, "k", 8, "n", 8)))));
        assertTrue(e.getMessage().contains("probe gemm failed"), e.getMessage());
        assertTrue(e.getMessage().contains("gemm shape bad: sizes must be >= 1"), e.getMessage());
    }

    @Test
    void unknownSuiteIsRefusedWithTheValidNames(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        int exit = cli.execute("no-such-suite", "--out", dir.resolve("r.json").toString());
        assertEquals(2, exit);
        assertTrue(err.toString().contains("unknown suite 'no-such-suite'"), err.toString());
        assertTrue(err.toString().contains("attention-scaling, tiny-step, throughput"), err.toString());
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
                    "--torch-script", Path.of("..", "bench", "torch_mosa.py").toString(), "--out", out.toString());
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        JsonNode results = BenchReport.JSON.readTree(out.toFile()).get("results");
        // the GEMM ceiling ran in a child JVM (ChildJvm) and came back as JSON
        assertEquals(GemmProbe.PATH, results.get(0).get("gemm_path").asText());
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
    }

    @Test
    void badOptionValuesAreRefusedNamingTheOption() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new BenchOptions(1, 0, 1, new ChildJvm("1g", "1g", 1, 10), Path.of("x"), Path.of("y")));
        assertTrue(e.getMessage().contains("--repeats = 0"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class, () -> new AttentionScalingSuite(8, 256, 64, 1, 256, 128, 4096));
        assertTrue(t.getMessage().contains("--max-t = 128"), t.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> new ChildJvm("1g", "1g", 0, 10));
        assertTrue(c.getMessage().contains("threads = 0"), c.getMessage());
    }

    @Test
    void gemmBudgetSplitsTheStepAgainstTheTarget() {
        // 2 GFLOP per step, a 100 GFLOP/s ceiling: the target (0.5) needs a 40 ms step
        Map<String, Object> b = ThroughputSuite.gemmBudget(2e9, 0.060, 0.025, 100e9);
        assertEquals(0.035, (double) b.get("non_gemm_s_per_step"), 1e-12);
        assertEquals(0.8, (double) b.get("mfu_if_only_gemm"), 1e-12);
        assertEquals(0.015, (double) b.get("non_gemm_budget_s_for_target"), 1e-12);
        assertTrue((double) ThroughputSuite.gemmBudget(2e9, 0.060, 0.045, 100e9).get("non_gemm_budget_s_for_target") < 0,
                "products alone slower than the target step leave a negative budget");
    }

    @Test
    void gemmShapesFollowTheModel() {
        var shapes = ThroughputSuite.gemmShapes(io.mosaspark.model.config.Presets.load("tiny").dense(), 2);
        assertEquals(Map.of("what", "lm head", "batch", 1L, "m", 2048L, "k", 512L, "n", 8000L), shapes.get(4));
        // tiny: 9 dense heads of 64 at T = 1024, batch 2
        assertEquals(Map.of("what", "attention scores q·kᵀ", "batch", 18L, "m", 1024L, "k", 64L, "n", 1024L), shapes.get(5));
        assertFalse(shapes.isEmpty());
    }
}
