package io.mosaspark.model.demo;

import io.mosaspark.provenance.CodeVersion;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The code that ran: Maven version and the git commit it was built from. */
    static String codeVersion() {
        return CodeVersion.current().toString();
    }
}
