package io.mosaspark.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The argument block cuLaunchKernel reads: each value where the kernel's C signature expects it. */
class LaunchArgumentsTest {

    @Test
    void eachArgumentIsWrittenIntoItsOwnSlotInItsCType() {
        try (LaunchArguments args = new LaunchArguments()) {
            DeviceArray array = new DeviceArray(null, 0x7f00_1234_5678L, 10, 4, false);
            PointerPointer<LongPointer> block = args.set("k", false, array, null, 42, 1L << 40, 0.1, Gpu.real(1.25));
            assertEquals(0x7f00_1234_5678L, new LongPointer(block.get(0)).get(0), "a device array is its address");
            assertEquals(0L, new LongPointer(block.get(1)).get(0), "null is a null pointer");
            assertEquals(42, new IntPointer(block.get(2)).get(0));
            assertEquals(1L << 40, new LongPointer(block.get(3)).get(0));
            assertEquals(0.1, new DoublePointer(block.get(4)).get(0));
            assertEquals(1.25f, new FloatPointer(block.get(5)).get(0), "real is float in the float32 precisions");
            Set<Long> slots = new HashSet<>();
            for (int i = 0; i < LaunchArguments.MAX; i++) slots.add(block.get(i).address());
            assertEquals(LaunchArguments.MAX, slots.size(), "every argument has a slot of its own");
        }
    }

    @Test
    void theBlockIsReusedAndRewrittenForTheNextLaunch() {
        try (LaunchArguments args = new LaunchArguments()) {
            PointerPointer<LongPointer> first = args.set("a", true, 1, Gpu.real(2.5));
            long slot0 = first.get(0).address();
            PointerPointer<LongPointer> second = args.set("b", true, 9, Gpu.real(-3.75));
            assertSame(first, second);
            assertEquals(slot0, second.get(0).address());
            assertEquals(9, new IntPointer(second.get(0)).get(0));
            assertEquals(-3.75, new DoublePointer(second.get(1)).get(0), "real is double in float64");
        }
    }

    @Test
    void refusesWhatNoKernelTakes() {
        try (LaunchArguments args = new LaunchArguments()) {
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> args.set("gelu_fwd", false, "text"));
            assertTrue(type.getMessage().contains("gelu_fwd") && type.getMessage().contains("argument 0"), type.getMessage());
            Object[] many = new Object[LaunchArguments.MAX + 1];
            java.util.Arrays.fill(many, 1);
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> args.set("wide", false, many));
            assertTrue(count.getMessage().contains("wide"), count.getMessage());
        }
    }

    @Test
    void graphsAreAskedForByName() {
        String before = System.getProperty("mosa.cuda.graphs");
        try {
            System.clearProperty("mosa.cuda.graphs");
            assertEquals(true, TrainingStep.graphsFromSystemProperty(), "on unless turned off");
            System.setProperty("mosa.cuda.graphs", "FALSE");
            assertEquals(false, TrainingStep.graphsFromSystemProperty());
            System.setProperty("mosa.cuda.graphs", "on");
            assertEquals(true, TrainingStep.graphsFromSystemProperty());
            System.setProperty("mosa.cuda.graphs", "yes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TrainingStep::graphsFromSystemProperty);
            assertTrue(e.getMessage().contains("mosa.cuda.graphs=yes"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("mosa.cuda.graphs");
            else System.setProperty("mosa.cuda.graphs", before);
        }
    }
}
