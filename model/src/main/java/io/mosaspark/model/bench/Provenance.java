package io.mosaspark.model.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        p.put("cpu_model", cpuModel());
        p.put("available_processors", Runtime.getRuntime().availableProcessors());
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        p.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.put("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return p;
    }

    /** {@code git describe --always --dirty} of the working directory, else the jar's version. */
    static String codeVersion() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty()) return "git:" + out;
        } catch (IOException e) {
            // no git on this host: fall through to the jar manifest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : "jar:" + v;
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
