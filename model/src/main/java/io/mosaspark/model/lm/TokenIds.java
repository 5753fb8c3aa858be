package io.mosaspark.model.lm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * Checks and converts a [B, T] array of token ids (any numeric type: DL4J hands them over as floats)
 * into INT indices [B·T]. Shared by the embedding (inputs) and the loss (targets).
 */
final class TokenIds {

    private TokenIds() {
    }

    /**
     * @param what     "token ids" or "target ids", for messages
     * @param vocab    V: every id must be in [0, V)
     */
    static INDArray toIndices(INDArray ids, int vocab, String what, String layer) {
        if (ids == null) throw new IllegalArgumentException(layer + ": " + what + " are missing");
        if (ids.rank() != 2) {
            throw new IllegalArgumentException(layer + ": " + what + " must be [batch, seq_len], got shape "
                    + Arrays.toString(ids.shape()));
        }
        INDArray flat = ids.dup('c').reshape(ids.length());
        if (flat.dataType().isFPType()) {
            INDArray fraction = flat.sub(Transforms.floor(flat, true));                // in [0, 1)
            if (fraction.maxNumber().doubleValue() != 0) {
                long at = fraction.argMax().getLong(0);
                throw new IllegalArgumentException(layer + ": " + what + " must be whole numbers; element " + at
                        + " is " + flat.getDouble(at));
            }
        }
        double min = flat.minNumber().doubleValue(), max = flat.maxNumber().doubleValue();
        if (min < 0 || max >= vocab) {
            long at = min < 0 ? flat.neg().argMax().getLong(0) : flat.argMax().getLong(0);
            long t = ids.size(1);
            throw new IllegalArgumentException(layer + ": " + what + " must be in [0, vocab_size = " + vocab
                    + "); found " + (long) (min < 0 ? min : max) + " at [" + at / t + ", " + at % t
                    + "]: the data was tokenised with a different vocabulary than the model's");
        }
        return flat.castTo(DataType.INT);
    }
}
