package io.mosaspark.demo;

import io.mosaspark.model.checkpoint.LmSafeTensors;
import io.mosaspark.provenance.Provenance;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a demo run was made. Each variant's {@code config.json} is this provenance (artifact
 * {@value #ARTIFACT}): the resolved configs plus, under {@code machine}, what its timings depend on besides
 * the JVM and OS; the checkpoint it exports names the run as its parent.
 */
final class RunProvenance {

    static final String ARTIFACT = "train-local";

    private RunProvenance() {
    }

    /** The provenance of a run configured as {@code config}, made now. */
    static Provenance of(Map<String, Object> config) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put("machine", machine());
        return Provenance.of(ARTIFACT, c, List.of(), List.of());
    }

    /** The provenance of the weights {@code run} trained, described by {@code what} (preset, variant, steps, seed). */
    static Provenance checkpoint(Provenance run, Map<String, Object> what) {
        return Provenance.of(LmSafeTensors.ARTIFACT, what, List.of(), List.of(run));
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        // timings of a shared machine mean little without it
        m.put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return m;
    }
}
