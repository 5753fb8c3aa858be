package io.mosaspark.demo;

import io.mosaspark.model.lm.LmHeadLoss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch of {@link RecallTask} sequences.
 *
 * @param tokens [B][T+1] token ids; inputs are tokens[:, :T], targets tokens[:, 1:]
 * @param roles  [B][T] per input position: {@link #ANSWER} where the target is a queried value, else 0
 */
public record RecallBatch(int[][] tokens, byte[][] roles) {

    public static final byte ANSWER = 1;

    public int batchSize() {
        return tokens.length;
    }

    public int seqLen() {
        return roles[0].length;
    }

    /** Input ids [B, T] as {@code type} (DL4J feeds token ids as floating-point arrays). */
    public INDArray inputs(DataType type) {
        return ids(0, type);
    }

    /** Target ids [B, T]: the input shifted left by one. */
    public INDArray targets(DataType type) {
        return ids(1, type);
    }

    /**
     * Target ids [B, T] at the answer positions and {@link LmHeadLoss#IGNORE} elsewhere: a loss on these
     * trains only the recall, not the filler around it.
     */
    public INDArray answerTargets(DataType type) {
        int b = batchSize(), t = seqLen();
        double[] v = new double[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) v[i * t + j] = roles[i][j] == ANSWER ? tokens[i][j + 1] : LmHeadLoss.IGNORE;
        }
        return Nd4j.create(v, new long[]{b, t}, DataType.DOUBLE).castTo(type);
    }

    /** [B, T] 1 at answer positions, 0 elsewhere. */
    public INDArray answerMask(DataType type) {
        int b = batchSize(), t = seqLen();
        double[] m = new double[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) m[i * t + j] = roles[i][j] == ANSWER ? 1 : 0;
        return Nd4j.create(m, new long[]{b, t}, DataType.DOUBLE).castTo(type);
    }

    public int answerCount() {
        int n = 0;
        for (byte[] r : roles) for (byte x : r) if (x == ANSWER) n++;
        return n;
    }

    private INDArray ids(int offset, DataType type) {
        int b = batchSize(), t = seqLen();
        double[] v = new double[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) v[i * t + j] = tokens[i][j + offset];
        return Nd4j.create(v, new long[]{b, t}, DataType.DOUBLE).castTo(type);
    }
}
