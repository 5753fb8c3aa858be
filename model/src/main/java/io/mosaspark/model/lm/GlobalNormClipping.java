package io.mosaspark.model.lm;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's clipping, exactly: if the L2 norm of the whole gradient (all parameters together)
 * exceeds {@code threshold}, scale it down to {@code threshold}.
 *
 * <p>DL4J has no built-in global clipping (its {@code GradientNormalization} modes work per layer or
 * per parameter); it calls {@code onGradientCalculation} after backprop and before the updater, so
 * rescaling the network's flattened gradient there is exact for graphs built by
 * {@link MosaLanguageModel} (which run with miniBatch(false), so nothing rescales afterwards). Not
 * added by hand: {@link MosaLanguageModel#prepareForTraining} attaches it when the training config
 * clips globally (the default), also to a restored graph, whose listeners DL4J did not save.
 */
public final class GlobalNormClipping extends BaseTrainingListener {

    private final double threshold;
    private double lastNorm = Double.NaN;

    public GlobalNormClipping(double threshold) {
        if (!(threshold > 0)) throw new IllegalArgumentException("grad_clip = " + threshold + ": must be > 0");
        this.threshold = threshold;
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray flat = model.gradient().gradient();
        double norm = flat.norm2Number().doubleValue();
        lastNorm = norm;
        if (norm > threshold) flat.muli(threshold / norm);
    }

    /** The global gradient norm before clipping, of the last step (NaN before the first). */
    public double lastNorm() {
        return lastNorm;
    }
}
