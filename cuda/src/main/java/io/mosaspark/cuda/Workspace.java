package io.mosaspark.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch buffers shared by every layer of a model: what one layer's forward or backward needs only
 * while it runs (the dense heads' score gradients, the projected q|k|v before the split, …) is held once,
 * not once per layer. A buffer grows to the largest request under its name and is handed out as a
 * view of the exact length asked for; contents do not survive the next request under the same name.
 */
final class Workspace {
    private final Gpu gpu;
    private final Map<String, DeviceArray> buffers = new HashMap<>();

    Workspace(Gpu gpu) {
        this.gpu = gpu;
    }

    DeviceArray get(String name, long n) {
        return get(name, n, false);
    }

    /** As {@link #get}, for a product operand ({@link Gpu#allocOperand}: with a bfloat16 twin in BF16). */
    DeviceArray getOperand(String name, long n) {
        return get(name, n, true);
    }

    // A buffer first asked for plainly and later as an operand is replaced by one with a twin, kept after.
    private DeviceArray get(String name, long n, boolean operand) {
        boolean twin = operand && gpu.precision().roundsOperandsToBf16();
        DeviceArray b = buffers.get(name);
        if (b == null || b.length() < n || (twin && b.rounded() == null)) {
            long size = b == null ? n : Math.max(n, b.length());
            if (b != null) b.free();
            b = twin ? gpu.allocOperand(size) : gpu.alloc(size);
            buffers.put(name, b);
        }
        return b.view(0, n);
    }

    void free() {
        buffers.values().forEach(DeviceArray::free);
        buffers.clear();
    }
}
