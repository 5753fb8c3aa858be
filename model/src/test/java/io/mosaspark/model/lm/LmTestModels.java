package io.mosaspark.model.lm;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Small models and data shared by the LM tests. */
final class LmTestModels {

    /** Adam at 3e-3 after 2 warm-up steps, the global gradient norm clipped at 1 (the default kind). */
    static final TrainingConfig ADAM = TrainingConfig.PAPER.withLearningRate(3e-3)
            .withSchedule(TrainingConfig.Schedule.CONSTANT, 2).withGradClip(1.0).withSeed(42);
    /** For gradient checks: DL4J applies per-layer clipping inside the updater step the check runs. */
    static final TrainingConfig UNCLIPPED = ADAM.withGradClip(0);

    private LmTestModels() {
    }

    /** V 10, 1 block, h 8, d_ff 8, T 8; attention as given (its d_model must be 8). */
    static ModelConfig tiny(AttentionConfig attention) {
        return new ModelConfig(10, 1, 8, 8, 1e-5, attention);
    }

    /** Two dense heads of width 4. */
    static ModelConfig tinyDense() {
        return tiny(AttentionConfig.dense(8, 4, 2));
    }

    /** GradientCheckUtil accepts only NoOp or SGD(1.0) updaters. */
    static ComputationGraph withoutUpdater(ComputationGraphConfiguration conf) {
        conf.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer bl) bl.setIUpdater(new NoOp());
        });
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Token ids [B, T] in [0, V), as the network's floating type (how DL4J feeds them). */
    static INDArray tokens(long seed, int batch, int seqLen, int vocab, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, batch, seqLen).muli(vocab).castTo(DataType.INT).castTo(type);
    }
}
