package io.mosaspark.model.lm;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate rising linearly to {@code peak} over {@code warmupSteps} iterations, then constant (the
 * {@code constant} schedule of {@link io.mosaspark.model.config.TrainingConfig}):
 * lr(i) = peak · min(1, (i + 1) / warmupSteps).
 *
 * <p>Written here because ND4J's own {@code RampSchedule} computes the same but cannot be read back
 * from a saved network configuration in M2.1 (it has no Jackson creator), which breaks
 * ModelSerializer restore.
 */
public final class LinearWarmup implements ISchedule {

    @JsonProperty("peak")
    private final double peak;
    @JsonProperty("warmupSteps")
    private final int warmupSteps;

    @JsonCreator
    public LinearWarmup(@JsonProperty("peak") double peak, @JsonProperty("warmupSteps") int warmupSteps) {
        if (!(peak > 0)) throw new IllegalArgumentException("learning_rate = " + peak + ": must be > 0");
        if (warmupSteps < 1) throw new IllegalArgumentException("warmup_steps = " + warmupSteps + ": must be >= 1");
        this.peak = peak;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return peak * Math.min(1.0, (iteration + 1.0) / warmupSteps);
    }

    @Override
    public ISchedule clone() {
        return new LinearWarmup(peak, warmupSteps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearWarmup w && w.peak == peak && w.warmupSteps == warmupSteps;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(peak) * 31 + warmupSteps;
    }

    @Override
    public String toString() {
        return "LinearWarmup(peak=" + peak + ", warmupSteps=" + warmupSteps + ")";
    }
}
