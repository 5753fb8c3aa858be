package io.mosaspark.model.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Implementation half of a hand-written layer: subclasses implement {@link #forward} and
 * {@link #backward}; this class does DL4J's bookkeeping (parameter and gradient views, workspaces,
 * gradient objects, dtype of the input).
 *
 * <p>Memory: forward runs in the layer's own {@link StepMemory}, a workspace reused from step to step:
 * every array a subclass creates or caches in it is valid until the end of that step's backward (or the
 * next forward), and then its memory is handed out again. Backward runs in memory shared by all layers,
 * valid until backward returns (see {@link StepMemory#transientWork}). The returned
 * activation and input gradient are copied out, into the workspace DL4J expects or into ordinary
 * arrays when the graph runs without workspaces; parameter gradients into the gradient views. Arrays
 * that must outlive the step (e.g. what a listener reads) are copied out by the subclass with
 * {@code detach()}, buffers kept across steps are allocated with workspaces scoped out.
 * {@link #releaseForwardCache()} (called after every backward and by {@link #clear()}) drops references.
 */
public abstract class ExplicitLayer<C extends ExplicitLayerConf> extends BaseLayer<C> {

    /** What {@link #backward} returns: dL/dInput (null only for a first layer whose input has no gradient) and dL/dParam by name. */
    public record Backward(INDArray inputGradient, Map<String, INDArray> paramGradients) {
    }

    /** Where forward allocates and its cache lives (package-private: the output layer runs its loss there too). */
    final StepMemory memory;

    protected ExplicitLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.memory = new StepMemory(getClass().getSimpleName());
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
        INDArray out = forwardInMemory(training, o -> into(ArrayType.ACTIVATIONS, o, workspaceMgr));
        if (!training) {
            releaseForwardCache();
            memory.release();
        }
        return out;
    }

    /**
     * Opens a step and runs {@link #forward} in its memory (temporaries in transient memory if the
     * subclass asks for it); {@code copyOut} gets the output while the memory it is in is still valid.
     */
    final <T> T forwardInMemory(boolean training, Function<INDArray, T> copyOut) {
        Supplier<T> run = () -> copyOut.apply(forward(castInput(), readOnlyParams(), training));
        return memory.forward(() -> forwardInTransientMemory() ? StepMemory.transientWork(run) : run.get());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        try {
            return StepMemory.transientWork(() -> backpropInMemory(epsilon, workspaceMgr));
        } finally {
            releaseForwardCache();
            memory.release();
        }
    }

    private Pair<Gradient, INDArray> backpropInMemory(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!memory.isOpen()) {
            throw new IllegalStateException(layerId() + ": backward without a training forward pass "
                    + "(DL4J must call activate(training = true) first)");
        }
        // Runs in shared transient memory; reads the forward cache (still in this layer's step memory),
        // and everything it returns is copied out below, before that memory is reused.
        Backward b = backward(epsilon, readOnlyParams());
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
        return new Pair<>(g, dInput);
    }

    /**
     * True if {@link #forward} creates its temporaries in the shared transient memory (like backward)
     * and wraps what it caches for backward in {@link #keep}. Saves one layer's temporaries per layer
     * (for a [B·T, h] LayerNorm, two arrays of its input's size; for every layer, its output, which DL4J
     * gets a copy of). False by default: then everything forward creates stays until backward.
     */
    protected boolean forwardInTransientMemory() {
        return false;
    }

    /**
     * Runs {@code body} so that the arrays it creates live in the layer's step memory, valid until the
     * end of backward, even when forward runs in transient memory (see {@link #forwardInTransientMemory}).
     * For the forward cache: wrap the op that creates a cached array, not a whole computation.
     */
    protected final <T> T keep(Supplier<T> body) {
        return memory.borrow(body);
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
        memory.release();
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

    /** {@code a} (from the step's memory) copied to where DL4J expects it: its workspace, or an ordinary array. */
    static INDArray into(ArrayType type, INDArray a, LayerWorkspaceMgr mgr) {
        if (!mgr.hasConfiguration(type) || mgr.isScopedOut(type)) return a.isAttached() ? a.detach() : a;
        INDArray out = mgr.createUninitialized(type, a.dataType(), a.shape(), 'c');
        return out.assign(a);
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
