package io.mosaspark.bench.train;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.model.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where a trainer measurement ({@link TrainProbe}) runs: a fresh child JVM, or this JVM for tests. */
@FunctionalInterface
interface ProbeRunner {

    Map<String, Object> run(String probe, Map<String, Object> spec);

    /**
     * Each measurement in a fresh JVM with {@code child}'s heap, thread environment (OMP_NUM_THREADS,
     * SD_MAX_THREADS, SD_MASTER_THREADS) and timeout, and the JVM options this JVM was started with that
     * a Spark driver needs ({@link #sparkJvmOptions}).
     */
    static ProbeRunner childJvm(ChildJvm child) {
        List<String> options = sparkJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments());
        return (probe, spec) -> child.run(TrainProbe.class, options, probe, spec);
    }

    /**
     * In this JVM, through the same JSON in and out as a child: for tests, where starting a JVM and
     * loading ND4J would cost more than the tiny runs they time. Thread counts are this JVM's.
     */
    static ProbeRunner inProcess() {
        return (probe, spec) -> {
            var body = TrainProbe.PROBES.get(probe);
            if (body == null) throw new IllegalArgumentException("no trainer probe '" + probe + "'");
            try {
                return BenchReport.JSON.readValue(BenchReport.toJson(body.apply(BenchReport.toJson(spec))),
                        new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Of this JVM's options, those a child that runs Spark needs too: Java 17's module openings (which
     * {@code ./mosa} and the build's test JVMs pass, as Spark's own launcher does), and the logging
     * configuration and checkout home the launcher sets.
     */
    static List<String> sparkJvmOptions(List<String> parent) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < parent.size(); i++) {
            String a = parent.get(i);
            if ((a.equals("--add-opens") || a.equals("--add-exports")) && i + 1 < parent.size()) {
                kept.add(a);
                kept.add(parent.get(++i));
            } else if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=")
                    || a.startsWith("-Djdk.reflect.useDirectMethodHandle=") || a.startsWith("-Dlog4j2.configurationFile=")
                    || a.startsWith("-Dmosa.home=")) {
                kept.add(a);
            }
        }
        return kept;
    }
}
