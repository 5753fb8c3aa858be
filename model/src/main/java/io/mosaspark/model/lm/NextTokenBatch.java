package io.mosaspark.model.lm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/** Windows of T + 1 tokens → the LM's training pair: inputs = window[:, :T], targets = window[:, 1:]. */
public final class NextTokenBatch {

    private NextTokenBatch() {
    }

    /**
     * @param windows token ids [B, T + 1] (any numeric type)
     * @param type    the model's floating type (DL4J feeds ids as floats; exact up to 2^24 in FLOAT)
     */
    public static MultiDataSet of(INDArray windows, DataType type) {
        if (windows.rank() != 2 || windows.size(1) < 2) {
            throw new IllegalArgumentException("token windows must be [batch, seq_len + 1] with seq_len >= 1, got shape "
                    + Arrays.toString(windows.shape()));
        }
        long t = windows.size(1) - 1;
        INDArray inputs = windows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t)).dup('c').castTo(type);
        INDArray targets = windows.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t + 1)).dup('c').castTo(type);
        return new MultiDataSet(inputs, targets);
    }
}
