package io.mosaspark.model.bench;

import io.mosaspark.model.nn.OpenBlasCore;
import io.mosaspark.provenance.CodeVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a benchmark run was made: code version, machine, JVM, arguments, time. */
public final class Provenance {

    private Provenance() {
    }

    public static Map<String, Object> of(List<String> args, int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tool", "mosa bench");
        p.put("code_version", codeVersion());
        p.put("started_utc", Instant.now().toString());
        p.put("args", args);
        p.put("threads", threads);
        // OpenBLAS kernel choice from the environment, which child JVMs and PyTorch inherit
        String core = System.getenv(OpenBlasCore.ENV);
        p.put("openblas_coretype", core == null || core.isBlank() ? "auto-detected by OpenBLAS" : core);
        OpenBlasCore.advice().ifPresent(a -> p.put("openblas_warning", a));
        p.put("cpu_model", cpuModel());
        p.put("available_processors", Runtime.getRuntime().availableProcessors());
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.put("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return p;
    }

    /** The code that ran: Maven version and the git commit it was built from. */
    static String codeVersion() {
        return CodeVersion.current().toString();
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
