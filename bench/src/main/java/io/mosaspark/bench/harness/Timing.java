package io.mosaspark.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall-clock seconds of several timed repeats of one piece of work, taken after warm-up runs that
 * are discarded (JIT, ND4J's first-use allocations and OpenBLAS thread start-up would otherwise
 * land in the first sample).
 *
 * <p>Each repeat also records the CPU time the whole process used. On a machine shared with other
 * jobs, wall time includes waiting for a core; with one compute thread, CPU time is the steadier
 * measure of the work itself, so suites quote both.
 *
 * @param seconds    wall-clock seconds of every timed repeat, in the order run
 * @param cpuSeconds process CPU seconds (all threads) of the same repeats
 */
public record Timing(List<Double> seconds, List<Double> cpuSeconds) {

    public Timing {
        if (seconds == null || seconds.isEmpty()) {
            throw new IllegalArgumentException("a timing needs at least one timed repeat");
        }
        if (cpuSeconds == null || cpuSeconds.size() != seconds.size()) {
            throw new IllegalArgumentException("a timing needs one CPU time per repeat");
        }
        seconds = List.copyOf(seconds);
        cpuSeconds = List.copyOf(cpuSeconds);
    }

    /** A timing of wall-clock samples only (CPU time unknown, taken as equal). */
    public static Timing ofWall(List<Double> seconds) {
        return new Timing(seconds, seconds);
    }

    /** Runs {@code body} {@code warmup} times untimed, then {@code repeats} times timed. */
    public static Timing measure(int warmup, int repeats, Runnable body) {
        return measure(warmup, repeats, 0, body);
    }

    /**
     * Like {@link #measure(int, int, Runnable)}, but each timed sample runs {@code body} as many times
     * as fill {@code minSampleSeconds} (judged from one calibration run) and reports the time per run:
     * process CPU time ticks in 10 ms steps, too coarse for a single short run.
     */
    public static Timing measure(int warmup, int repeats, double minSampleSeconds, Runnable body) {
        if (warmup < 0) throw new IllegalArgumentException("warmup = " + warmup + ": must be >= 0");
        if (repeats < 1) throw new IllegalArgumentException("repeats = " + repeats + ": must be >= 1");
        for (int i = 0; i < warmup; i++) body.run();
        int calls = 1;
        if (minSampleSeconds > 0) {
            long t0 = System.nanoTime();
            body.run();
            double once = Math.max((System.nanoTime() - t0) / 1e9, 1e-6);
            calls = (int) Math.min(10_000, Math.max(1, Math.ceil(minSampleSeconds / once)));
        }
        List<Double> wall = new ArrayList<>(repeats);
        List<Double> cpu = new ArrayList<>(repeats);
        for (int i = 0; i < repeats; i++) {
            long c0 = PROCESS.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int c = 0; c < calls; c++) body.run();
            wall.add((System.nanoTime() - t0) / 1e9 / calls);
            cpu.add((PROCESS.getProcessCpuTime() - c0) / 1e9 / calls);
        }
        return new Timing(wall, cpu);
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public double median() {
        return median(seconds);
    }

    public double cpuMedian() {
        return median(cpuSeconds);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(List<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("the median of no values is undefined");
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        return sorted().get(seconds.size() - 1);
    }

    /** (max − min) / median: how far apart the repeats were; large values mean a noisy machine. */
    public double relativeSpread() {
        return (max() - min()) / median();
    }

    /** The fields every result line carries for one timing, prefixed (e.g. {@code dense_s_median}). */
    public Map<String, Object> fields(String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(prefix + "_s_median", median());
        m.put(prefix + "_s_min", min());
        m.put(prefix + "_s_max", max());
        m.put(prefix + "_rel_spread", relativeSpread());
        m.put(prefix + "_cpu_s_median", cpuMedian());
        m.put(prefix + "_repeats", seconds.size());
        return m;
    }

    private List<Double> sorted() {
        return seconds.stream().sorted().toList();
    }
}
