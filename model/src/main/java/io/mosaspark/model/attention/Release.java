package io.mosaspark.model.attention;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees large temporaries' off-heap memory as soon as they are dead instead of waiting for the
 * garbage collector, which does not see native memory pressure (an [N, T, T] score tensor at
 * T = 8192 is gigabytes). Views and workspace-attached arrays are left alone.
 */
final class Release {

    private Release() {
    }

    static void all(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) a.close();
        }
    }
}
