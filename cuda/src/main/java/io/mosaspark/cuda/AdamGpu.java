package io.mosaspark.cuda;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.LmParamShapes;
import io.mosaspark.model.lm.TrainingSetup;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;

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
    }

    /** The whole optimizer state [m | v] (2 × the parameter count), in DL4J's Adam layout. */
    public DeviceArray state() {
        return state;
    }

    /** The gradient's L2 norm before clipping, as of the last {@link #step}. */
    public double lastGradientNorm() {
        return lastNorm;
    }

    /** One update at {@code iteration} (0-based, as the ND4J graph counts) from the model's gradients. */
    public void step(int iteration) {
        DeviceArray grads = model.flatGrads();
        normSq.zero();
        gpu.launch("sum_squares", gpu.blocksFor(grads.length()), Gpu.BLOCK, 0, grads, grads.length(), normSq);
        lastNorm = Math.sqrt(normSq.download()[0]);
        double scale = cfg.clips() && lastNorm > cfg.gradClip() ? cfg.gradClip() / lastNorm : 1.0;
        double lr = schedule.valueAt(iteration, 0);
        int t = iteration + 1;
        double alphat = lr * Math.sqrt(1 - Math.pow(cfg.beta2(), t)) / (1 - Math.pow(cfg.beta1(), t));
        boolean adamw = cfg.optimizer() == TrainingConfig.Optimizer.ADAMW;
        long off = 0;
        for (Map.Entry<String, long[]> e : model.shapes().entrySet()) {
            long size = LmParamShapes.size(e.getValue());
            boolean decays = cfg.weightDecay() > 0 && LmParamShapes.decays(e.getValue());
            double l2 = decays && !adamw ? cfg.weightDecay() : 0;
            double lrWd = decays && adamw ? lr * cfg.weightDecay() : 0;
            gpu.launch("adam_step", gpu.blocksFor(size), Gpu.BLOCK, 0, model.params().get(e.getKey()),
                    grads.view(off, size), m.view(off, size), v.view(off, size), size, scale, l2, cfg.beta1(), cfg.beta2(),
                    cfg.adamEpsilon(), alphat, lrWd);
            off += size;
        }
    }

    @Override
    public void close() {
        state.free();
        normSq.free();
    }
}
