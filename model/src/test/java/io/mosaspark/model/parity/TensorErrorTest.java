package io.mosaspark.model.parity;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The plain-array comparison (used by the CUDA backend) judges exactly as the ND4J one does. */
class TensorErrorTest {

    @Test
    void arraysAndNd4jArraysGiveTheSameError() {
        double[] expected = {1, -4, 0.5, 2}, actual = {1.1, -4, 0.5, 1.8};
        long[] shape = {2, 2};
        TensorError plain = TensorError.compare("t", actual, expected, shape);
        TensorError nd4j = TensorError.compare("t", Nd4j.create(actual, shape), Nd4j.create(expected, shape));
        assertEquals(nd4j.maxAbs(), plain.maxAbs(), 1e-15);
        assertEquals(nd4j.maxRel(), plain.maxRel(), 1e-15);
        assertEquals(0.2 / 4, plain.maxRel(), 1e-12);
    }

    @Test
    void nanAndWrongLengthNeverPass() {
        Tolerance loose = new Tolerance(1e3, 1e3);
        assertFalse(TensorError.compare("t", new double[]{Double.NaN, 1}, new double[]{0, 1}, new long[]{2}).within(loose));
        assertFalse(TensorError.compare("t", new double[]{1}, new double[]{0, 1}, new long[]{2}).within(loose));
    }
}
