package io.mosaspark.model.lm;

import io.mosaspark.model.attention.HybridAttentionLayer;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The language model of docs/model.md as a DL4J {@link ComputationGraph}:
 * tokens [B, T] → {@code tok_emb} → n_layers × {x += attn(ln1(x)); x += mlp(ln2(x))} → {@code ln_f}
 * → {@code lm_head} (logits [B, T, V], loss = mean next-token cross-entropy over B·T; labels are
 * target ids [B, T]). Vertex names: {@link LmNames}.
 *
 * <p>The graph runs with {@code miniBatch(false)}: the loss layer's gradient is already that of the
 * mean over B·T, so DL4J must not divide again. Workspaces are on: with them DL4J reuses the memory
 * of activations, residual sums and gradients from step to step (each layer does the same for its own
 * arrays, see {@link io.mosaspark.model.nn.ExplicitLayer}); without them every step leaves dead
 * off-heap arrays that only a garbage collection frees.
 *
 * <p>Training: the {@link TrainingConfig}'s updater, schedule and weight decay are part of the graph's
 * configuration ({@link TrainingSetup}); its clipping is applied by {@link #prepareForTraining}, which
 * {@link #build} calls and which a restored graph needs before it trains.
 */
public final class MosaLanguageModel {

    private MosaLanguageModel() {
    }

    /** A freshly initialised float32 model. */
    public static ComputationGraph build(ModelConfig model, TrainingConfig training) {
        return build(model, training, DataType.FLOAT);
    }

    /**
     * A freshly initialised model (parameters drawn with {@code training.seed()}) in FLOAT or DOUBLE,
     * ready to train as {@code training} says ({@link #prepareForTraining} done).
     */
    public static ComputationGraph build(ModelConfig model, TrainingConfig training, DataType dataType) {
        ComputationGraph g = new ComputationGraph(configuration(model, training, dataType));
        g.init();
        prepareForTraining(g, training);
        return g;
    }

    /**
     * Applies {@code training}'s gradient clipping to {@code graph}: the global norm by default (the
     * paper), through a {@link GlobalNormClipping} listener, or DL4J's per-layer clipping. The one place
     * every training path goes through: {@link #build} calls it; a graph restored from a checkpoint
     * (ModelSerializer, LmZip) has lost its listeners and must call it before training, and so must a
     * caller that replaced the listeners with {@code setListeners} (use {@code addListeners} instead).
     * Idempotent; keeps the other listeners.
     */
    public static ComputationGraph prepareForTraining(ComputationGraph graph, TrainingConfig training) {
        TrainingSetup.applyClipping(graph, training);
        return graph;
    }

    public static ComputationGraphConfiguration configuration(ModelConfig model, TrainingConfig training, DataType dataType) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("data type " + dataType + ": the LM runs in FLOAT (default) or DOUBLE");
        }
        int h = model.dModel();
        NeuralNetConfiguration.Builder nn = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(dataType)
                .miniBatch(false)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        TrainingSetup.configure(nn, training);
        ComputationGraphConfiguration.GraphBuilder b = nn.graphBuilder()
                .addInputs(LmNames.INPUT)
                .setInputTypes(InputType.feedForward(model.seqLen()))
                .addLayer(LmNames.EMBEDDING, new TokenEmbedding(model.vocabSize(), h), LmNames.INPUT);
        String x = LmNames.EMBEDDING;
        for (int i = 0; i < model.nLayers(); i++) {
            b.addLayer(LmNames.ln1(i), new LayerNorm(h, model.lnEps()), x)
                    .addLayer(LmNames.attention(i), new HybridAttentionLayer(model.attention()), LmNames.ln1(i))
                    .addVertex(LmNames.attentionResidual(i), new ElementWiseVertex(ElementWiseVertex.Op.Add), x, LmNames.attention(i))
                    .addLayer(LmNames.ln2(i), new LayerNorm(h, model.lnEps()), LmNames.attentionResidual(i))
                    .addLayer(LmNames.mlp(i), new Mlp(h, model.dFf()), LmNames.ln2(i))
                    .addVertex(LmNames.mlpResidual(i), new ElementWiseVertex(ElementWiseVertex.Op.Add),
                            LmNames.attentionResidual(i), LmNames.mlp(i));
            x = LmNames.mlpResidual(i);
        }
        return b.addLayer(LmNames.FINAL_NORM, new LayerNorm(h, model.lnEps()), x)
                .addLayer(LmNames.HEAD, new LmHeadLoss(h, model.vocabSize()), LmNames.FINAL_NORM)
                .setOutputs(LmNames.HEAD)
                .build();
    }

    /** Canonical name → parameter view (writing to it writes the model), in graph order. */
    public static Map<String, INDArray> canonicalParams(ComputationGraph g) {
        return byCanonicalName(g.paramTable());
    }

    /** Canonical name → gradient of the last {@code computeGradientAndScore}, in graph order. */
    public static Map<String, INDArray> canonicalGradients(ComputationGraph g) {
        return byCanonicalName(g.gradient().gradientForVariable());
    }

    /** Graph keys are {@code <vertex>_<param>} (DL4J's rule: split at the last '_'). */
    private static Map<String, INDArray> byCanonicalName(Map<String, INDArray> graphKeyed) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        graphKeyed.forEach((key, array) -> {
            int cut = key.lastIndexOf('_');
            out.put(LmNames.canonical(key.substring(0, cut), key.substring(cut + 1)), array);
        });
        return out;
    }
}
