package io.mosaspark.model.attention;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSelectionTest {

    /** [B·T, Hm] logits from [Hm][B][T] values. */
    private static INDArray logits(double[][][] byHead) {
        int heads = byHead.length, batch = byHead[0].length, t = byHead[0][0].length;
        INDArray a = Nd4j.create(DataType.DOUBLE, batch, t, heads);
        for (int e = 0; e < heads; e++) for (int b = 0; b < batch; b++) for (int i = 0; i < t; i++) a.putScalar(new long[]{b, i, e}, byHead[e][b][i]);
        return a.reshape((long) batch * t, heads);
    }

    @Test
    void picksLargestPerHeadAndSequenceAscendingWithFlatRows() {
        double[][][] l = {
                {{0.1, 0.9, 0.3, 0.8, 0.2}, {5, 4, 3, 2, 1}},     // head 0, sequences 0 and 1
                {{-1, -2, -3, -4, 9}, {0, 0.5, 0.25, 0.75, 1}}};  // head 1
        TokenSelection s = TokenSelection.expertChoice(logits(l), 2, 5, 2, 2, false);
        assertArrayEquals(new long[]{1, 3, 0, 1, 0, 4, 3, 4}, s.positions().data().asLong());
        // row = e·B + b; flat = b·T + position
        assertArrayEquals(new long[]{1, 3, 5, 6, 0, 4, 8, 9}, s.flatRows().data().asLong());
        assertArrayEquals(new double[]{0.9, 0.8, 5, 4, -1, 9, 0.75, 1}, s.routerLogits().data().asDouble());
    }

    @Test
    void selectionIsTheSameWhenRowsSpanSeveralHeapChunks() {
        int seqLen = TokenSelection.CHUNK_VALUES / 3 + 7, heads = 2, batch = 4;             // 2 rows per chunk, 4 chunks
        Nd4j.getRandom().setSeed(4);
        INDArray l = Nd4j.randn(DataType.DOUBLE, (long) batch * seqLen, heads);
        TokenSelection s = TokenSelection.expertChoice(l, batch, seqLen, heads, 5, false);
        INDArray rows = l.reshape(batch, seqLen, heads).permute(2, 0, 1).dup('c').reshape(heads * batch, seqLen);
        for (int r = 0; r < heads * batch; r++) {
            double[] v = rows.getRow(r).toDoubleVector();
            long[] want = new long[5];
            TokenSelection.topKAscending(v, 0, seqLen, 5, new double[seqLen], want, 0, 0);
            assertArrayEquals(want, s.positions().getRow(r).toLongVector(), "row " + r);
        }
    }

    @Test
    void tiesGoToTheLowerPosition() {
        double[][][] l = {{{1, 3, 3, 2, 3, 0.5}}, {{5, 5, 5, 5, 1, 1}}};
        TokenSelection s = TokenSelection.expertChoice(logits(l), 1, 6, 2, 3, false);
        assertArrayEquals(new long[]{1, 2, 4, 0, 1, 2}, s.positions().data().asLong());
    }

    @Test
    void includeFirstAlwaysTakesPositionZeroPlusBestOfTheRest() {
        double[][][] l = {{{-9, 1, 7, 3, 5}}};
        TokenSelection s = TokenSelection.expertChoice(logits(l), 1, 5, 1, 3, true);
        assertArrayEquals(new long[]{0, 2, 4}, s.positions().data().asLong());
        assertArrayEquals(new double[]{-9, 7, 5}, s.routerLogits().data().asDouble());
        // position 0 is not counted twice when it is also among the best
        double[][][] best0 = {{{9, 1, 7, 3, 5}}};
        assertArrayEquals(new long[]{0, 2, 4},
                TokenSelection.expertChoice(logits(best0), 1, 5, 1, 3, true).positions().data().asLong());
        // a one-token sequence: k = 1 is position 0 alone
        assertArrayEquals(new long[]{0}, TokenSelection.expertChoice(logits(new double[][][]{{{2}}}), 1, 1, 1, 1, true)
                .positions().data().asLong());
    }

    @Test
    void fixedStrideIsZeroRhoTwoRhoWithoutScores() {
        TokenSelection s = TokenSelection.fixedStride(2, 16, 1, 4, 4);
        assertArrayEquals(new long[]{0, 4, 8, 12, 0, 4, 8, 12}, s.positions().data().asLong());
        assertArrayEquals(new long[]{0, 4, 8, 12, 16, 20, 24, 28}, s.flatRows().data().asLong());
        assertEquals(null, s.routerLogits());
        // k clamped up to 2 with ρ = T: the stride shrinks so the last position stays inside the sequence
        assertArrayEquals(new long[]{0, 4}, TokenSelection.fixedStride(1, 5, 1, 2, 5).positions().data().asLong());
        // ρ > T (a short prompt): the first and the last token; T = 1: position 0 alone
        assertArrayEquals(new long[]{0, 2}, TokenSelection.fixedStride(1, 3, 1, 2, 8).positions().data().asLong());
        assertArrayEquals(new long[]{0, 1}, TokenSelection.fixedStride(1, 2, 1, 2, 8).positions().data().asLong());
        assertArrayEquals(new long[]{0}, TokenSelection.fixedStride(1, 1, 1, 1, 8).positions().data().asLong());
        // ρ < T < 2ρ: k = 2 fits at the full stride
        assertArrayEquals(new long[]{0, 8}, TokenSelection.fixedStride(1, 12, 1, 2, 8).positions().data().asLong());
    }

    @Test
    void quickselectAgreesWithAStableSortOnManyTies() {
        java.util.Random rnd = new java.util.Random(9);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rnd.nextInt(40), k = 1 + rnd.nextInt(n);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rnd.nextInt(4);                      // heavy ties
            long[] got = new long[k];
            TokenSelection.topKAscending(v, 0, n, k, new double[n], got, 0, 0);
            long[] want = java.util.stream.IntStream.range(0, n).boxed()
                    .sorted(java.util.Comparator.<Integer>comparingDouble(i -> -v[i]).thenComparingInt(i -> i))
                    .limit(k).mapToLong(i -> i).sorted().toArray();
            assertArrayEquals(want, got, "values " + java.util.Arrays.toString(v) + ", k = " + k);
        }
    }

    @Test
    void nanLogitsAreRefusedWithAClearMessage() {
        double[][][] l = {{{1, Double.NaN, 3}}};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenSelection.expertChoice(logits(l), 1, 3, 1, 2, false));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    /**
     * Documents why selection does not use libnd4j's top_k (1.0.0-M2.1): with ties it returns a wrong
     * set (values equal to one already kept are skipped) and in sorted mode repeats an index. If this
     * test starts failing after an ND4J upgrade, top_k may have been fixed.
     */
    @Test
    void nd4jTopKMishandlesTies() {
        INDArray x = Nd4j.createFromArray(new double[]{1, 3, 3, 2, 3, 0.5}).reshape(1, 6);
        INDArray[] unsorted = Nd4j.exec(DynamicCustomOp.builder("top_k").addInputs(x)
                .addIntegerArguments(3).addBooleanArguments(false).build());
        assertNotEquals(3.0 * 3, unsorted[0].sumNumber().doubleValue(), "top_k now keeps all three 3s");
        INDArray[] sorted = Nd4j.exec(DynamicCustomOp.builder("top_k").addInputs(x)
                .addIntegerArguments(3).addBooleanArguments(true).build());
        long[] idx = sorted[1].data().asLong();
        assertTrue(idx[0] == idx[1], "top_k sorted mode no longer repeats an index: " + java.util.Arrays.toString(idx));
    }
}
