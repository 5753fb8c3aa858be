package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.AttentionConfig.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every invalid input is refused with a message that names the problem and the fix. */
class ErrorMessagesTest {

    private static final AttentionConfig CFG = new AttentionConfig(8, 4, 1, 2, 4, false, 0.5, 10000, Selection.EXPERT_CHOICE);

    private static AttentionParams params(AttentionConfig cfg, DataType type) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        AttentionParams.shapes(cfg).forEach((n, s) -> m.put(n, Nd4j.randn(type, s)));
        return AttentionParams.fromMap(m);
    }

    private static void assertRefused(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }

    @Test
    void inputMustBeRank3WithDModelFeatures() {
        HybridAttention layer = new HybridAttention(CFG);
        AttentionParams p = params(CFG, DataType.DOUBLE);
        assertRefused(() -> layer.forward(Nd4j.rand(DataType.DOUBLE, 16, 8), p), "[16, 8]", "d_model = 8");
        assertRefused(() -> layer.forward(Nd4j.rand(DataType.DOUBLE, 2, 16, 6), p), "[2, 16, 6]", "d_model = 8");
        assertRefused(() -> layer.forward(Nd4j.zeros(DataType.INT, 2, 16, 8), p), "INT", "FLOAT or DOUBLE");
        assertRefused(() -> layer.forward(Nd4j.zeros(DataType.HALF, 2, 16, 8), p), "HALF", "FLOAT or DOUBLE");
    }

    @Test
    void anEmptySequenceAndASparsityBelowOneAreRefused() {
        HybridAttention layer = new HybridAttention(CFG);
        assertRefused(() -> layer.forward(Nd4j.create(DataType.DOUBLE, 1, 0, 8), params(CFG, DataType.DOUBLE)),
                "T = 0", "must be >= 1");
        assertRefused(() -> CFG.withHeads(2, 2, 0), "sparsity = 0", "must be >= 1");
    }

    @Test
    void wrongMissingSurplusOrMistypedParametersAreNamed() {
        HybridAttention layer = new HybridAttention(CFG);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 8, 8);
        AttentionParams ok = params(CFG, DataType.DOUBLE);
        AttentionParams transposedO = new AttentionParams(ok.denseQkv(), ok.denseO(), ok.router(), ok.mosaQkv(),
                Nd4j.rand(DataType.DOUBLE, 2, 8, 4));
        assertRefused(() -> layer.forward(x, transposedO), "'mosa.o'", "[2, 8, 4]", "expected [2, 4, 8]");
        AttentionParams noRouter = new AttentionParams(ok.denseQkv(), ok.denseO(), null, ok.mosaQkv(), ok.mosaO());
        assertRefused(() -> layer.forward(x, noRouter), "'mosa.router.weight' is missing", "[2, 8]");
        assertRefused(() -> layer.forward(x, ok.castTo(DataType.FLOAT)), "FLOAT", "DOUBLE");
        HybridAttention fixed = new HybridAttention(CFG.withSelection(Selection.FIXED_STRIDE));
        assertRefused(() -> fixed.forward(x, ok), "'mosa.router.weight' is given", "FIXED_STRIDE");
    }

    @Test
    void backwardRefusesAGradientOfTheWrongShape() {
        HybridAttention layer = new HybridAttention(CFG);
        AttentionParams p = params(CFG, DataType.DOUBLE);
        HybridAttention.Forward f = layer.forward(Nd4j.rand(DataType.DOUBLE, 1, 8, 8), p);
        assertRefused(() -> layer.backward(f.cache(), Nd4j.rand(DataType.DOUBLE, 1, 4, 8), p), "[1, 4, 8]", "[1, 8, 8]");
    }

    @Test
    void parityRefusesAFileOfAnotherKind() {
        Path lm = AttentionParityTest.parity("mosa_lm_tiny");
        assertRefused(() -> AttentionParity.check(lm, DataType.DOUBLE), "mosa_lm", "mosa_attention_layer");
    }
}
