package io.mosaspark.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness around the measurements: statistics, output, provenance. */
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
    void reportPrintsOneJsonLinePerResultAndWritesThemBySuiteWithProvenance(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Provenance made = Provenance.of(BenchProvenance.ARTIFACT, Map.of("args", List.of("s")), List.of(), List.of());
        BenchReport report = new BenchReport(made, new PrintStream(lines, true, StandardCharsets.UTF_8));
        report.emit("s", "a", Map.of("x", 1));
        report.emit("s", "b", Map.of("x", 2));
        report.emit("t", "c", Map.of("y", 3));
        report.addInput(new Provenance.Input("zipf(seed=1)", 10, null));
        report.addInput(new Provenance.Input("zipf(seed=1)", 10, null));
        List<String> printed = lines.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, printed.size());
        assertEquals("b", BenchReport.JSON.readTree(printed.get(1)).get("result").asText());
        assertEquals("s", BenchReport.JSON.readTree(printed.get(1)).get("suite").asText());

        Path out = dir.resolve("r.json");
        report.writeTo(out);
        JsonNode all = BenchReport.JSON.readTree(out.toFile());
        assertEquals(List.of("provenance", "suites"), fieldNames(all));
        assertEquals(List.of("s", "t"), fieldNames(all.get("suites")));
        assertEquals(2, all.get("suites").get("s").size());
        assertEquals("b", all.get("suites").get("s").get(1).get("result").asText());
        assertEquals(2, all.get("suites").get("s").get(1).get("x").asInt());
        assertFalse(all.get("suites").get("s").get(1).has("suite"), "the suite is the key, not repeated in each result");
        Provenance back = BenchReport.JSON.treeToValue(all.get("provenance"), Provenance.class);
        assertEquals("bench", back.artifact());
        assertEquals(List.of(new Provenance.Input("zipf(seed=1)", 10, null)), back.inputs(), "one corpus, listed once");
        assertEquals(made.createdAt(), back.createdAt());
    }

    @Test
    void benchProvenanceRecordsTheMachineBesideTheOptions() {
        Provenance p = BenchProvenance.of(List.of("gemm", "--threads", "2"), Map.of("threads", 2), 2);
        assertEquals("bench", p.artifact());
        assertTrue(p.codeVersion().startsWith("mosa-spark "), p.codeVersion());
        assertEquals(List.of("gemm", "--threads", "2"), BenchReport.JSON.convertValue(p.config().get("args"), List.class));
        assertEquals(2, p.config().get("options").get("threads").asInt());
        JsonNode machine = p.config().get("machine");
        assertEquals(2, machine.get("threads").asInt());
        for (String key : List.of("cpu_model", "openblas_coretype", "load_average_1m")) {
            assertTrue(machine.has(key), key + " missing from " + machine);
        }
        assertTrue(p.environment().availableProcessors() >= 1, "JVM and OS are the provenance's own environment");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
