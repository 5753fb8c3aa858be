package io.mosaspark.bench.model;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory of this JVM while some work runs, sampled by a daemon thread: JVM heap in use, ND4J's
 * off-heap arrays and the process's resident set (RSS).
 *
 * <p>ND4J off-heap = libnd4j's own allocation counter ({@code Environment.getDeviceCouner(0)}; on the
 * CPU backend every array buffer outside workspaces is counted there) plus javacpp's
 * {@link Pointer#totalBytes()} (other javacpp allocations) plus the blocks of ND4J workspaces
 * ({@link AllocationsTracker}; the layers and DL4J keep their per-step arrays there).
 * {@code Nd4j.getMemoryManager().allocatedMemory} alone misses the array buffers in 1.0.0-M2.1.
 *
 * <p>ND4J frees an array's native buffer only after the JVM has collected the array object, so the
 * peak "as run" includes dead arrays waiting for a GC, and depends on heap size and GC timing. In
 * {@link #collecting} mode the sampler forces a GC before every sample (a few hundred per second),
 * so the peak approaches the live peak: what a step truly needs. That mode slows the work down and
 * is used only for an untimed extra step.
 */
public final class MemoryPeak implements AutoCloseable {

    private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();

    private final boolean collect;
    private final AtomicLong heapPeak = new AtomicLong();
    private final AtomicLong nd4jPeak = new AtomicLong();
    private final AtomicLong rssPeak = new AtomicLong();
    private final long heapBefore;
    private final long nd4jBefore;
    private final long rssBefore;
    private final Thread sampler;
    private volatile boolean running = true;

    private MemoryPeak(boolean collect) {
        this.collect = collect;
        settle();
        heapBefore = heapUsed();
        nd4jBefore = nd4jBytes();
        rssBefore = Pointer.physicalBytes();
        sample();
        sampler = new Thread(this::loop, "memory-peak-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Samples every millisecond (peaks include garbage awaiting GC). The sampler takes a sizeable share
     * of a core and disturbs the caches: close it before timing anything.
     */
    public static MemoryPeak start() {
        return new MemoryPeak(false);
    }

    /** Forces a GC before every sample: peaks close to the live peak; the work runs slower. */
    public static MemoryPeak collecting() {
        return new MemoryPeak(true);
    }

    /**
     * GC until ND4J's count stops falling: its deallocator threads free native buffers shortly
     * <em>after</em> a GC, so a single System.gc() leaves dead arrays in the baseline.
     */
    private static void settle() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = nd4jBytes();
            if (now >= last) return;
            last = now;
        }
    }

    private void loop() {
        while (running) {
            if (collect) System.gc();
            sample();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        heapPeak.accumulateAndGet(heapUsed(), Math::max);
        nd4jPeak.accumulateAndGet(nd4jBytes(), Math::max);
        rssPeak.accumulateAndGet(Pointer.physicalBytes(), Math::max);
    }

    private static long heapUsed() {
        return HEAP.getHeapMemoryUsage().getUsed();
    }

    static long nd4jBytes() {
        return Nd4j.getEnvironment().getDeviceCouner(0) + Pointer.totalBytes()
                + AllocationsTracker.getInstance().bytesOnDevice(AllocationKind.WORKSPACE, 0);
    }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    /** Whether the sampler thread still runs: false once {@link #close} has returned normally. */
    public boolean sampling() {
        return sampler.isAlive();
    }

    /** Peaks, values at start and peak − start for heap, ND4J off-heap and RSS, in bytes, named {@code prefix_…}. */
    public Map<String, Object> fields(String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(prefix + "heap_peak_bytes", heapPeak.get());
        m.put(prefix + "heap_before_bytes", heapBefore);
        m.put(prefix + "offheap_nd4j_peak_bytes", nd4jPeak.get());
        m.put(prefix + "offheap_nd4j_before_bytes", nd4jBefore);
        m.put(prefix + "rss_peak_bytes", rssPeak.get());
        m.put(prefix + "rss_before_bytes", rssBefore);
        return m;
    }

    /** VmHWM of /proc/self/status (Linux; the kernel's peak RSS of the process), -1 elsewhere. */
    static long kernelHighWaterMark() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst().orElse(-1L);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
