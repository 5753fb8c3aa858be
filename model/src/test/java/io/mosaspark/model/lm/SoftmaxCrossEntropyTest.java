package io.mosaspark.model.lm;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Java softmax cross-entropy against ND4J ops, in double and float, across row blocks. */
class SoftmaxCrossEntropyTest {

    // more rows than one block holds at V = 300 (65 536 / 300 = 218), so blocks are stitched
    private static final int ROWS = 500, VOCAB = 300;

    @Test
    void logSumExpLossAndGradientMatchNd4jOps() {
        for (DataType type : new DataType[]{DataType.DOUBLE, DataType.FLOAT}) {
            Nd4j.getRandom().setSeed(3);
            INDArray logits = Nd4j.randn(type, ROWS, VOCAB).muli(5);
            int[] targets = new int[ROWS];
            for (int n = 0; n < ROWS; n++) targets[n] = n % 7 == 3 ? -1 : (n * 37) % VOCAB;
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-5;

            INDArray d = logits.castTo(DataType.DOUBLE);
            INDArray max = d.max(true, 1);
            double[] expectedLse = Transforms.log(Transforms.exp(d.subColumnVector(max), true).sum(true, 1), true)
                    .addi(max).toDoubleVector();
            double[] lse = SoftmaxCrossEntropy.logSumExp(logits);
            assertArrayEquals(expectedLse, lse, tolerance * 10);

            double[] nll = SoftmaxCrossEntropy.negativeLogLikelihood(logits, lse, targets);
            for (int n = 0; n < ROWS; n++) {
                double expected = targets[n] < 0 ? 0 : expectedLse[n] - d.getDouble(n, targets[n]);
                assertEquals(expected, nll[n], tolerance * 10, "row " + n);
            }

            double scale = 0.25;
            INDArray expectedGrad = Nd4j.exec(new SoftMax(d, d.ulike(), -1))[0];
            for (int n = 0; n < ROWS; n++) {
                if (targets[n] < 0) expectedGrad.getRow(n).assign(0);
                else expectedGrad.putScalar(n, targets[n], expectedGrad.getDouble(n, targets[n]) - 1);
            }
            expectedGrad.muli(scale);
            INDArray inPlace = logits.dup();
            SoftmaxCrossEntropy.gradient(inPlace, lse, targets, scale, inPlace);
            assertEquals(0.0, expectedGrad.sub(inPlace.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), tolerance);
            INDArray into = logits.ulike();
            SoftmaxCrossEntropy.gradient(logits, lse, targets, scale, into);
            assertEquals(inPlace, into);
        }
    }

    @Test
    void otherLayoutsAreRefusedWithTheReason() {
        INDArray columnMajor = Nd4j.create(DataType.FLOAT, new long[]{4, 5}, 'f');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.logSumExp(columnMajor));
        assertEquals(true, e.getMessage().contains("row-major [N, V]"), e.getMessage());
    }
}
