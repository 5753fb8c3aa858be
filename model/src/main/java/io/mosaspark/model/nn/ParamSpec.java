package io.mosaspark.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One named parameter of an {@link ExplicitLayerConf}: its canonical shape (row-major, PyTorch's
 * [out, in] for matrices), how it is initialised, and whether weight decay applies to it.
 *
 * @param name    the parameter's key inside its layer, e.g. {@code weight} or {@code dense.qkv.weight}
 * @param shape   canonical shape; the flattened view is laid out row-major ('c') in this shape
 * @param init    how fresh parameters are drawn
 * @param decayed true for matrices (DL4J "weight" params: weight decay applies), false for gains and
 *                biases (DL4J "bias" params: no decay)
 */
public record ParamSpec(String name, long[] shape, Init init, boolean decayed) {

    /* DL4J splits gradient keys "layer_param" at the LAST underscore (BaseMultiLayerUpdater), so a
       parameter name must not contain one. */
    private static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9.]*");

    public ParamSpec {
        if (name == null || !LEGAL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name '" + name
                    + "': must match " + LEGAL_NAME + " (no '_': DL4J uses it to separate layer and parameter)");
        }
        if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("parameter '" + name + "': shape " + Arrays.toString(shape)
                    + " must have rank >= 1 and every dimension >= 1");
        }
        if (init == null) throw new IllegalArgumentException("parameter '" + name + "': init is missing");
        shape = shape.clone();
    }

    /** A matrix-like parameter that weight decay applies to. */
    public static ParamSpec weight(String name, Init init, long... shape) {
        return new ParamSpec(name, shape, init, true);
    }

    /** A gain or bias: no weight decay. */
    public static ParamSpec gainOrBias(String name, Init init, long... shape) {
        return new ParamSpec(name, shape, init, false);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long length() {
        return Arrays.stream(shape).reduce(1L, Math::multiplyExact);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape)
                && p.init.equals(init) && p.decayed == decayed;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    /** How a parameter's initial values are drawn; uses ND4J's global RNG, which the network seeds. */
    public sealed interface Init permits Normal, Constant {
        void fill(INDArray view);
    }

    /** Normal(0, std²), e.g. 0.02 as in GPT-2 for embeddings and linear maps. */
    public record Normal(double std) implements Init {
        public Normal {
            if (!(std > 0)) throw new IllegalArgumentException("Normal init: std = " + std + " must be > 0");
        }

        @Override
        public void fill(INDArray view) {
            view.assign(Nd4j.randn(view.dataType(), view.shape()).muli(std));
        }
    }

    /** Every entry the same value: 1 for LayerNorm gains, 0 for biases. */
    public record Constant(double value) implements Init {
        @Override
        public void fill(INDArray view) {
            view.assign(value);
        }
    }
}
