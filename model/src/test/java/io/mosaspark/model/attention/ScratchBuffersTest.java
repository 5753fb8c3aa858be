package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScratchBuffersTest {

    @Test
    void reusedBuffersGiveExactlyTheFreshResultsStepAfterStepAndAcrossLengths() {
        AttentionConfig cfg = AttentionConfig.hybrid(8, 4, 2, 2, 4).withIncludeFirst(true);
        Nd4j.getRandom().setSeed(12);
        Map<String, INDArray> m = new LinkedHashMap<>();
        AttentionParams.shapes(cfg).forEach((n, s) -> m.put(n, Nd4j.randn(DataType.DOUBLE, s)));
        AttentionParams p = AttentionParams.fromMap(m);
        HybridAttention layer = new HybridAttention(cfg);
        try (ScratchBuffers scratch = new ScratchBuffers()) {
            for (int seqLen : new int[]{16, 16, 12, 16}) {                 // a shape change reallocates
                INDArray x = Nd4j.randn(DataType.DOUBLE, 2, seqLen, 8), g = Nd4j.randn(DataType.DOUBLE, 2, seqLen, 8);
                HybridAttention.Forward fresh = layer.forward(x, p);
                HybridAttention.Gradients freshGrads = layer.backward(fresh.cache(), g, p);
                HybridAttention.Forward reused = layer.forward(x, p, scratch);
                HybridAttention.Gradients reusedGrads = layer.backward(reused.cache(), g, p);
                assertEquals(fresh.output(), reused.output());
                assertEquals(freshGrads.inputGrad(), reusedGrads.inputGrad());
                assertEquals(freshGrads.paramGrads().toMap(), reusedGrads.paramGrads().toMap());
                reused.cache().close();                                    // must not free the scratch buffers
            }
        }
    }

    @Test
    void keepsABufferWhileTypeAndShapeStayTheSame() {
        try (ScratchBuffers s = new ScratchBuffers()) {
            INDArray a = s.get("x", DataType.FLOAT, 2, 3);
            assertSame(a, s.get("x", DataType.FLOAT, 2, 3));
            assertTrue(s.owns(a));
            INDArray b = s.get("x", DataType.DOUBLE, 2, 3);
            assertFalse(s.owns(a));
            assertTrue(s.owns(b));
            assertFalse(s.owns(b.dup()), "ownership is identity, not equal contents");
        }
    }
}
