package io.mosaspark.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A range of device memory: {@code length} elements of {@code elementBytes} bytes at {@code address}.
 * An array either owns its allocation ({@link Gpu#alloc}) or is a view into another's (parameters
 * are views of one flat buffer, so the optimizer and clipping run over all of them at once).
 *
 * <p>In the BF16 precision a product operand may carry a {@link #rounded()} twin: the same elements as
 * bfloat16, written by the kernel that produces the operand ({@link Gpu#allocOperand}). An operand that
 * only products read keeps nothing but its twin there ({@link #keepsOnlyTwin()}, {@link
 * Gpu#allocProductOnlyOperand}): its address is null, which the kernel writing it takes as "write the twin
 * alone", and anything that would read or copy its values is refused.
 */
public final class DeviceArray {
    final Gpu gpu;
    final long address;
    final long length;
    final int elementBytes;
    final boolean owner;
    private boolean freed;
    private DeviceArray rounded;

    DeviceArray(Gpu gpu, long address, long length, int elementBytes, boolean owner) {
        this.gpu = gpu;
        this.address = address;
        this.length = length;
        this.elementBytes = elementBytes;
        this.owner = owner;
    }

    public long length() {
        return length;
    }

    public long bytes() {
        return length * elementBytes;
    }

    /**
     * An owned array of {@code n} elements that stores only {@code twin}, its bfloat16 rounding: for an operand
     * no kernel reads at full precision ({@link Gpu#allocProductOnlyOperand}).
     */
    static DeviceArray twinOnly(Gpu gpu, long n, int elementBytes, DeviceArray twin) {
        DeviceArray a = new DeviceArray(gpu, 0, n, elementBytes, true);
        a.attachRounded(twin);
        return a;
    }

    /** Whether only the bfloat16 twin is stored: the values themselves were never kept. */
    boolean keepsOnlyTwin() {
        return address == 0 && rounded != null;
    }

    /** Elements [offset, offset + n) as a view. */
    public DeviceArray view(long offset, long n) {
        if (offset < 0 || n < 0 || offset + n > length) {
            throw new IndexOutOfBoundsException("view [" + offset + ", " + (offset + n) + ") of a " + length + "-element array");
        }
        // a view of a twin-only array stays twin-only: its null address must not become an offset from zero
        long at = keepsOnlyTwin() ? 0 : address + offset * elementBytes;
        DeviceArray v = new DeviceArray(gpu, at, n, elementBytes, false);
        if (rounded != null) v.rounded = rounded.view(offset, n);
        return v;
    }

    /**
     * The bfloat16 twin that products read instead of rounding this array themselves, or null (every
     * precision but BF16, and arrays that are no product's operand). It holds the rounding of the values
     * the last twin-writing kernel wrote; a product reads it only after that kernel.
     */
    DeviceArray rounded() {
        return rounded;
    }

    void attachRounded(DeviceArray twin) {
        if (twin.length != length || twin.elementBytes != 2) {
            throw new IllegalArgumentException("a twin of " + twin.length + " " + twin.elementBytes + "-byte elements for " + length);
        }
        rounded = twin;
    }

    /** The address as a JavaCPP pointer for cuBLAS and cudaMemcpy. */
    Pointer pointer() {
        return pointer(0);
    }

    /** A device pointer offset by {@code elements}. */
    Pointer pointer(long elements) {
        if (keepsOnlyTwin()) {
            throw new IllegalStateException("an operand of " + length + " elements that keeps only its bfloat16 twin was read, "
                    + "cleared or copied at full precision: allocate it with Gpu.allocOperand if anything but a product reads it");
        }
        return new Raw(address + elements * elementBytes);
    }

    /** Clears the array and its twin, in order with the launches on the GPU's stream. */
    public void zero() {
        if (!keepsOnlyTwin()) gpu.clear(this);
        if (rounded != null) gpu.clear(rounded);
    }

    /** Copies {@code src} (the same number of bytes) in, in order with the launches on the GPU's stream. */
    public void copyFrom(DeviceArray src) {
        if (src.bytes() != bytes()) throw new IllegalArgumentException("copy of " + src.bytes() + " bytes into " + bytes());
        gpu.copy(src, this);
    }

    /** Uploads {@code values} converted to this array's precision (8-byte elements: double, 4: float). */
    public void upload(double[] values) {
        check(values.length);
        if (elementBytes == 8) {
            try (DoublePointer h = new DoublePointer(values)) {
                CudaError.runtime(cudart.cudaMemcpy(pointer(), h, bytes(), cudart.cudaMemcpyHostToDevice), "cudaMemcpy H2D");
            }
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            try (FloatPointer h = new FloatPointer(f)) {
                CudaError.runtime(cudart.cudaMemcpy(pointer(), h, bytes(), cudart.cudaMemcpyHostToDevice), "cudaMemcpy H2D");
            }
        }
    }

    /** Uploads float32 values into a float32 array (no conversion: the flat vectors workers exchange). */
    public void upload(float[] values) {
        check(values.length);
        requireFloat32();
        try (FloatPointer h = new FloatPointer(values)) {
            CudaError.runtime(cudart.cudaMemcpy(pointer(), h, bytes(), cudart.cudaMemcpyHostToDevice), "cudaMemcpy H2D");
        }
    }

    /** The values of a float32 array. */
    public float[] downloadFloats() {
        requireFloat32();
        int n = Math.toIntExact(length);
        float[] out = new float[n];
        try (FloatPointer h = new FloatPointer(n)) {
            CudaError.runtime(cudart.cudaMemcpy(h, pointer(), bytes(), cudart.cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
            h.get(out);
        }
        return out;
    }

    private void requireFloat32() {
        if (elementBytes != 4) throw new IllegalStateException("float32 values for an array of " + elementBytes + "-byte elements");
    }

    public void uploadLongs(long[] values) {
        check(values.length);
        try (LongPointer h = new LongPointer(values)) {
            CudaError.runtime(cudart.cudaMemcpy(pointer(), h, bytes(), cudart.cudaMemcpyHostToDevice), "cudaMemcpy H2D");
        }
    }

    public void uploadInts(int[] values) {
        check(values.length);
        try (IntPointer h = new IntPointer(values)) {
            CudaError.runtime(cudart.cudaMemcpy(pointer(), h, bytes(), cudart.cudaMemcpyHostToDevice), "cudaMemcpy H2D");
        }
    }

    public double[] download() {
        int n = Math.toIntExact(length);
        double[] out = new double[n];
        if (elementBytes == 8) {
            try (DoublePointer h = new DoublePointer(n)) {
                CudaError.runtime(cudart.cudaMemcpy(h, pointer(), bytes(), cudart.cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
                h.get(out);
            }
        } else {
            float[] f = new float[n];
            try (FloatPointer h = new FloatPointer(n)) {
                CudaError.runtime(cudart.cudaMemcpy(h, pointer(), bytes(), cudart.cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
                h.get(f);
            }
            for (int i = 0; i < n; i++) out[i] = f[i];
        }
        return out;
    }

    public int[] downloadInts() {
        int n = Math.toIntExact(length);
        int[] out = new int[n];
        try (IntPointer h = new IntPointer(n)) {
            CudaError.runtime(cudart.cudaMemcpy(h, pointer(), bytes(), cudart.cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
            h.get(out);
        }
        return out;
    }

    /** Returns an owned allocation to the device (views: no-op). */
    public void free() {
        if (!owner || freed) return;
        freed = true;
        if (address != 0) gpu.release(this);
        if (rounded != null) rounded.free();
    }

    private void check(int n) {
        if (n != length) throw new IllegalArgumentException(n + " values for a " + length + "-element device array");
    }

    /** A pointer with a given address and no deallocator: device memory is freed through {@link Gpu}. */
    static final class Raw extends Pointer {
        Raw(long address) {
            this.address = address;
        }
    }
}
