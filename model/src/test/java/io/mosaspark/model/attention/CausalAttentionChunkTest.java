package io.mosaspark.model.attention;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CausalAttentionChunkTest {

    @Test
    void chunkedScoreGradientIsBitwiseTheWholeOne() {
        int n = 5, length = 6, headDim = 4;
        for (long chunkRows : new long[]{1, 2, 3, 5}) {                     // 2 and 3 leave a partial last chunk
            CausalAttention.Backward whole = run(n, length, headDim, Long.MAX_VALUE / 2);
            CausalAttention.Backward chunked = run(n, length, headDim, chunkRows * length * length);
            assertEquals(0.0, whole.dq().sub(chunked.dq()).amaxNumber().doubleValue(), 0.0, "dq, chunk " + chunkRows);
            assertEquals(0.0, whole.dk().sub(chunked.dk()).amaxNumber().doubleValue(), 0.0, "dk, chunk " + chunkRows);
            assertEquals(0.0, whole.dv().sub(chunked.dv()).amaxNumber().doubleValue(), 0.0, "dv, chunk " + chunkRows);
        }
    }

    private static CausalAttention.Backward run(int n, int length, int headDim, long chunkValues) {
        Nd4j.getRandom().setSeed(21);
        INDArray q = Nd4j.randn(DataType.DOUBLE, n, length, headDim), k = Nd4j.randn(DataType.DOUBLE, n, length, headDim);
        INDArray v = Nd4j.randn(DataType.DOUBLE, n, length, headDim), dOut = Nd4j.randn(DataType.DOUBLE, n, length, headDim);
        CausalAttention.Forward f = CausalAttention.forward(q, k, v, Rope.sequential(length, 2, 10000), null);
        return CausalAttention.backward(f.cache(), dOut, chunkValues);
    }
}
