package io.mosaspark.model.lm;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** The one shape rule every block layer shares: activations are [B, T, h]. */
final class Shapes {

    private Shapes() {
    }

    static void requireSequence(INDArray x, long h, String layer) {
        if (x.rank() != 3 || x.size(2) != h) {
            throw new IllegalArgumentException("layer '" + layer + "': input has shape " + Arrays.toString(x.shape())
                    + ", expected [batch, seq_len, d_model = " + h + "]");
        }
    }
}
