package io.mosaspark.model.nn;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time and FLOPs of the matrix products the model makes ({@link Gemm}, {@link BatchedGemm}) while
 * the clock runs: splits a training step, inside the step itself, into GEMM time and everything else
 * (softmaxes, norms, element-wise work, the optimiser, bookkeeping). A benchmark quotes model FLOPs
 * utilisation against the GEMM rate; this says how much of the step was not spent in GEMMs at all.
 *
 * <p>Off unless a benchmark starts it; then a product pays one volatile read. While on, two
 * {@code System.nanoTime} calls per product (not per matrix of a batched one): about a hundred per
 * cpu-demo step, microseconds against tens of milliseconds. Totals are summed over all threads.
 */
public final class GemmClock {

    /** What {@link #stop} returns: the totals since {@link #start}. */
    public record Reading(double seconds, long products, double flops) {

        /** FLOPs per second over the time spent in the products (0 if none ran). */
        public double gflopsPerSecond() {
            return seconds > 0 ? flops / seconds / 1e9 : 0;
        }
    }

    private static final long OFF = Long.MIN_VALUE;
    private static volatile boolean running;
    private static final LongAdder NANOS = new LongAdder();
    private static final LongAdder PRODUCTS = new LongAdder();
    private static final DoubleAdder FLOPS = new DoubleAdder();

    private GemmClock() {
    }

    /** Zeroes the totals and starts timing products. */
    public static void start() {
        NANOS.reset();
        PRODUCTS.reset();
        FLOPS.reset();
        running = true;
    }

    /** Stops timing and returns the totals since {@link #start}. */
    public static Reading stop() {
        running = false;
        return new Reading(NANOS.sum() / 1e9, PRODUCTS.sum(), FLOPS.sum());
    }

    /** A start mark for {@link #record}: the time now if the clock runs. */
    static long mark() {
        return running ? System.nanoTime() : OFF;
    }

    /** Adds a product that began at {@code mark}: {@code matrices} products of [m, k]·[k, n]. */
    static void record(long mark, long matrices, long m, long k, long n) {
        if (mark == OFF) return;
        NANOS.add(System.nanoTime() - mark);
        PRODUCTS.increment();
        FLOPS.add(2.0 * matrices * m * k * n);
    }
}
