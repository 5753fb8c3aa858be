package io.mosaspark.bench.model;

import io.mosaspark.model.preset.Presets;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model suites' arithmetic, child JVMs and refusals, without timing anything real. */
class ModelSuitesTest {

    private static final BenchOptions OPTIONS = new BenchOptions(0, 1, 1, new ChildJvm("1g", "1g", 1, 10), Path.of("x"), Path.of("y"));

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
    void childJvmFailureNamesTheProbe() {
        ChildJvm child = new ChildJvm("512m", "1g", 1, 120);
        var e = assertThrows(IllegalStateException.class, () -> child.run(GemmProbe.NAME,
                Map.of("warmup", 0, "repeats", 1, "shapes", List.of(Map.of("what", "bad", "m", 0, "k", 8, "n", 8)))));
        assertTrue(e.getMessage().contains("probe gemm failed"), e.getMessage());
        assertTrue(e.getMessage().contains("gemm shape bad: sizes must be >= 1"), e.getMessage());
    }

    @Test
    void badOptionValuesAreRefusedNamingTheOption() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new BenchOptions(1, 0, 1, new ChildJvm("1g", "1g", 1, 10), Path.of("x"), Path.of("y")));
        assertTrue(e.getMessage().contains("--repeats = 0"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class, () -> new AttentionScalingSuite(OPTIONS, 8, 256, 64, 1, 256, 128, 4096));
        assertTrue(t.getMessage().contains("--max-t = 128"), t.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> new ChildJvm("1g", "1g", 0, 10));
        assertTrue(c.getMessage().contains("threads = 0"), c.getMessage());
    }

    @Test
    void everyModelSuiteIsMadeByItsName() {
        ModelSuiteOptions options = new ModelSuiteOptions();
        for (String name : ModelSuiteOptions.SUITES) assertEquals(name, options.suite(name, 1).name());
        var e = assertThrows(IllegalArgumentException.class, () -> options.suite("tokenize", 1));
        assertTrue(e.getMessage().contains("not a model suite"), e.getMessage());
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
        var shapes = ThroughputSuite.gemmShapes(Presets.load("tiny").dense(), 2);
        assertEquals(Map.of("what", "lm head", "batch", 1L, "m", 2048L, "k", 512L, "n", 8000L), shapes.get(4));
        // tiny: 9 dense heads of 64 at T = 1024, batch 2
        assertEquals(Map.of("what", "attention scores q·kᵀ", "batch", 18L, "m", 1024L, "k", 64L, "n", 1024L), shapes.get(5));
        assertFalse(shapes.isEmpty());
    }
}
