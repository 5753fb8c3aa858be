package io.mosaspark.bench.train;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The JIT compilers' accumulated time in this JVM, sampled every {@link #PERIOD_MS} ms from the moment
 * it starts: lets a trainer suite say how much compiling went on during its timed rounds. On 2 cores
 * the C2 threads compete with the workers, and Spark's per-round code, run once a round, keeps them busy
 * for tens of seconds (docs/training.md, "Warm-up"), so a window that overlaps them measures the JIT,
 * not the trainer.
 *
 * <p>The figure covers this JVM only: the workers too in {@code local[N]}, the driver alone on a
 * standalone cluster.
 */
final class JitClock implements AutoCloseable {
    static final long PERIOD_MS = 100;

    private final CompilationMXBean jit;
    private final long startNanos = System.nanoTime();
    private final List<double[]> samples = new ArrayList<>();
    private final Thread sampler;

    private JitClock(CompilationMXBean jit) {
        this.jit = jit;
        sample();
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                sample();
            }
        }, "jit-clock");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling; null when this JVM does not report compilation time. */
    static JitClock startIfSupported() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        return bean != null && bean.isCompilationTimeMonitoringSupported() ? new JitClock(bean) : null;
    }

    private void sample() {
        double at = (System.nanoTime() - startNanos) / 1e9;
        double compiled = jit.getTotalCompilationTime() / 1e3;
        synchronized (samples) {
            samples.add(new double[] {at, compiled});
        }
    }

    /** [seconds since start, compiler seconds so far] pairs, oldest first. */
    List<double[]> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        sampler.interrupt();
        sample();
    }
}
