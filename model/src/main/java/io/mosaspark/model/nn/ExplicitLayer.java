package io.mosaspark.model.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/**
 * Implementation half of a hand-written layer: subclasses implement {@link #forward} and
 * {@link #backward}; this class does DL4J's bookkeeping (parameter and gradient views, workspaces,
 * gradient objects, dtype of the input).
 *
 * <p>Workspaces: forward and backward run with all workspaces scoped out, so every array a subclass
 * creates or caches is an ordinary heap-managed array. Only the returned activation and input gradient
 * are copied into the workspace DL4J expects (no copy when the graph runs without workspaces).
 *
 * <p>Memory: what forward caches for backward is dead once backward has run; subclasses free it in
 * {@link #releaseForwardCache()} (called after every backward and by {@link #clear()}), closing the
 * arrays they own rather than waiting for the garbage collector, which does not see off-heap memory.
 * The input and the returned arrays are not theirs to close.
 */
public abstract class ExplicitLayer<C extends ExplicitLayerConf> extends BaseLayer<C> {

    /** What {@link #backward} returns: dL/dInput (null only for a first layer whose input has no gradient) and dL/dParam by name. */
    public record Backward(INDArray inputGradient, Map<String, INDArray> paramGradients) {
    }

    protected ExplicitLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * The layer's output. {@code params} are read-only views in canonical shapes (same dtype as the
     * network). Keep whatever {@link #backward} needs in fields; {@code training} is false for inference,
     * where nothing needs to be kept.
     */
    protected abstract INDArray forward(INDArray input, Map<String, INDArray> params, boolean training);

    /**
     * Gradients for the most recent {@code forward(..., training = true)}: {@code epsilon} is dL/dOutput
     * (null for an output layer, which computes it from its labels). Every declared parameter must have
     * a gradient of its canonical shape; the base copies them into the network's gradient vector.
     */
    protected abstract Backward backward(INDArray epsilon, Map<String, INDArray> params);

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray out;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out = forward(castInput(), readOnlyParams(), training);
        }
        return into(ArrayType.ACTIVATIONS, out, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Backward b;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            b = backward(epsilon, readOnlyParams());
        }
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            String name = p.getKey();
            INDArray grad = b.paramGradients().get(name);
            if (grad == null) {
                throw new IllegalStateException(layerId() + ": backward() returned no gradient for parameter '" + name
                        + "' (returned " + b.paramGradients().keySet() + ")");
            }
            if (!Arrays.equals(grad.shape(), p.getValue().shape())) {
                throw new IllegalStateException(layerId() + ": gradient of '" + name + "' has shape "
                        + Arrays.toString(grad.shape()) + ", the parameter has " + Arrays.toString(p.getValue().shape()));
            }
            INDArray view = gradientViews.get(name);
            if (grad != view) view.assign(grad);      // backward may have written into the view already
            g.setGradientFor(name, view);
        }
        this.gradient = g;
        INDArray dInput = b.inputGradient() == null ? null : into(ArrayType.ACTIVATION_GRAD, b.inputGradient(), workspaceMgr);
        releaseForwardCache();
        return new Pair<>(g, dInput);
    }

    /**
     * Where the network keeps dL/d{@code name}, canonical shape, row-major. {@link #backward} may
     * write the gradient straight into it (e.g. as a GEMM's output) and return this very array:
     * that saves one copy per parameter and step.
     */
    protected INDArray gradientView(String name) {
        INDArray view = gradientViews.get(name);
        if (view == null) throw new IllegalArgumentException(layerId() + ": no parameter '" + name + "' (has " + gradientViews.keySet() + ")");
        return view;
    }

    /**
     * Called after every backward pass and by {@link #clear()}: drop (and close) what {@link #forward}
     * kept for backward. Without it the caches of every layer stay allocated from one step to the next,
     * several times the parameters' memory, until the next forward replaces them.
     */
    protected void releaseForwardCache() {
    }

    @Override
    public void clear() {
        super.clear();
        releaseForwardCache();
    }

    /** The input in the network's floating type (integer-valued inputs such as token ids stay as they are). */
    protected INDArray castInput() {
        DataType net = dataType;
        if (input.dataType() == net || !input.dataType().isFPType()) return input;
        return input.castTo(net);
    }

    private Map<String, INDArray> readOnlyParams() {
        return Collections.unmodifiableMap(params);
    }

    private static INDArray into(ArrayType type, INDArray detached, LayerWorkspaceMgr mgr) {
        if (!mgr.hasConfiguration(type) || mgr.isScopedOut(type)) return detached;
        INDArray out = mgr.createUninitialized(type, detached.dataType(), detached.shape(), 'c');
        return out.assign(detached);
    }

    /** DL4J's default reads a flat vector column-major ('f'); our views are row-major. */
    @Override
    public void setParams(INDArray params) {
        setParams(params, 'c');
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }
}
