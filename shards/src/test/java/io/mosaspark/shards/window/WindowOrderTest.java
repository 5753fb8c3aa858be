package io.mosaspark.shards.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WindowOrderTest {

    private static long[] order(long size, long seed, long epoch) {
        WindowOrder o = new WindowOrder(size, seed, epoch);
        return LongStream.range(0, size).map(o::windowAt).toArray();
    }

    @Test
    void everyEpochIsAPermutationOfTheWindows() {
        for (long size : new long[] {1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 255, 256, 257, 1000, 4097}) {
            long[] o = order(size, 1337, size % 3);
            long[] sorted = o.clone();
            Arrays.sort(sorted);
            assertArrayEquals(LongStream.range(0, size).toArray(), sorted, "size " + size);
        }
    }

    /** The order is part of a run's reproducibility: a change here changes which data every step sees. */
    @Test
    void theOrderIsPinnedByIntegerArithmeticAlone() {
        assertArrayEquals(new long[] {345, 603, 797, 333, 115, 562, 199, 256, 875, 632},
                Arrays.copyOf(order(1000, 1337, 0), 10));
        assertArrayEquals(new long[] {546, 796, 723, 575, 122, 443, 92, 329, 587, 779},
                Arrays.copyOf(order(1000, 1337, 1), 10));
    }

    @Test
    void epochsAndSeedsGiveDifferentWellSpreadOrders() {
        long[] e0 = order(10_000, 7, 0);
        assertFalse(Arrays.equals(e0, order(10_000, 7, 1)));
        assertFalse(Arrays.equals(e0, order(10_000, 8, 0)));
        assertArrayEquals(e0, order(10_000, 7, 0));
        double meanDisplacement = LongStream.range(0, e0.length).map(p -> Math.abs(e0[(int) p] - p)).average()
                .orElseThrow();
        // a uniformly random permutation displaces by M/3 on average; the identity or a shift would not
        assertTrue(meanDisplacement > 10_000 / 4.0, "mean displacement " + meanDisplacement);
        long ascending = LongStream.range(1, e0.length).filter(p -> e0[(int) p] > e0[(int) p - 1]).count();
        assertEquals(0.5, ascending / (double) e0.length, 0.05, "ascending neighbours");
    }
}
