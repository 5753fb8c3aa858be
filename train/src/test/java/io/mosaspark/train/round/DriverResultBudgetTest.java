package io.mosaspark.train.round;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriverResultBudgetTest {
    /** Tiny's 27,866,112 parameters with both Adam moments, float32. */
    private static final long TINY_SUM = 27_866_112L * 3 * Float.BYTES;

    @Test
    void theDriverReceivesSparksTreeShape() {
        // Spark's treeAggregate adds a level only where it saves the driver more than it costs
        assertEquals(1, OrderedTreeAggregate.partialResultsAtDriver(1, 2));
        assertEquals(2, OrderedTreeAggregate.partialResultsAtDriver(2, 2));
        assertEquals(4, OrderedTreeAggregate.partialResultsAtDriver(4, 2));
        assertEquals(List.of(8), OrderedTreeAggregate.intermediateLevels(64, 2));
        assertEquals(List.of(16, 4), OrderedTreeAggregate.intermediateLevels(64, 3));
        assertEquals(7, OrderedTreeAggregate.partialResultsAtDriver(7, 1));
    }

    @Test
    void twoTinyWorkersFitSparksDefaultFourDoNot() {
        SparkConf defaults = new SparkConf(false);
        assertDoesNotThrow(() -> DriverResultBudget.require(defaults, 2, 2, TINY_SUM));
        var e = assertThrows(IllegalArgumentException.class, () -> DriverResultBudget.require(defaults, 4, 2, TINY_SUM));
        assertTrue(e.getMessage().startsWith("spark.driver.maxResultSize = 1g is less than the 1.25 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains("4 partial sums of 318.9 MiB from 4 workers"), e.getMessage());
        assertTrue(e.getMessage().endsWith("set --conf spark.driver.maxResultSize=2g (0: no limit)"), e.getMessage());
    }

    @Test
    void aLargerLimitOrNoneLetsTheRunStart() {
        assertDoesNotThrow(() -> DriverResultBudget.require(new SparkConf(false).set(DriverResultBudget.KEY, "2g"), 4, 2, TINY_SUM));
        assertDoesNotThrow(() -> DriverResultBudget.require(new SparkConf(false).set(DriverResultBudget.KEY, "0"), 64, 2, TINY_SUM));
        // 64 workers at depth 2: 8 sums reach the driver, 2.5 GiB
        var e = assertThrows(IllegalArgumentException.class,
                () -> DriverResultBudget.require(new SparkConf(false).set(DriverResultBudget.KEY, "2g"), 64, 2, TINY_SUM));
        assertTrue(e.getMessage().contains("8 partial sums"), e.getMessage());
    }
}
