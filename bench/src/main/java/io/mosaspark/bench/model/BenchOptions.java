package io.mosaspark.bench.model;

import java.nio.file.Path;

/**
 * Settings every suite shares.
 *
 * @param warmup      untimed runs before timing
 * @param repeats     timed runs; the median is reported
 * @param threads     ND4J/OpenMP/OpenBLAS threads of every child JVM, and PyTorch's thread count
 * @param child       how child JVMs are started
 * @param python      interpreter that runs the PyTorch reference
 * @param torchScript bench/torch_mosa.py
 */
public record BenchOptions(int warmup, int repeats, int threads, ChildJvm child, Path python, Path torchScript) {

    public BenchOptions {
        if (warmup < 0) throw new IllegalArgumentException("--warmup = " + warmup + ": must be >= 0");
        if (repeats < 1) throw new IllegalArgumentException("--repeats = " + repeats + ": must be >= 1");
        if (threads < 1) throw new IllegalArgumentException("--threads = " + threads + ": must be >= 1");
    }
}
