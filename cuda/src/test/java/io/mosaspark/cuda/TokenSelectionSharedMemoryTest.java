package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** topk_select sorts a power-of-two padding of the sequence in one block's shared memory. */
class TokenSelectionSharedMemoryTest {

    @Test
    void padsTheSequenceToAPowerOfTwoOfLogitAndPositionPairs() {
        assertEquals(1024 * 8, HybridAttentionGpu.selectionSharedBytes(1024, Precision.TF32));
        assertEquals(1024 * 8, HybridAttentionGpu.selectionSharedBytes(513, Precision.FLOAT32));
        assertEquals(512 * 12, HybridAttentionGpu.selectionSharedBytes(512, Precision.FLOAT64));
        assertEquals(8, HybridAttentionGpu.selectionSharedBytes(1, Precision.TF32));
        assertEquals(16, HybridAttentionGpu.selectionSharedBytes(2, Precision.TF32));
        assertEquals(32, HybridAttentionGpu.selectionSharedBytes(3, Precision.TF32));
        // the largest sequence that fits 48 KiB in either width, and the first that does not
        assertTrue(HybridAttentionGpu.selectionSharedBytes(4096, Precision.FLOAT64) <= 48 * 1024);
        assertTrue(HybridAttentionGpu.selectionSharedBytes(4097, Precision.FLOAT32) > 48 * 1024);
    }
}
