package io.mosaspark.bench.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of the trainer's aggregation tree ({@code OrderedTreeAggregate}, which keeps Spark's
 * {@code treeAggregate} shape): fan-in {@code max(⌈n^(1/depth)⌉, 2)}, levels added while
 * {@code n > fanIn + ⌈n / fanIn⌉}. Used to say how many partial sums reach the driver.
 */
final class TreeShape {

    private TreeShape() {
    }

    static int fanIn(int workers, int depth) {
        return Math.max((int) Math.ceil(Math.pow(workers, 1.0 / depth)), 2);
    }

    /** Partial sums at each level, from the workers' own to what the driver collects. */
    static List<Integer> levels(int workers, int depth) {
        List<Integer> levels = new ArrayList<>(List.of(workers));
        int n = workers, scale = fanIn(workers, depth);
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
            levels.add(n);
        }
        return levels;
    }

    static int partialSumsAtDriver(int workers, int depth) {
        List<Integer> l = levels(workers, depth);
        return l.get(l.size() - 1);
    }
}
