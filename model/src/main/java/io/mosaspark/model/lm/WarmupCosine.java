package io.mosaspark.model.lm;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate rising linearly to {@code peak} over {@code warmupSteps} iterations, then falling
 * along a half cosine to {@code minRatio · peak} at iteration {@code totalSteps}, and staying there:
 * <pre>
 *   i &lt; W:  lr(i) = peak · (i + 1) / W
 *   i ≥ W:  lr(i) = min + (peak − min) · ½ · (1 + cos(π · min(1, (i − W) / (S − W)))),  min = minRatio · peak
 * </pre>
 * i is the network's iteration count (DL4J passes it to the updater), so a trainer that sets the
 * count on a restored network continues the schedule exactly.
 *
 * <p>Written like {@link LinearWarmup}, with a Jackson creator for ND4J's shaded Jackson, because the
 * schedule is part of the saved network configuration and must be read back by ModelSerializer.
 */
public final class WarmupCosine implements ISchedule {

    @JsonProperty("peak")
    private final double peak;
    @JsonProperty("warmupSteps")
    private final int warmupSteps;
    @JsonProperty("totalSteps")
    private final int totalSteps;
    @JsonProperty("minRatio")
    private final double minRatio;

    @JsonCreator
    public WarmupCosine(@JsonProperty("peak") double peak, @JsonProperty("warmupSteps") int warmupSteps,
                        @JsonProperty("totalSteps") int totalSteps, @JsonProperty("minRatio") double minRatio) {
        if (!(peak > 0)) throw new IllegalArgumentException("learning_rate = " + peak + ": must be > 0");
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps = " + warmupSteps + ": must be >= 0");
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("steps = " + totalSteps + ": must be > warmup_steps = " + warmupSteps
                    + " (the cosine decay needs at least one step)");
        }
        if (!(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException("min_lr_ratio = " + minRatio + ": must be in [0, 1]");
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.minRatio = minRatio;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupSteps) return peak * (iteration + 1.0) / warmupSteps;
        double progress = Math.min(1.0, (iteration - warmupSteps) / (double) (totalSteps - warmupSteps));
        double min = minRatio * peak;
        return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosine(peak, warmupSteps, totalSteps, minRatio);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupCosine w && w.peak == peak && w.warmupSteps == warmupSteps
                && w.totalSteps == totalSteps && w.minRatio == minRatio;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(peak, warmupSteps, totalSteps, minRatio);
    }

    @Override
    public String toString() {
        return "WarmupCosine(peak=" + peak + ", warmupSteps=" + warmupSteps + ", totalSteps=" + totalSteps
                + ", minRatio=" + minRatio + ")";
    }
}
