package io.mosaspark.train.routing;

import io.mosaspark.train.data.TrainingData;
import io.mosaspark.train.data.WindowStream;

import java.io.IOException;

/**
 * The fixed batch replica drift is measured on: the first validation windows, the same for every
 * worker, every round and the driver.
 */
public final class ProbeBatch {
    /** Windows in the probe: enough sequences to average over, few enough to cost one small forward pass. */
    public static final int WINDOWS = 4;

    private ProbeBatch() {
    }

    /** The first min({@link #WINDOWS}, available) validation windows of {@code data}. */
    public static int[][] read(TrainingData data) throws IOException {
        int n = (int) Math.min(WINDOWS, data.validationWindows());
        if (n == 0) throw new IllegalArgumentException("the validation split of " + data.describe() + " has no window: "
                + "replica drift needs one (prepare with a larger --val-fraction)");
        int[][] windows = new int[n][data.windowLength()];
        try (WindowStream s = data.validation(0, 1, n)) {
            for (int[] w : windows) {
                if (!s.next(w)) throw new IllegalStateException("the validation split ended before window " + n);
            }
        }
        return windows;
    }
}
