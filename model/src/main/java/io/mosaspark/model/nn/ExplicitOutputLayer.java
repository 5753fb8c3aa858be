package io.mosaspark.model.nn;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.Map;

/**
 * An {@link ExplicitLayer} that ends the network and owns the loss.
 *
 * <p>DL4J calls an output layer differently from other layers: in training it sets the input and then
 * calls {@code backpropGradient(null)} and {@code computeScore} without {@code activate}. This class
 * runs {@link #forward} at most once per input array and hands the labels to the subclass. (Every
 * DL4J pass hands the output layer a new input array from the layer before it, so the cache cannot
 * outlive a parameter change.)
 *
 * <p>Gradient convention (DL4J's): when the network's {@code miniBatch} flag is true, DL4J's updater
 * divides every gradient by B, so {@link #backward} must return B · d(score)/d(·); when it is false,
 * exactly d(score)/d(·). {@link #gradientScale()} gives that factor.
 */
public abstract class ExplicitOutputLayer<C extends ExplicitLayerConf> extends ExplicitLayer<C> implements IOutputLayer {

    protected INDArray labels;
    /** The input array that the cached forward pass belongs to (identity: DL4J sets a new array per pass). */
    private INDArray forwardInput;
    /** Loss of the cached forward pass against {@link #lossLabels}, taken before backward may release that pass. */
    private Double cachedLoss;
    private INDArray lossLabels;
    private INDArray lossInput;
    private boolean outputEscaped;

    protected ExplicitOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Mean loss of the cached forward pass against {@code labels}. */
    protected abstract double loss(INDArray labels);

    /** Loss per example, [B, 1], consistent with {@link #loss}. */
    protected abstract INDArray lossPerExample(INDArray labels);

    /** 1, or B when DL4J divides gradients by the minibatch size (see class comment). */
    protected double gradientScale() {
        return conf.isMiniBatch() ? input.size(0) : 1.0;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = super.activate(training, workspaceMgr);
        forwardInput = training ? input : null;     // an inference pass keeps nothing
        outputEscaped = true;
        return out;
    }

    private void ensureForward() {
        assertInputSet(false);
        if (forwardInput == input) return;
        forwardInMemory(true, output -> null);   // DL4J asked for no output: the loss reads the cache
        forwardInput = input;
        outputEscaped = false;
        cachedLoss = null;
    }

    /**
     * True when the cached forward pass's output was handed to a caller ({@code activate}, e.g.
     * {@code output()} or {@code feedForward}) rather than run only for the loss: then backward must
     * neither overwrite nor close arrays that the output shares.
     */
    protected boolean outputEscaped() {
        return outputEscaped;
    }

    private INDArray requireLabels() {
        if (labels == null) {
            throw new IllegalStateException(layerId() + ": no labels set; the loss needs labels (fit/score with a DataSet or MultiDataSet that has them)");
        }
        return labels;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        ensureForward();
        requireLabels();
        // DL4J asks for the score after backward; backward releases the forward pass (the [N, V] logits),
        // so the loss is taken now, on the same forward pass and labels.
        cachedLoss = memory.borrow(() -> loss(labels));
        lossLabels = labels;
        INDArray releasedInput = input;
        Pair<Gradient, INDArray> out = super.backpropGradient(epsilon, workspaceMgr);
        forwardInput = null;                      // released: a later score or backward runs forward again
        lossInput = releasedInput;
        return out;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        double s;
        if (cachedLoss != null && lossInput == input && lossLabels == labels) {
            s = cachedLoss;
        } else {
            ensureForward();
            s = memory.borrow(() -> loss(requireLabels()));
        }
        this.score = s + fullNetRegTerm;
        return this.score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        ensureForward();
        return into(ArrayType.ACTIVATIONS, memory.borrow(() -> lossPerExample(requireLabels()).addi(fullNetRegTerm)),
                workspaceMgr);
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        forwardInput = null;
        cachedLoss = null;
        lossLabels = null;
        lossInput = null;
    }

    // DL4J's Classifier conveniences do not apply to a sequence loss.

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " is a sequence loss layer; " + what
                + " is not supported: train and score through the ComputationGraph");
    }

    @Override
    public double f1Score(DataSet data) {
        throw unsupported("f1Score");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw unsupported("f1Score");
    }

    @Override
    public int numLabels() {
        throw unsupported("numLabels");
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw unsupported("fit on the layer");
    }

    @Override
    public int[] predict(INDArray examples) {
        throw unsupported("predict");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw unsupported("predict");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw unsupported("fit on the layer");
    }

    @Override
    public void fit(DataSet data) {
        throw unsupported("fit on the layer");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw unsupported("fit on the layer");
    }
}
