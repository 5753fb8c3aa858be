package io.mosaspark.train.device;

import io.mosaspark.cuda.GpuTrainer;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.routing.RoutingStats;
import io.mosaspark.train.state.FlatVector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's model on the CUDA backend (module mosa-cuda, docs/gpu.md), one per GPU of the executor, kept
 * between rounds: building it (device buffers, NVRTC's kernels) costs far more than a round's copy of
 * parameters and state, which {@link #load} overwrites from the broadcast every round, so which GPU a task
 * lands on never changes what it computes. Spark's scheduler runs one task per GPU address at a time
 * ({@code spark.task.resource.gpu.amount = 1}); a second task on the same GPU is refused, not interleaved.
 *
 * <p>Precision: float64 runs take float64 everywhere; float32 runs take TF32 products (float32 storage and
 * accumulation), or strict float32 or BF16 products with {@code -Dmosa.cuda.precision=float32|bf16}.
 */
public final class CudaWorkerModel implements WorkerModel {
    /** Property choosing the products of a float32 run: tf32 (default), float32 or bf16. */
    public static final String PRECISION_PROPERTY = "mosa.cuda.precision";

    private static final Map<Integer, CudaWorkerModel> BY_DEVICE = new ConcurrentHashMap<>();

    private final String key;
    private final TrainConfig config;
    private final GpuTrainer gpu;
    private boolean inUse;
    private int iteration;

    private CudaWorkerModel(String key, TrainConfig config, GpuTrainer gpu) {
        this.key = key;
        this.config = config;
        this.gpu = gpu;
    }

    /** The precision a run of {@code config} trains in on this backend. */
    public static String precision(TrainConfig config) {
        if ("float64".equals(config.precision())) return "float64";
        String p = System.getProperty(PRECISION_PROPERTY, "tf32").trim().toLowerCase(java.util.Locale.ROOT);
        if (!p.equals("tf32") && !p.equals("float32") && !p.equals("bf16")) {
            throw new IllegalArgumentException("-D" + PRECISION_PROPERTY + "=" + p + ": a float32 run takes tf32, float32 or bf16");
        }
        return p;
    }

    /** The model for GPU {@code device}, built on first use and rebuilt for another run's config. */
    public static CudaWorkerModel acquire(int device, String networkKey, TrainConfig config) {
        String key = networkKey + "\n" + precision(config);
        CudaWorkerModel m = BY_DEVICE.compute(device, (d, held) -> {
            if (held != null && held.key.equals(key)) return held;
            if (held != null) {
                if (held.inUse) return held;   // refused below, not closed under a running task
                held.gpu.close();
            }
            return new CudaWorkerModel(key, config, new GpuTrainer(d, precision(config), config.model(), config.training(),
                    config.batchSize()));
        });
        synchronized (m) {
            if (m.inUse || !m.key.equals(key)) {
                throw new IllegalStateException("GPU " + device + " is already training another task in this executor; "
                        + "the CUDA backend needs one task per GPU: spark.task.resource.gpu.amount=1 (conf/spark/*-gpu.conf)");
            }
            m.inUse = true;
        }
        return m;
    }

    /** What the task runs on, for the round's device list. */
    public String describe() {
        return gpu.describe();
    }

    @Override
    public void load(FlatVector params, FlatVector state, int globalStep) {
        requireLength("parameter vector", params.length(), gpu.numParams());
        if (gpu.isDouble()) gpu.setParams(params.doubles());
        else gpu.setParams(params.floats());
        if (state == null) {
            gpu.setState((float[]) null);
        } else {
            // Adam's [m | v]: twice the parameters (OptimizerStateLayoutTest pins this to DL4J's layout)
            requireLength("optimizer state", state.length(), 2 * gpu.numParams());
            if (gpu.isDouble()) gpu.setState(state.doubles());
            else gpu.setState(state.floats());
        }
        iteration = globalStep;
    }

    private static void requireLength(String what, long have, long want) {
        if (have != want) {
            throw new IllegalArgumentException(what + " of length " + have + " for a model whose CUDA backend expects " + want
                    + " (a state from another model configuration or optimizer? the CUDA backend runs adam and adamw)");
        }
    }

    @Override
    public void keepRouterLogits(boolean keep) {
        gpu.keepRouterLogits(keep);
    }

    @Override
    public double fit(int[][] windows) {
        return gpu.step(windows, iteration++);
    }

    @Override
    public void observe(RoutingStats stats, int[][] windows) {
        for (int i = 0; i < config.model().nLayers(); i++) {
            stats.addLayer(i, gpu.selectedIndices(i), gpu.routerLogits(i), windows);
        }
        stats.addStep(windows.length);
    }

    @Override
    public int[] selectionsOn(int[][] windows) {
        return gpu.selectionsOn(windows);
    }

    @Override
    public int iteration() {
        return iteration;
    }

    @Override
    public FlatVector params() {
        return gpu.isDouble() ? FlatVector.of(gpu.paramsAsDoubles()) : FlatVector.of(gpu.paramsAsFloats());
    }

    @Override
    public FlatVector state() {
        return gpu.isDouble() ? FlatVector.of(gpu.stateAsDoubles()) : FlatVector.of(gpu.stateAsFloats());
    }

    @Override
    public synchronized void release() {
        inUse = false;
    }
}
