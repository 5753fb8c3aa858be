package io.mosaspark.model.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clock counts exactly the products made while it runs, with their FLOPs. */
class GemmClockTest {

    @Test
    void countsProductsAndFlopsOnlyWhileRunning() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 6, 4), b = Nd4j.rand(DataType.FLOAT, 5, 4);
        INDArray qa = Nd4j.rand(DataType.FLOAT, 3, 7, 2), qb = Nd4j.rand(DataType.FLOAT, 3, 7, 2);
        Gemm.product(a, false, b, true);                      // before start: not counted
        GemmClock.start();
        Gemm.product(a, false, b, true);                      // [6, 4]·[4, 5]
        Gemm.product(a, true, a, false);                      // [4, 6]·[6, 4]
        BatchedGemm.product(qa, false, qb, true);             // 3 × [7, 2]·[2, 7]
        GemmClock.Reading r = GemmClock.stop();
        Gemm.product(a, false, b, true);                      // after stop: not counted
        assertEquals(3, r.products());
        assertEquals(2.0 * (6 * 4 * 5 + 4 * 6 * 4 + 3 * 7 * 2 * 7), r.flops(), 0.0);
        assertTrue(r.seconds() > 0, "time inside the products is counted");
        assertEquals(r.flops() / r.seconds() / 1e9, r.gflopsPerSecond(), 1e-9);

        GemmClock.start();                                    // a new start zeroes the totals
        GemmClock.Reading empty = GemmClock.stop();
        assertEquals(0, empty.products());
        assertEquals(0.0, empty.gflopsPerSecond());
    }
}
