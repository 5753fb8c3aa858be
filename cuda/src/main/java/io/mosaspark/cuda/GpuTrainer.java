package io.mosaspark.cuda;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;

import java.util.Locale;

/**
 * A worker's model and optimizer on one GPU, for the trainer's worker loop (train's device/CudaWorkerModel):
 * parameters and Adam state in and out as plain arrays in the ND4J layout (parameters in the graph's order;
 * state [m | v]), one optimizer step per batch of windows, and the sparse heads' selections for routing
 * statistics. Its public signatures use JDK and model types only, so the train module compiles against it
 * without JavaCPP on its classpath.
 */
public final class GpuTrainer implements AutoCloseable {
    private final Gpu gpu;
    private final ModelConfig model;
    private final int batch;
    private final LanguageModelGpu lm;
    private final AdamGpu adam;
    private final TrainingStep step;
    private LanguageModelGpu probe;
    private double lastLoss;

    /**
     * @param device    CUDA device ordinal (the address Spark assigned the task)
     * @param precision float64, float32, tf32 or bf16 ({@link Precision#parse})
     */
    public GpuTrainer(int device, String precision, ModelConfig model, TrainingConfig training, int batch) {
        this.gpu = new Gpu(device, Precision.parse(precision));
        this.model = model;
        this.batch = batch;
        try {
            this.lm = new LanguageModelGpu(gpu, model, batch, model.seqLen());
            this.adam = new AdamGpu(gpu, lm, training);
            this.step = new TrainingStep(gpu, lm, adam, TrainingStep.graphsFromSystemProperty());
        } catch (RuntimeException e) {
            gpu.close();
            throw e;
        }
    }

    /** "GPU 0 (compute capability 9.0, tf32)": for the round's device list. */
    public String describe() {
        return String.format(Locale.ROOT, "gpu %d (mosa-cuda, compute capability %s, %s%s)", gpu.device(),
                gpu.computeCapability(), gpu.precision().name().toLowerCase(Locale.ROOT), step.graphs() ? ", graphs" : "");
    }

    /** Whether the vectors are float64 (else float32). */
    public boolean isDouble() {
        return gpu.precision().isDouble();
    }

    public long numParams() {
        return lm.numParams();
    }

    /** Sets the parameters, in the graph's order. */
    public void setParams(float[] values) {
        lm.flatParams().upload(values);
    }

    public void setParams(double[] values) {
        lm.flatParams().upload(values);
    }

    /** Sets Adam's state [m | v]; null starts fresh (zeros). */
    public void setState(float[] values) {
        if (values == null) adam.state().zero();
        else adam.state().upload(values);
    }

    public void setState(double[] values) {
        if (values == null) adam.state().zero();
        else adam.state().upload(values);
    }

    public float[] paramsAsFloats() {
        return lm.flatParams().downloadFloats();
    }

    public double[] paramsAsDoubles() {
        return lm.flatParams().download();
    }

    public float[] stateAsFloats() {
        return adam.state().downloadFloats();
    }

    public double[] stateAsDoubles() {
        return adam.state().download();
    }

    /**
     * One optimizer step on {@code windows} (B windows of T + 1 tokens) at {@code iteration}, the 0-based
     * global step that drives the schedule and Adam's bias correction. Returns the batch's mean loss.
     */
    public double step(int[][] windows, int iteration) {
        lastLoss = step.run(flatten(windows, batch), iteration);
        return lastLoss;
    }

    /** The gradient's norm before clipping at the last step. */
    public double lastGradientNorm() {
        return adam.lastGradientNorm();
    }

    /** Whether the next steps copy the router logits of every block to the host. */
    public void keepRouterLogits(boolean keep) {
        lm.keepRouterLogits(keep);
    }

    /** [B, Hm, k] positions block {@code block}'s sparse heads selected at the last step. */
    public int[] selectedIndices(int block) {
        return lm.selectedIndices(block);
    }

    /** [B·T, Hm] router logits of block {@code block} at the last step that kept them, or null. */
    public double[] routerLogits(int block) {
        return lm.routerLogits(block);
    }

    /**
     * The sparse heads' selections of every block for {@code windows} under the current parameters, an
     * inference pass that changes nothing the next step reads: [layers][W, Hm, k] concatenated.
     */
    public int[] selectionsOn(int[][] windows) {
        if (probe == null) probe = new LanguageModelGpu(gpu, model, windows.length, model.seqLen());
        probe.flatParams().copyFrom(lm.flatParams());
        probe.forward(flatten(windows, windows.length), null);
        int layers = model.nLayers();
        int[][] per = new int[layers][];
        int total = 0;
        for (int i = 0; i < layers; i++) {
            per[i] = probe.selectedIndices(i);
            total += per[i].length;
        }
        int[] all = new int[total];
        int off = 0;
        for (int[] p : per) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }

    private int[] flatten(int[][] windows, int rows) {
        int w = model.seqLen() + 1;
        if (windows.length != rows) throw new IllegalArgumentException(windows.length + " windows for a batch of " + rows);
        int[] tokens = new int[rows * w];
        for (int s = 0; s < rows; s++) {
            if (windows[s].length < w) {
                throw new IllegalArgumentException("window " + s + " has " + windows[s].length + " tokens, the model needs T + 1 = " + w);
            }
            System.arraycopy(windows[s], 0, tokens, s * w, w);
        }
        return tokens;
    }

    @Override
    public void close() {
        if (probe != null) probe.close();
        step.close();
        adam.close();
        lm.close();
        gpu.close();
    }
}
