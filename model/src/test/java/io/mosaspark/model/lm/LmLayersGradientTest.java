package io.mosaspark.model.lm;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J's finite-difference check (double precision) on every LM layer and on whole 1-block models. */
class LmLayersGradientTest {

    private static final int V = 12, H = 8, T = 5, B = 2;
    private static DataType savedDefault, savedFloat;

    @BeforeAll
    static void doubleContext() {
        savedDefault = org.nd4j.linalg.factory.Nd4j.dataType();
        savedFloat = org.nd4j.linalg.factory.Nd4j.defaultFloatingPointType();
        org.nd4j.linalg.factory.Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        org.nd4j.linalg.factory.Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
    }

    /** Checked by {@link #embeddingAndHeadLoss()}; skipped elsewhere (each entry costs two forward passes). */
    private static final Set<String> EMBEDDING_AND_HEAD = Set.of("tok_emb_weight", "lm_head_weight");

    /** tokens → tok_emb → middle (may be null) → lm_head; DL4J's default miniBatch(true). */
    private static ComputationGraph chain(Layer middle) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
                .addInputs("tokens").setInputTypes(InputType.feedForward(T))
                .addLayer("tok_emb", new TokenEmbedding(V, H), "tokens");
        String last = "tok_emb";
        if (middle != null) {
            b.addLayer("mid", middle, "tok_emb");
            last = "mid";
        }
        ComputationGraph g = new ComputationGraph(b.addLayer("lm_head", new LmHeadLoss(H, V), last).setOutputs("lm_head").build());
        g.init();
        randomise(g);
        return g;
    }

    /** 0.02-scale init gives tiny gradients; larger parameters make the check meaningful. */
    private static void randomise(ComputationGraph g) {
        g.params().assign(org.nd4j.linalg.factory.Nd4j.randn(DataType.DOUBLE, g.params().shape()).muli(0.5));
    }

    private static boolean check(ComputationGraph g, int seqLen, int vocab) {
        return check(g, seqLen, vocab, Set.of());
    }

    /** @param skip graph parameter keys not to check (each check costs two forward passes per entry) */
    private static boolean check(ComputationGraph g, int seqLen, int vocab, Set<String> skip) {
        INDArray x = LmTestModels.tokens(11, B, seqLen, vocab, DataType.DOUBLE);
        INDArray y = LmTestModels.tokens(12, B, seqLen, vocab, DataType.DOUBLE);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).excludeParams(skip));
    }

    @Test
    void embeddingAndHeadLoss() {
        assertTrue(check(chain(null), T, V));
    }

    @Test
    void layerNorm() {
        assertTrue(check(chain(new LayerNorm(H, 1e-5)), T, V, EMBEDDING_AND_HEAD));
    }

    @Test
    void mlp() {
        assertTrue(check(chain(new Mlp(H, 2 * H)), T, V, EMBEDDING_AND_HEAD));
    }


    @Test
    void oneBlockLmWithDenseAttention() {
        ComputationGraph g = LmTestModels.withoutUpdater(
                MosaLanguageModel.configuration(LmTestModels.tinyDense(), LmTestModels.UNCLIPPED, DataType.DOUBLE));
        randomise(g);
        assertTrue(check(g, 8, 10, EMBEDDING_AND_HEAD));
    }
}
