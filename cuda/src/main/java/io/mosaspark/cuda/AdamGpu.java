package io.mosaspark.cuda;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.LmParamShapes;
import io.mosaspark.model.lm.TrainingSetup;
import org.nd4j.linalg.schedule.ISchedule;


/**
 * The optimizer step of {@link TrainingConfig} on the GPU: global gradient-norm clipping, then ND4J's
 * Adam rule (so a run continues from the CPU backend's state and back), with AdamW's decoupled decay or
 * Adam's L2 term on matrices only. The moments live in one buffer [m | v], each in the parameters'
 * order: exactly DL4J's Adam state view for the language model's graph, whose parameters all share one
 * updater block (train's OptimizerStateLayoutTest checks this against DL4J), so a worker's state moves
 * between this backend and the ND4J one as a plain copy.
 */
public final class AdamGpu implements AutoCloseable {
    private final Gpu gpu;
    private final TrainingConfig cfg;
    private final ISchedule schedule;
    private final LanguageModelGpu model;
    private final DeviceArray state, m, v, normSq;
    // the parameter tensors as segments of the flat buffers, and which of them decay (matrices)
    private final DeviceArray segStart, segDecays;
    private final int segments;
    private double lastNorm;

    public AdamGpu(Gpu gpu, LanguageModelGpu model, TrainingConfig cfg) {
        if (cfg.optimizer() == TrainingConfig.Optimizer.SGD) {
            throw new IllegalArgumentException("optimizer = sgd: the CUDA backend implements adam and adamw; use the ND4J backend for sgd");
        }
        if (cfg.clips() && cfg.clip() != TrainingConfig.Clip.GLOBAL) {
            throw new IllegalArgumentException("clip = " + cfg.clip() + ": the CUDA backend clips by the global norm only "
                    + "(clip = global, the paper's rule)");
        }
        this.gpu = gpu;
        this.cfg = cfg;
        this.model = model;
        this.schedule = TrainingSetup.schedule(cfg);
        long n = model.numParams();
        state = gpu.alloc(2 * n);
        state.zero();
        m = state.view(0, n);
        v = state.view(n, n);
        normSq = gpu.allocBytes(1, 8);
        segments = model.shapes().size();
        long[] start = new long[segments + 1];
        int[] decays = new int[segments];
        int s = 0;
        for (long[] shape : model.shapes().values()) {
            start[s + 1] = start[s] + LmParamShapes.size(shape);
            decays[s] = cfg.weightDecay() > 0 && LmParamShapes.decays(shape) ? 1 : 0;
            s++;
        }
        segStart = gpu.allocBytes(segments + 1, 8);
        segStart.uploadLongs(start);
        segDecays = gpu.allocInts(segments);
        segDecays.uploadInts(decays);
    }

    /** The whole optimizer state [m | v] (2 × the parameter count), in DL4J's Adam layout. */
    public DeviceArray state() {
        return state;
    }

    /** The gradient's L2 norm before clipping, as of the last {@link #update}. */
    public double lastGradientNorm() {
        return lastNorm;
    }

    /** The gradients' squared norm into a device scalar: launches only, so it can be captured. */
    void launchNorm() {
        DeviceArray grads = model.flatGrads();
        normSq.zero();
        gpu.launch("sum_squares", gpu.blocksFor(grads.length()), Gpu.BLOCK, 0, grads, grads.length(), normSq);
    }

    /**
     * One update at {@code iteration} (0-based, as the ND4J graph counts) from the model's gradients:
     * reads the norm {@link #launchNorm} computed (waits for it), then updates parameters and moments.
     */
    void update(int iteration) {
        DeviceArray grads = model.flatGrads();
        lastNorm = Math.sqrt(normSq.download()[0]);
        double scale = cfg.clips() && lastNorm > cfg.gradClip() ? cfg.gradClip() / lastNorm : 1.0;
        double lr = schedule.valueAt(iteration, 0);
        int t = iteration + 1;
        double alphat = lr * Math.sqrt(1 - Math.pow(cfg.beta2(), t)) / (1 - Math.pow(cfg.beta1(), t));
        boolean adamw = cfg.optimizer() == TrainingConfig.Optimizer.ADAMW;
        double l2 = adamw ? 0 : cfg.weightDecay();
        double lrWd = adamw ? lr * cfg.weightDecay() : 0;
        gpu.launch("adam_step", gpu.blocksFor(grads.length()), Gpu.BLOCK, 0, model.flatParams(), grads, m, v, segStart,
                segDecays, segments, scale, l2, cfg.beta1(), cfg.beta2(), cfg.adamEpsilon(), alphat, lrWd);
    }

    @Override
    public void close() {
        state.free();
        normSq.free();
        segStart.free();
        segDecays.free();
    }
}
