package io.mosaspark.bench.model;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Least-squares fit of log(time) = a + p · log(T) over the measured points: p is the growth
 * exponent (1 = linear in T, 2 = quadratic). Hand-written: it is five sums, and commons-math is not
 * a dependency of this module.
 */
public final class GrowthFit {

    private GrowthFit() {
    }

    public static double exponent(List<Long> lengths, List<Double> seconds) {
        if (lengths.size() != seconds.size() || lengths.size() < 2) {
            throw new IllegalArgumentException("a growth fit needs at least two (T, time) points, got "
                    + lengths.size() + " lengths and " + seconds.size() + " times");
        }
        int n = lengths.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            double x = Math.log(lengths.get(i));
            double y = Math.log(seconds.get(i));
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /**
     * The smallest measured T from which the candidate stays faster than the baseline at every
     * larger measured T; empty if it is not faster at the largest T.
     */
    public static OptionalDouble crossover(List<Long> lengths, List<Double> baseline, List<Double> candidate) {
        Long first = null;
        for (int i = lengths.size() - 1; i >= 0; i--) {
            if (candidate.get(i) < baseline.get(i)) first = lengths.get(i);
            else break;
        }
        return first == null ? OptionalDouble.empty() : OptionalDouble.of(first);
    }
}
