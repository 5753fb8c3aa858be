package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;

import java.util.Map;
import java.util.function.Function;

/**
 * Entry point of a child JVM started by {@link ChildJvm}: {@code Probe <name> <spec JSON>} runs one
 * measurement and prints its result as one line {@code PROBE-RESULT {json}} on stdout.
 */
public final class Probe {

    private static final Map<String, Function<String, Map<String, Object>>> PROBES = Map.of(
            GemmProbe.NAME, GemmProbe::run,
            AttentionProbe.NAME, AttentionProbe::run,
            LmStepProbe.NAME, LmStepProbe::run,
            ProfileProbe.NAME, ProfileProbe::run);

    private Probe() {
    }

    public static void main(String[] args) {
        serve(args, PROBES);
    }

    /**
     * The child side of {@link ChildJvm}: runs probe {@code args[0]} of {@code probes} on the spec
     * {@code args[1]}, prints its result line and exits (1 with a one-line diagnosis on failure).
     */
    public static void serve(String[] args, Map<String, Function<String, Map<String, Object>>> probes) {
        if (args.length != 2 || !probes.containsKey(args[0])) {
            System.err.println("usage: <" + String.join("|", probes.keySet()) + "> <spec JSON>");
            System.exit(2);
        }
        Map<String, Object> result;
        try {
            result = probes.get(args[0]).apply(args[1]);
        } catch (RuntimeException | OutOfMemoryError e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            String where = root.getStackTrace().length > 0 ? " at " + root.getStackTrace()[0] : "";
            System.err.println("probe " + args[0] + " failed: " + root + where);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        System.out.println(ChildJvm.RESULT_PREFIX + BenchReport.toJson(result));
        System.out.flush();
        // ND4J's non-daemon threads can keep a JVM alive after main returns
        System.exit(0);
    }

    static <T> T parse(String json, Class<T> type) {
        try {
            return BenchReport.JSON.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("bad probe spec for " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
