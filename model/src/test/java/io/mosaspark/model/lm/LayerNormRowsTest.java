package io.mosaspark.model.lm;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java layer norm against the formula in ND4J ops, across several row blocks. */
class LayerNormRowsTest {

    @Test
    void forwardAndBackwardMatchTheFormulaOverSeveralBlocks() {
        int rows = 500, h = 300;                                  // 218 rows per block: three blocks
        double eps = 1e-5;
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, rows, h).muli(3).addi(1);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 1, h), b = Nd4j.randn(DataType.DOUBLE, 1, h);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, rows, h);

        INDArray centred = x.subColumnVector(x.mean(true, 1));
        INDArray rstd = Transforms.pow(centred.mul(centred).mean(true, 1).addi(eps), -0.5, true);
        INDArray xHatExpected = centred.mulColumnVector(rstd);
        INDArray yExpected = xHatExpected.mulRowVector(w).addRowVector(b);
        INDArray g = dy.mulRowVector(w);
        INDArray dxExpected = g.subColumnVector(g.mean(true, 1))
                .sub(xHatExpected.mulColumnVector(g.mul(xHatExpected).mean(true, 1))).mulColumnVector(rstd);

        INDArray xHat = x.ulike(), y = x.ulike(), dx = x.ulike();
        INDArray dW = Nd4j.create(DataType.DOUBLE, 1, h), dB = Nd4j.create(DataType.DOUBLE, 1, h);
        double[] r = LayerNormRows.forward(x, w, b, eps, xHat, y);
        LayerNormRows.backward(dy, xHat, r, w, dx, dW, dB);

        assertEquals(0.0, maxAbsDiff(yExpected, y), 1e-12);
        assertEquals(0.0, maxAbsDiff(xHatExpected, xHat), 1e-12);
        assertEquals(0.0, maxAbsDiff(dxExpected, dx), 1e-12);
        assertEquals(0.0, maxAbsDiff(dy.mul(xHatExpected).sum(true, 0), dW), 1e-9);
        assertEquals(0.0, maxAbsDiff(dy.sum(true, 0), dB), 1e-9);
        assertEquals(rstd.getDouble(rows - 1, 0), r[rows - 1], 1e-14);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
