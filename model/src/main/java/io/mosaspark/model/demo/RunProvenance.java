package io.mosaspark.model.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How a demo run was made: code version, time, JVM, threads; merged into each run's run.json. */
final class RunProvenance {

    private RunProvenance() {
    }

    static Map<String, Object> now() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("code_version", codeVersion());
        p.put("started_utc", Instant.now().toString());
        p.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        p.put("available_processors", Runtime.getRuntime().availableProcessors());
        // timings of a shared machine mean little without it
        p.put("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return p;
    }

    /** {@code git describe --always --dirty} when run from a checkout, else the jar's version. */
    static String codeVersion() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty()) return "git:" + out;
        } catch (IOException e) {
            // no git here: fall back to the jar manifest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String v = RunProvenance.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : "jar:" + v;
    }
}
