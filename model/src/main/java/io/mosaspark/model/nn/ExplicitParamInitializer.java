package io.mosaspark.model.nn;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's parameter bookkeeping for every {@link ExplicitLayerConf}: slices the network's flattened
 * parameter (and gradient) vector into one row-major view per {@link ParamSpec}, in declaration order,
 * each in its canonical shape. Stateless; one instance serves all layers.
 */
public final class ExplicitParamInitializer implements ParamInitializer {

    public static final ExplicitParamInitializer INSTANCE = new ExplicitParamInitializer();

    private ExplicitParamInitializer() {
    }

    private static List<ParamSpec> specs(Layer layer) {
        if (!(layer instanceof ExplicitLayerConf explicit)) {
            throw new IllegalArgumentException("ExplicitParamInitializer serves ExplicitLayerConf only, got "
                    + (layer == null ? "null" : layer.getClass().getName()));
        }
        return explicit.paramSpecs();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return specs(layer).stream().mapToLong(ParamSpec::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return specs(layer).stream().map(ParamSpec::name).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return specs(layer).stream().filter(ParamSpec::decayed).map(ParamSpec::name).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return specs(layer).stream().filter(s -> !s.decayed()).map(ParamSpec::name).toList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        List<ParamSpec> specs = specs(conf.getLayer());
        for (ParamSpec s : specs) conf.addVariable(s.name()); // as DL4J's own initialisers do (summary, setParams)
        Map<String, INDArray> views = views(conf.getLayer().getLayerName(), specs, paramsView);
        if (initializeParams) {
            for (ParamSpec s : specs) s.init().fill(views.get(s.name()));
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer().getLayerName(), specs(conf.getLayer()), gradientView);
    }

    /** Views (not copies) into {@code flat}: writing to a view writes the network's flattened vector. */
    static Map<String, INDArray> views(String layerName, List<ParamSpec> specs, INDArray flat) {
        long total = specs.stream().mapToLong(ParamSpec::length).sum();
        if (total == 0) return Collections.emptyMap();
        if (flat == null || flat.length() != total) {
            throw new IllegalStateException("layer '" + layerName + "': flattened parameter view has "
                    + (flat == null ? "no array" : flat.length() + " entries") + ", its parameters " + specs
                    + " need " + total);
        }
        INDArray row = flat.reshape(flat.length()); // [N], still a view of the network's vector
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        for (ParamSpec s : specs) {
            INDArray slice = row.get(NDArrayIndex.interval(offset, offset + s.length())).reshape('c', s.shape());
            out.put(s.name(), slice);
            offset += s.length();
        }
        return out;
    }
}
