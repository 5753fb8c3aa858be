package io.mosaspark.bench.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy this host's CPUs are, from {@code /proc/stat}: every process counts, and so does time the
 * hypervisor gave to other guests (steal). Timing suites measure it before each pair of runs, and can
 * wait for a quiet moment first: on a shared 2-core machine one other build halves a 2-worker run.
 */
final class HostLoad {
    /** Busy share below which the host counts as quiet (0.3 of a core on 2 cores). */
    static final double QUIET = 0.15;
    private static final double SAMPLE_S = 2.0;

    private HostLoad() {
    }

    /** Busy share of all CPUs over the next {@code seconds}; NaN where /proc/stat is not readable. */
    static double busyFraction(double seconds) {
        long[] a = ticks();
        sleep(seconds);
        long[] b = ticks();
        if (a == null || b == null || b[0] == a[0]) return Double.NaN;
        return 1.0 - (double) (b[1] - a[1]) / (b[0] - a[0]);
    }

    /**
     * Waits until the host is quiet or {@code maxSeconds} have passed, whichever is first.
     *
     * @return the busy share last measured (right before the caller starts its run)
     */
    static double waitForQuiet(double maxSeconds) {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        double busy = busyFraction(SAMPLE_S);
        while (!(busy < QUIET) && !Double.isNaN(busy) && System.nanoTime() < deadline) busy = busyFraction(SAMPLE_S);
        return busy;
    }

    /** {total, idle + iowait} jiffies of the aggregate "cpu" line, or null. */
    private static long[] ticks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]); // guest time is inside user
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
