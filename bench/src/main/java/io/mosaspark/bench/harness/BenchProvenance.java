package io.mosaspark.bench.harness;

import io.mosaspark.model.nn.OpenBlasCore;
import io.mosaspark.provenance.Provenance;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provenance of a benchmark run (artifact {@value #ARTIFACT}): the command line, every option as
 * resolved, and under {@code machine} the facts timings need beside the JVM and OS that
 * {@link Provenance.Environment} records: CPU model, OpenBLAS kernel choice, threads, load average.
 */
public final class BenchProvenance {

    public static final String ARTIFACT = "bench";

    private BenchProvenance() {
    }

    /**
     * @param args    the command line as given
     * @param options every option of the command, defaults filled in
     * @param threads the ND4J/OpenBLAS/PyTorch thread count of the measurements
     */
    public static Provenance of(List<String> args, Map<String, Object> options, int threads) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "mosa bench");
        config.put("args", args);
        config.put("options", options);
        config.put("machine", machine(threads));
        return Provenance.of(ARTIFACT, config, List.of(), List.of());
    }

    static Map<String, Object> machine(int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_model", cpuModel());
        m.put("threads", threads);
        // OpenBLAS kernel choice from the environment, which child JVMs and PyTorch inherit
        String core = System.getenv(OpenBlasCore.ENV);
        m.put("openblas_coretype", core == null || core.isBlank() ? "auto-detected by OpenBLAS" : core);
        OpenBlasCore.advice().ifPresent(a -> m.put("openblas_warning", a));
        m.put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return m;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
