package io.mosaspark.model.nn;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.List;

/**
 * Configuration half of a layer whose forward and backward are written by hand in ND4J (see the
 * package documentation). Subclasses hold their settings in plain fields (DL4J serialises layer
 * configurations with Jackson through fields and needs a public no-argument constructor), declare
 * their parameters with {@link #paramSpecs()} and create their {@link ExplicitLayer}.
 *
 * <p>Extends DL4J's {@code BaseLayer} configuration so that the graph's global updater, weight decay
 * and gradient normalisation are copied into every layer like into DL4J's own layers.
 */
public abstract class ExplicitLayerConf extends BaseLayer {

    protected ExplicitLayerConf() {
        // NaN means "not set": DL4J then copies the graph-wide value in (as its builders do).
        this.biasInit = Double.NaN;
        this.gainInit = Double.NaN;
        this.gradientNormalizationThreshold = Double.NaN;
        this.gradientNormalization = null; // BaseLayer's no-arg constructor sets None, which would block the global value
    }

    /** Parameters in flattening order, each in its canonical shape. Derived from the fields; not serialised. */
    public abstract List<ParamSpec> paramSpecs();

    /** The layer implementation for one network instance. */
    protected abstract ExplicitLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public abstract InputType getOutputType(int layerIndex, InputType inputType);

    @Override
    public final org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
            boolean initializeParams, DataType dataType) {
        // Hand-written layers do not apply DL4J's dropout or weight noise; refuse rather than ignore them.
        if (getIDropout() != null || getWeightNoise() != null) {
            throw new IllegalArgumentException("layer '" + layerName + "' (" + getClass().getSimpleName() + "): dropout and "
                    + "weight noise are not supported by hand-written layers; remove dropOut(...)/weightNoise(...) from the configuration");
        }
        ExplicitLayer<?> layer = createLayer(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return ExplicitParamInitializer.INSTANCE;
    }

    /** Sizes are explicit in every subclass's fields; nothing to infer from the input type. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(n, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    /** Size of the last axis of a [B, T, h] (NWC) or [B, h] input type, for shape checks in subclasses. */
    protected static long featureSize(InputType type) {
        if (type instanceof InputType.InputTypeRecurrent r) return r.getSize();
        if (type instanceof InputType.InputTypeFeedForward f) return f.getSize();
        throw new IllegalArgumentException("expected a recurrent [B, T, h] or feed-forward input type, got " + type);
    }

    /** A size from the constructor, refused with the config key's name when below {@code min}. */
    protected static int requireAtLeast(String key, int value, int min) {
        if (value < min) throw new IllegalArgumentException(key + " = " + value + ": must be >= " + min);
        return value;
    }

    /** Checks that the incoming feature size is what the layer was configured for. */
    protected void requireFeatureSize(InputType type, long expected) {
        long got = featureSize(type);
        if (got != expected) {
            throw new IllegalArgumentException("layer '" + layerName + "' (" + getClass().getSimpleName()
                    + "): input has feature size " + got + " but the layer was configured for " + expected);
        }
    }
}
