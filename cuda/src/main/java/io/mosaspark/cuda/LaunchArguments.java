package io.mosaspark.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The native argument block {@code cuLaunchKernel} reads: one 8-byte slot per argument, allocated once
 * per {@link Gpu} and rewritten for every launch (the driver copies the values before the call
 * returns, so reuse is safe).
 *
 * <p>Why not fresh JavaCPP pointers per argument: allocating and freeing them cost about 12 µs a launch
 * on a 2-core Xeon (measured), which at the hundreds of small launches of a MoSA step is milliseconds
 * of host time the GPU waits for. Writing into the fixed slots costs about 0.2 µs.
 */
final class LaunchArguments implements AutoCloseable {
    static final int MAX = 32;

    private final LongPointer[] longs = new LongPointer[MAX];
    private final IntPointer[] ints = new IntPointer[MAX];
    private final FloatPointer[] floats = new FloatPointer[MAX];
    private final DoublePointer[] doubles = new DoublePointer[MAX];
    private final PointerPointer<LongPointer> block = new PointerPointer<>(MAX);

    LaunchArguments() {
        for (int i = 0; i < MAX; i++) {
            longs[i] = new LongPointer(1);
            // views of the same 8 bytes (JavaCPP's cast constructors share the address, not the ownership)
            ints[i] = new IntPointer(longs[i]);
            floats[i] = new FloatPointer(longs[i]);
            doubles[i] = new DoublePointer(longs[i]);
            block.put(i, longs[i]);
        }
    }

    /**
     * Writes {@code args} in the order of the kernel's C signature: DeviceArray (a device pointer; a
     * twin-only one is null and must be followed by its twin), null (a null pointer), Integer (int), Long
     * (long long), Double (double), {@link Gpu.Real} (the working precision's {@code real}). Returns the
     * block to pass as {@code kernelParams}.
     */
    PointerPointer<LongPointer> set(String kernel, boolean realIsDouble, Object... args) {
        if (args.length > MAX) throw new IllegalArgumentException("kernel " + kernel + ": " + args.length + " arguments, at most " + MAX);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof DeviceArray d) {
                if (d.keepsOnlyTwin()) requireTwinNext(kernel, args, i, d);
                longs[i].put(0, d.address);
            } else if (a == null) longs[i].put(0, 0L);
            else if (a instanceof Integer x) ints[i].put(0, x);
            else if (a instanceof Long x) longs[i].put(0, x);
            else if (a instanceof Double x) doubles[i].put(0, x);
            else if (a instanceof Gpu.Real r) {
                if (realIsDouble) doubles[i].put(0, r.value());
                else floats[i].put(0, (float) r.value());
            } else {
                throw new IllegalArgumentException("kernel " + kernel + ": argument " + i + " of type " + a.getClass());
            }
        }
        return block;
    }

    /**
     * A twin-only array ({@link DeviceArray#keepsOnlyTwin()}) reaches a kernel as a null pointer, so it may
     * only be passed where the kernel takes it with its twin right after (the {@code y, y16} pairs of
     * kernels.cu, which skip a null {@code y}); anywhere else the kernel would read or write through null.
     */
    private static void requireTwinNext(String kernel, Object[] args, int i, DeviceArray d) {
        if (i + 1 < args.length && args[i + 1] instanceof DeviceArray t && t.address == d.rounded().address) return;
        throw new IllegalArgumentException("kernel " + kernel + ": argument " + i + " keeps only its bfloat16 twin and is not "
                + "followed by that twin; a kernel that reads it at full precision needs it from Gpu.allocOperand");
    }

    @Override
    public void close() {
        block.close();
        for (LongPointer p : longs) p.close();
    }
}
