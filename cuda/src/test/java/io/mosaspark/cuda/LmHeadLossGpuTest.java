package io.mosaspark.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many rows of logits the LM head makes at a time (the launches themselves need a GPU: the parity
 * run checks the head in blocks against the reference, docs/gpu.md).
 */
class LmHeadLossGpuTest {

    @AfterEach
    void clear() {
        System.clearProperty(LmHeadLossGpu.MAX_MIB_PROPERTY);
    }

    @Test
    void aBatchWhoseLogitsFitIsOneBlock() {
        // Tiny at B = 8: 8,192 rows of 8,000 logits, 250 MiB in float32 and 375 MiB with BF16's twin
        assertEquals(8192, LmHeadLossGpu.rowsWithin(Precision.TF32, 8192, 8000));
        assertEquals(8192, LmHeadLossGpu.rowsWithin(Precision.BF16, 8192, 8000));
    }

    @Test
    void largerBatchesAndVocabulariesAreCutIntoWholeTilesWithinTheBudget() {
        long bf16 = LmHeadLossGpu.rowsWithin(Precision.BF16, 65_536, 8000);        // Tiny at the paper's B = 64
        assertEquals(0, bf16 % 128);
        assertTrue(bf16 * 8000 * 6 <= 512L << 20 && (bf16 + 128) * 8000 * 6 > 512L << 20, "rows " + bf16);
        long gpt2 = LmHeadLossGpu.rowsWithin(Precision.FLOAT64, 8192, 50_257);
        assertTrue(gpt2 * 50_257 * 8 <= 512L << 20 && gpt2 < 8192, "rows " + gpt2);
    }

    @Test
    void theBudgetIsSetInMibAndABadOneIsRefusedByName() {
        System.setProperty(LmHeadLossGpu.MAX_MIB_PROPERTY, "1");
        assertEquals((1 << 20) / (8000 * 6), LmHeadLossGpu.rowsWithin(Precision.BF16, 8192, 8000), "under a tile: as many rows as fit");
        for (String bad : new String[]{"0", "-5", "half"}) {
            System.setProperty(LmHeadLossGpu.MAX_MIB_PROPERTY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LmHeadLossGpu.rowsWithin(Precision.FLOAT32, 8192, 8000));
            assertTrue(e.getMessage().contains(LmHeadLossGpu.MAX_MIB_PROPERTY) && e.getMessage().contains(bad), e.getMessage());
        }
        System.setProperty(LmHeadLossGpu.MAX_MIB_PROPERTY, "100000");
        assertEquals(7, LmHeadLossGpu.rowsWithin(Precision.BF16, 7, 50_257), "never more rows than the batch has");
    }
}
