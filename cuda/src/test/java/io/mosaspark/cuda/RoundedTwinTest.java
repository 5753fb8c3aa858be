package io.mosaspark.cuda;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bookkeeping of a product operand's bfloat16 twin, which needs no GPU: a view of an operand reads
 * the twin's elements at the same offset (products of parameter views read the flat buffer's twin), a
 * twin must match its array element for element, and an operand that keeps only its twin is a null
 * pointer that reaches kernels only as the first of a (values, twin) pair. Addresses here are never
 * dereferenced.
 */
class RoundedTwinTest {

    private static DeviceArray floats(long address, long n) {
        return new DeviceArray(null, address, n, 4, false);
    }

    private static DeviceArray halves(long address, long n) {
        return new DeviceArray(null, address, n, 2, false);
    }

    @Test
    void aViewOfAnOperandReadsItsTwinAtTheSameElements() {
        DeviceArray params = floats(1_000_000, 100);
        params.attachRounded(halves(5_000_000, 100));
        DeviceArray weight = params.view(30, 20);
        assertEquals(1_000_000 + 30 * 4, weight.address);
        assertEquals(5_000_000 + 30 * 2, weight.rounded().address);
        assertEquals(20, weight.rounded().length());
        DeviceArray row = weight.view(5, 3);
        assertEquals(5_000_000 + 35 * 2, row.rounded().address);
    }

    @Test
    void arraysWithoutATwinHaveNone() {
        assertNull(floats(1_000, 10).rounded());
        assertNull(floats(1_000, 10).view(2, 3).rounded());
    }

    @Test
    void aTwinOnlyOperandIsANullPointerWhoseViewsStayNull() {
        DeviceArray gelu = DeviceArray.twinOnly(null, 100, 4, halves(5_000_000, 100));
        assertTrue(gelu.keepsOnlyTwin());
        DeviceArray part = gelu.view(30, 20);
        assertTrue(part.keepsOnlyTwin(), "a view of a null array must not become the address 30 × 4");
        assertEquals(0, part.address);
        assertEquals(5_000_000 + 30 * 2, part.rounded().address);
        IllegalStateException read = assertThrows(IllegalStateException.class, () -> part.pointer(0));
        assertTrue(read.getMessage().contains("keeps only its bfloat16 twin") && read.getMessage().contains("allocOperand"),
                read.getMessage());
        assertFalse(floats(1_000, 10).keepsOnlyTwin());
        DeviceArray withTwin = floats(1_000, 10);
        withTwin.attachRounded(halves(9_000, 10));
        assertFalse(withTwin.keepsOnlyTwin(), "an operand with its values and a twin keeps both");
    }

    @Test
    void aTwinOnlyOperandReachesAKernelOnlyBeforeItsTwin() {
        DeviceArray twin = halves(5_000_000, 100);
        DeviceArray gelu = DeviceArray.twinOnly(null, 100, 4, twin);
        try (LaunchArguments args = new LaunchArguments()) {
            PointerPointer<LongPointer> block = args.set("gelu_fwd", false, floats(1_000, 100), gelu, gelu.rounded(), 100L);
            assertEquals(0L, new LongPointer(block.get(1)).get(0), "the values' pointer is null: the kernel writes the twin alone");
            assertEquals(5_000_000L, new LongPointer(block.get(2)).get(0));
            IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                    () -> args.set("add_inplace", false, gelu, floats(1_000, 100), 100L));
            assertTrue(alone.getMessage().contains("add_inplace") && alone.getMessage().contains("argument 0"), alone.getMessage());
            assertThrows(IllegalArgumentException.class, () -> args.set("gelu_fwd", false, floats(1_000, 100), gelu, halves(7_000, 100)),
                    "another array's twin");
            assertThrows(IllegalArgumentException.class, () -> args.set("gelu_fwd", false, floats(1_000, 100), gelu), "last argument");
        }
    }

    @Test
    void aTwinMustMatchItsArray() {
        DeviceArray a = floats(1_000, 10);
        assertThrows(IllegalArgumentException.class, () -> a.attachRounded(halves(9_000, 9)));
        assertThrows(IllegalArgumentException.class, () -> a.attachRounded(floats(9_000, 10)));
    }
}
