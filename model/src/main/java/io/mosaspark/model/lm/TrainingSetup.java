package io.mosaspark.model.lm;

import io.mosaspark.model.config.TrainingConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link TrainingConfig} means to DL4J: the updater and its learning-rate schedule and the
 * weight decay, which go into the network configuration (and so are saved with it), and the gradient
 * clipping, which for the global kind is a listener (which is not saved: {@link #applyClipping}).
 */
public final class TrainingSetup {

    private TrainingSetup() {
    }

    /** ND4J's updater for the config: Adam (adam, adamw) or Sgd, both on {@link #schedule}. */
    public static IUpdater updater(TrainingConfig t) {
        ISchedule lr = schedule(t);
        return switch (t.optimizer()) {
            case ADAM, ADAMW -> Adam.builder().learningRateSchedule(lr).beta1(t.beta1()).beta2(t.beta2())
                    .epsilon(t.adamEpsilon()).build();
            case SGD -> new Sgd(lr);
        };
    }

    /** The learning rate at each iteration: warm-up, then constant or cosine decay. */
    public static ISchedule schedule(TrainingConfig t) {
        return switch (t.schedule()) {
            case CONSTANT -> t.warmupSteps() > 0 ? new LinearWarmup(t.learningRate(), t.warmupSteps())
                    : new FixedSchedule(t.learningRate());
            case COSINE -> new WarmupCosine(t.learningRate(), t.warmupSteps(), t.steps(), t.minLrRatio());
        };
    }

    /**
     * Puts the updater, weight decay and per-layer clipping on the graph-wide builder; DL4J copies
     * them into every layer, where only matrices ("weight" parameters) get weight decay.
     */
    static NeuralNetConfiguration.Builder configure(NeuralNetConfiguration.Builder nn, TrainingConfig t) {
        nn.updater(updater(t));
        if (t.weightDecay() > 0) {
            if (t.optimizer() == TrainingConfig.Optimizer.ADAMW) nn.weightDecay(t.weightDecay(), true);
            else nn.l2(t.weightDecay());
        }
        if (clipsPerLayer(t)) {
            nn.gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(t.gradClip());
        }
        return nn;
    }

    /**
     * Makes {@code graph} clip as {@code t} says, whatever it was built or restored with: per-layer
     * clipping (or none) on every layer's configuration, and a {@link GlobalNormClipping} listener, the
     * first, exactly when {@code t} clips globally. Other listeners stay; an earlier clipping listener
     * is replaced, so calling this again is harmless. DL4J does not save listeners with a network and
     * {@code setListeners} drops them: call this after every restore and after {@code setListeners}.
     */
    static void applyClipping(ComputationGraph graph, TrainingConfig t) {
        boolean perLayer = clipsPerLayer(t);
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer conf) {
                conf.setGradientNormalization(perLayer ? GradientNormalization.ClipL2PerLayer : GradientNormalization.None);
                if (perLayer) conf.setGradientNormalizationThreshold(t.gradClip());
            }
        }
        List<TrainingListener> listeners = new ArrayList<>();
        if (t.clips() && t.clip() == TrainingConfig.Clip.GLOBAL) listeners.add(new GlobalNormClipping(t.gradClip()));
        for (TrainingListener l : graph.getListeners()) if (!(l instanceof GlobalNormClipping)) listeners.add(l);
        graph.setListeners(listeners);
    }

    private static boolean clipsPerLayer(TrainingConfig t) {
        return t.clips() && t.clip() == TrainingConfig.Clip.PER_LAYER;
    }
}
