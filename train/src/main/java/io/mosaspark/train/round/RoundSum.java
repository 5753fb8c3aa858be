package io.mosaspark.train.round;

import io.mosaspark.train.routing.ProbeSelections;
import io.mosaspark.train.routing.RoutingStats;
import io.mosaspark.train.state.FlatVector;

import java.io.Serializable;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the workers of a round add up to, merged pairwise up the aggregation tree: the sum of their
 * end-of-round parameters (and, for parameter averaging, Adam moments), the training loss summed over
 * their steps, timing, and the routing statistics. Fixed size whatever the worker count (but for the
 * workers' few probe selections): only these sums reach the driver.
 *
 * @param params          Σ workers' parameters after their H steps
 * @param optimizerState  Σ workers' optimizer state, or null when it stays on the workers
 * @param lossSum         Σ over workers and steps of the step's mean training loss
 * @param steps           worker-steps summed (N · H)
 * @param tokens          training tokens summed
 * @param workers         workers summed
 * @param maxComputeSeconds the slowest worker's time in its H steps (the round's compute time)
 * @param sumComputeSeconds Σ workers' compute time (for utilisation)
 * @param devices         what the workers ran on ("cpu", "gpu 0", …), each once
 * @param routing         Σ workers' routing statistics, or null when not collected
 * @param probe           each worker's selections on the probe batch after its steps, or null
 */
public record RoundSum(FlatVector params, FlatVector optimizerState, double lossSum, long steps, long tokens,
                       int workers, double maxComputeSeconds, double sumComputeSeconds, SortedSet<String> devices,
                       RoutingStats routing, ProbeSelections probe)
        implements Serializable {

    /** Without routing statistics. */
    public RoundSum(FlatVector params, FlatVector optimizerState, double lossSum, long steps, long tokens, int workers,
                    double maxComputeSeconds, double sumComputeSeconds, SortedSet<String> devices) {
        this(params, optimizerState, lossSum, steps, tokens, workers, maxComputeSeconds, sumComputeSeconds, devices,
                null, null);
    }

    /** a + b; consumes a's vectors and routing statistics (they are summed into in place), leaves b unchanged. */
    public static RoundSum merge(RoundSum a, RoundSum b) {
        a.params.addInPlace(b.params);
        if ((a.optimizerState == null) != (b.optimizerState == null)) {
            throw new IllegalStateException("workers disagree on whether optimizer state is averaged");
        }
        if (a.optimizerState != null) a.optimizerState.addInPlace(b.optimizerState);
        return new RoundSum(a.params, a.optimizerState, a.lossSum + b.lossSum, a.steps + b.steps,
                a.tokens + b.tokens, a.workers + b.workers, Math.max(a.maxComputeSeconds, b.maxComputeSeconds),
                a.sumComputeSeconds + b.sumComputeSeconds, union(a.devices, b.devices),
                RoutingStats.merge(a.routing, b.routing), ProbeSelections.merge(a.probe, b.probe));
    }

    private static SortedSet<String> union(SortedSet<String> a, SortedSet<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Mean training loss over the round's worker-steps. */
    public double meanLoss() {
        return lossSum / steps;
    }
}
