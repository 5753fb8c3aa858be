package io.mosaspark.model.nn;

import org.bytedeco.javacpp.Pointer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Hands memory that the C allocator holds free back to the operating system (glibc's
 * {@code malloc_trim(0)}), right after a workspace has learnt its size.
 *
 * <p>Why: in its first step a workspace allocates every array separately, then frees them and
 * allocates one block of their total size. glibc keeps freed chunks below its (self-raising, up to
 * 32 MB) mmap threshold for reuse, so after that step the process held the block <em>and</em> the
 * freed arrays: a few hundred MB to a GB of resident memory that no later step uses (the blocks are
 * reused). Trimming once, when a workspace has grown, makes resident memory follow live memory.
 *
 * <p>javacpp (1.5.8, which ND4J 1.0.0-M2.1 pins) binds {@code malloc_trim} as a private method
 * used by its own deallocator, and the JVM cannot call C functions without such a binding or
 * flags on the command line; hence the reflective call. If it is unavailable (another javacpp or
 * C library), trimming is skipped: memory is then merely held longer, never wrong.
 */
final class NativeHeap {

    private static final Method TRIM = find();

    private NativeHeap() {
    }

    private static Method find() {
        try {
            Method m = Pointer.class.getDeclaredMethod("trimMemory");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Returns free allocator memory to the OS; a no-op where that is not available. */
    static void returnFreeMemory() {
        if (TRIM == null) return;
        try {
            TRIM.invoke(null);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            // memory is only held longer
        }
    }
}
