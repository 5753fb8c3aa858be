package io.mosaspark.model.attention;

import io.mosaspark.model.nn.BatchedGemm;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CausalProductsTest {

    private static final DataType[] TYPES = {DataType.FLOAT, DataType.DOUBLE};

    @Test
    void productsWithATriangleAreBitwiseTheFullOnes() {
        for (DataType type : TYPES) {
            for (int length : new int[]{1, 2, 3, 5, 8, 16, 17, 100, 128}) { // odd lengths: bands of unequal height
                Case c = new Case(type, length);
                assertBitwise(BatchedGemm.product(c.lower, false, c.x, false), CausalProducts.lowerTimes(c.lower, false, c.x),
                        "P·x, " + c);
                assertBitwise(BatchedGemm.product(c.lower, true, c.x, false), CausalProducts.lowerTimes(c.lower, true, c.x),
                        "Pᵀ·x, " + c);
            }
        }
    }

    /**
     * x·yᵀ keeps every dot product's terms, but OpenBLAS sums a dot in another order in a partial tile at
     * a block's edge: bitwise at the attention's shapes (bands of 8 to 64 rows: cpu-demo's T = 128 and
     * its MoSA heads' k = 16), to rounding for odd ones.
     */
    @Test
    void scoresOnAndBelowTheDiagonalMatchTheFullProduct() {
        for (DataType type : TYPES) {
            for (int length : new int[]{16, 128}) {
                Case c = new Case(type, length);
                assertBitwise(lowerTriangular(c.fullScores()), lowerTriangular(c.bandedScores()), "x·yᵀ, " + c);
            }
            double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-13;
            for (int length : new int[]{1, 2, 3, 5, 17, 100}) {
                Case c = new Case(type, length);
                double diff = lowerTriangular(c.fullScores()).sub(lowerTriangular(c.bandedScores())).amaxNumber().doubleValue();
                assertTrue(diff <= tolerance * c.fullScores().amaxNumber().doubleValue(), "x·yᵀ, " + c + ": differs by " + diff);
            }
        }
    }

    @Test
    void blocksRightOfTheDiagonalBlocksAreLeftAlone() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 8, 4);
        INDArray out = CausalProducts.lowerInto(x, x, Nd4j.valueArrayOf(new long[]{2, 8, 8}, Double.NaN, DataType.FLOAT));
        // 2 bands of 4 rows: the top band's columns 4..7 are skipped, 16 entries per matrix
        assertEquals(2 * 16, out.scan(Conditions.isNan()).intValue());
        assertTrue(Double.isNaN(out.getDouble(0, 3, 4)) && !Double.isNaN(out.getDouble(0, 4, 7)));
    }

    /** A triangular P and operands of width 16 (cpu-demo's h′). */
    private static final class Case {
        final DataType type;
        final int length;
        final INDArray lower, x, y;

        Case(DataType type, int length) {
            Nd4j.getRandom().setSeed(length);
            this.type = type;
            this.length = length;
            lower = lowerTriangular(Nd4j.randn(type, 3, length, length));
            x = Nd4j.randn(type, 3, length, 16);
            y = Nd4j.randn(type, 3, length, 16);
        }

        INDArray fullScores() {
            return BatchedGemm.product(x, false, y, true);
        }

        INDArray bandedScores() {
            return CausalProducts.lowerInto(x, y, Nd4j.valueArrayOf(new long[]{3, length, length}, Double.NaN, type));
        }

        @Override
        public String toString() {
            return type + ", L = " + length;
        }
    }

    private static INDArray lowerTriangular(INDArray a) {
        INDArray out = a.dup('c');
        for (int m = 0; m < a.size(0); m++) {
            for (int i = 0; i < a.size(1); i++) {
                for (int j = i + 1; j < a.size(2); j++) out.putScalar(new long[]{m, i, j}, 0.0);
            }
        }
        return out;
    }

    private static void assertBitwise(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.dataType(), actual.dataType(), what);
        double[] e = expected.dup('c').data().asDouble(), a = actual.dup('c').data().asDouble();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i] + 0.0) != Double.doubleToLongBits(a[i] + 0.0)) { // +0.0: −0 and 0 alike
                throw new AssertionError(what + ": entry " + i + " is " + a[i] + ", the full product gives " + e[i]);
            }
        }
    }
}
