package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The bookkeeping of a product operand's bfloat16 twin, which needs no GPU: a view of an operand reads
 * the twin's elements at the same offset (products of parameter views read the flat buffer's twin), and a
 * twin must match its array element for element. Addresses here are never dereferenced.
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
    void aTwinMustMatchItsArray() {
        DeviceArray a = floats(1_000, 10);
        assertThrows(IllegalArgumentException.class, () -> a.attachRounded(halves(9_000, 9)));
        assertThrows(IllegalArgumentException.class, () -> a.attachRounded(floats(9_000, 10)));
    }
}
