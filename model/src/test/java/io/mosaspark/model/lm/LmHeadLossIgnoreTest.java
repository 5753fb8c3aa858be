package io.mosaspark.model.lm;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Target ids equal to {@link LmHeadLoss#IGNORE}: no loss, no gradient, the mean is over the counted positions. */
class LmHeadLossIgnoreTest {

    private static final int V = 12, H = 8, T = 5, B = 2;
    private static final int IGNORE = LmHeadLoss.IGNORE;
    private static DataType savedDefault, savedFloat;

    @BeforeAll
    static void doubleContext() {
        savedDefault = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
    }

    /** tokens → tok_emb → lm_head: every position's logits depend on its own token only. */
    private static ComputationGraph embeddingAndHead() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder()
                .addInputs("tokens").setInputTypes(InputType.feedForward(T))
                .addLayer("tok_emb", new TokenEmbedding(V, H), "tokens")
                .addLayer("lm_head", new LmHeadLoss(H, V), "tok_emb").setOutputs("lm_head").build());
        g.init();
        g.params().assign(Nd4j.randn(DataType.DOUBLE, g.params().shape()).muli(0.5));
        return g;
    }

    // Tokens 10 and 11 appear only at the positions whose targets are ignored.
    private static final INDArray TOKENS = Nd4j.createFromArray(new double[][]{{1, 10, 2, 3, 11}, {4, 5, 10, 6, 7}});
    private static final INDArray TARGETS = Nd4j.createFromArray(new double[][]{{2, IGNORE, 3, 9, IGNORE}, {5, 0, IGNORE, 7, 8}});

    /** −log softmax(logits)[target] computed here, in plain Java. */
    private static double nll(INDArray logits, int b, int t, int target) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int v = 0; v < V; v++) max = Math.max(max, logits.getDouble(b, t, v));
        for (int v = 0; v < V; v++) sum += Math.exp(logits.getDouble(b, t, v) - max);
        return max + Math.log(sum) - logits.getDouble(b, t, target);
    }

    @Test
    void theLossIsTheMeanOverTheCountedPositionsOnly() {
        ComputationGraph g = embeddingAndHead();
        INDArray logits = g.outputSingle(TOKENS);                                               // [B, T, V]
        double sum = 0;
        int counted = 0;
        double[] perExample = new double[B];
        for (int b = 0; b < B; b++) {
            double exampleSum = 0;
            int exampleCount = 0;
            for (int t = 0; t < T; t++) {
                int target = TARGETS.getInt(b, t);
                if (target == IGNORE) continue;
                double l = nll(logits, b, t, target);
                exampleSum += l;
                exampleCount++;
            }
            sum += exampleSum;
            counted += exampleCount;
            perExample[b] = exampleSum / exampleCount;
        }
        assertEquals(7, counted);
        assertEquals(sum / counted, g.score(new MultiDataSet(TOKENS, TARGETS)), 1e-12);
        INDArray scores = g.scoreExamples(new MultiDataSet(TOKENS, TARGETS), false);           // [B]
        assertEquals(perExample[0], scores.getDouble(0), 1e-12, "example 0: the mean over its 3 counted positions");
        assertEquals(perExample[1], scores.getDouble(1), 1e-12, "example 1: the mean over its 4 counted positions");
    }

    @Test
    void ignoredPositionsGetNoGradient() {
        ComputationGraph g = embeddingAndHead();
        g.setInputs(TOKENS);
        g.setLabels(TARGETS);
        g.computeGradientAndScore();
        INDArray dEmbedding = g.gradient().getGradientFor("tok_emb_weight");                   // [V, h]
        for (int token : new int[]{10, 11}) {
            assertEquals(0.0, dEmbedding.getRow(token).norm2Number().doubleValue(), 0.0, "token " + token + " feeds ignored targets only");
        }
        assertNotEquals(0.0, dEmbedding.getRow(1).norm2Number().doubleValue(), "token 1 feeds a counted target");

        INDArray before = g.getGradientsViewArray().dup();
        INDArray otherIgnored = TARGETS.dup();
        otherIgnored.putScalar(0, 0, IGNORE);
        g.setLabels(otherIgnored);
        g.computeGradientAndScore();
        assertNotEquals(before, g.getGradientsViewArray(), "ignoring one more position changes the gradient");
    }

    @Test
    void finiteDifferencesAgreeWithTheMaskedGradient() {
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(embeddingAndHead())
                .inputs(new INDArray[]{TOKENS}).labels(new INDArray[]{TARGETS})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
    }

    @Test
    void allPositionsIgnoredGiveZeroLossAndGradientNotNaN() {
        ComputationGraph g = embeddingAndHead();
        INDArray none = Nd4j.valueArrayOf(new long[]{B, T}, (double) IGNORE);
        g.setInputs(TOKENS);
        g.setLabels(none);
        g.computeGradientAndScore();
        assertEquals(0.0, g.score(), 0.0);
        assertEquals(0.0, g.getGradientsViewArray().norm2Number().doubleValue(), 0.0);
        assertEquals(0.0, g.scoreExamples(new MultiDataSet(TOKENS, none), false).norm2Number().doubleValue(), 0.0);
    }

    @Test
    void refusesNegativeTargetsOtherThanTheIgnoreId() {
        INDArray bad = TARGETS.dup();
        bad.putScalar(1, 3, -2);
        String m = refused(bad).getMessage();
        assertTrue(m.contains("lm_head") && m.contains("-2") && m.contains("[1, 3]") && m.contains("or -1"), m);
        bad.putScalar(1, 3, V);
        m = refused(bad).getMessage();
        assertTrue(m.contains("target ids") && m.contains("vocab_size = 12") && m.contains("[1, 3]"), m);
        bad.putScalar(1, 3, -0.5);
        m = refused(bad).getMessage();
        assertTrue(m.contains("whole numbers"), m);
    }

    private static IllegalArgumentException refused(INDArray labels) {
        ComputationGraph g = embeddingAndHead();
        List<Throwable> seen = new ArrayList<>();
        Throwable t = assertThrows(Throwable.class, () -> g.score(new MultiDataSet(TOKENS, labels)));
        while (t != null && !(t instanceof IllegalArgumentException)) {
            seen.add(t);
            t = t.getCause();
        }
        assertNotNull(t, "expected an IllegalArgumentException, got " + seen);
        return (IllegalArgumentException) t;
    }
}
