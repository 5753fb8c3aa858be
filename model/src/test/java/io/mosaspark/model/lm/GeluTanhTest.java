package io.mosaspark.model.lm;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Java gelu_tanh kernels against the tanh formula, in double and float, across blocks. */
class GeluTanhTest {

    @Test
    void forwardAndDerivativeMatchTheTanhFormula() {
        int n = 7 * 10_001;                           // more than one block, not a multiple of it
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) values[i] = -60 + 120.0 * i / (n - 1);   // far tails included
            INDArray a = Nd4j.createFromArray(values).castTo(type).reshape(7, 10_001);
            INDArray s = a.ulike(), g = a.ulike(), again = a.ulike();
            GeluTanh.forward(a, s, g);
            GeluTanh.recompute(a, s, again);
            INDArray dg = Nd4j.ones(type, a.shape());
            GeluTanh.backwardInPlace(dg, a, s);
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-6;
            for (int i = 0; i < n; i += 97) {
                double x = a.getDouble(i / 10_001, i % 10_001);
                double t = Math.tanh(GeluTanh.C * (x + GeluTanh.A * x * x * x));
                double gelu = 0.5 * x * (1 + t);
                double derivative = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GeluTanh.C * (1 + 3 * GeluTanh.A * x * x);
                assertEquals(gelu, g.getDouble(i / 10_001, i % 10_001), tolerance * Math.max(1, Math.abs(gelu)), "gelu(" + x + ")");
                assertEquals(derivative, dg.getDouble(i / 10_001, i % 10_001), tolerance * 4, "gelu'(" + x + ")");
            }
            assertEquals(g, again);
        }
    }

    @Test
    void mismatchedArraysAreRefused() {
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> GeluTanh.forward(a, Nd4j.create(DataType.FLOAT, 5, 4), a.ulike()));
        assertThrows(IllegalArgumentException.class, () -> GeluTanh.forward(a, Nd4j.create(DataType.DOUBLE, 4, 5), a.ulike()));
    }
}
