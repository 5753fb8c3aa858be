package io.mosaspark.bench.train;

import io.mosaspark.bench.BenchCommand;
import io.mosaspark.bench.model.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer in a real child JVM, as the suites run it, and the command line's refusals. */
class TrainProbeChildTest {

    @Test
    void theTrainerRunsInAChildJvmWithOneThreadPerTaskAndLocalN() {
        ProbeRunner child = ProbeRunner.childJvm(new ChildJvm("1g", "2g", 1, 300));
        Map<String, Object> run = child.run(TrainRunProbe.NAME, TrainRuns.plan().spec(2).asMap());
        assertEquals("local[2]", run.get("spark_master"));
        assertEquals(Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "SD_MAX_THREADS", "1",
                "SD_MASTER_THREADS", "1"), run.get("thread_env"));
        List<?> rounds = (List<?>) run.get("rounds");
        assertEquals(3, rounds.size(), "one warm-up and two timed rounds");
        assertEquals(2L * 2 * 2 * 16, ((Number) run.get("tokens_per_round")).longValue(), "2 workers × H 2 × batch 2 × T 16");
        assertTrue(SteadyRounds.of(run, 1).tokensPerSecond() > 0);
        @SuppressWarnings("unchecked")
        List<List<Number>> jit = (List<List<Number>>) run.get(SteadyRounds.JIT_SAMPLES);
        double last = -1;
        for (List<Number> sample : jit) {
            assertTrue(sample.get(1).doubleValue() >= last, "the compilers' clock never runs back: " + jit);
            last = sample.get(1).doubleValue();
        }
        assertTrue(last > 0, "a JVM that ran Spark and a training step compiled something: " + jit);
        assertTrue(SteadyRounds.of(run, 1).jitSecondsTimed() >= 0);
    }

    @Test
    void badTrainerSuiteOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        for (List<String> args : List.of(List.of("train-scaling", "--pairs", "0"), List.of("train-scaling", "--local-steps", "0"),
                List.of("train-scaling", "--train-preset", "nope"), List.of("checkpoint", "--checkpoint-models", "nope"))) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(List.of("--out", dir.resolve("r.json").toString()));
            assertEquals(2, cli.execute(all.toArray(String[]::new)), args + ": " + err);
            String option = args.get(1);
            assertTrue(err.toString().contains(option.equals("--train-preset") || option.equals("--checkpoint-models")
                    ? "preset 'nope' is unknown" : option + " = 0"), args + ": " + err);
        }
    }
}
