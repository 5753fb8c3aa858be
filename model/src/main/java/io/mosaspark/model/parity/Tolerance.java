package io.mosaspark.model.parity;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A tensor passes if its max absolute error is ≤ {@code abs} or its scale-relative error is ≤ {@code rel}.
 */
public record Tolerance(double abs, double rel) {

    public Tolerance {
        if (!(abs >= 0) || !(rel >= 0)) {
            throw new IllegalArgumentException("tolerance abs = " + abs + ", rel = " + rel + ": both must be >= 0");
        }
    }

    /** What the reference reproduces to: 1e-9 absolute in float64, 1e-4 relative in float32. */
    public static Tolerance forType(DataType type) {
        return switch (type) {
            case DOUBLE -> new Tolerance(1e-9, 0);
            case FLOAT -> new Tolerance(0, 1e-4);
            default -> throw new IllegalArgumentException("parity runs in DOUBLE or FLOAT, not " + type);
        };
    }
}
