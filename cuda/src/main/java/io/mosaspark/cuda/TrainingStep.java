package io.mosaspark.cuda;

/**
 * One optimizer step of a model on the GPU: load the batch, forward, backward, the gradient's norm,
 * then read the loss and the norm and update. Everything between loading and reading is a fixed
 * sequence of launches on fixed buffers, so (unless {@code -Dmosa.cuda.graphs=false}) it is captured
 * once and replayed as one CUDA graph: the host issues one launch a step instead of two to three
 * hundred, and the GPU no longer waits between them (measured on an H100: 0.98× the step time for
 * Tiny dense, 0.96× for the MoSA hybrid; docs/gpu.md).
 *
 * <p>The first step runs uncaptured (it allocates the scratch buffers a capture must not). A step
 * that copies router logits to the host runs uncaptured; a batch with a different count of scored
 * targets is captured again (the loss's divisor is a launch argument). A replay runs the same
 * kernels with the same arguments as the direct launches: the dense model's losses are bit-identical
 * either way; the sparse heads' scatter-add uses atomics, whose order varies from run to run with or
 * without graphs.
 */
final class TrainingStep implements AutoCloseable {
    private final Gpu gpu;
    private final LanguageModelGpu lm;
    private final AdamGpu adam;
    private final boolean graphs;
    private Gpu.Graph graph;
    private int graphCounted = -1;
    private boolean warm;
    private int captures;

    TrainingStep(Gpu gpu, LanguageModelGpu lm, AdamGpu adam, boolean graphs) {
        this.gpu = gpu;
        this.lm = lm;
        this.adam = adam;
        this.graphs = graphs;
    }

    /** Graphs as {@code mosa.cuda.graphs} asks (default on). */
    static boolean graphsFromSystemProperty() {
        String v = System.getProperty("mosa.cuda.graphs", "true");
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on" -> true;
            case "false", "off" -> false;
            default -> throw new IllegalArgumentException("mosa.cuda.graphs=" + v + ": use true or false");
        };
    }

    /** One step on {@code tokens} [B, T+1] at {@code iteration}; returns the batch's mean loss. */
    double run(int[] tokens, int iteration) {
        int counted = lm.load(tokens);
        if (graphs && warm && !lm.keepsRouterLogits()) {
            if (graph == null || counted != graphCounted) {
                if (graph != null) graph.close();
                graph = gpu.capture(this::launches);
                graphCounted = counted;
                captures++;
            }
            gpu.replay(graph);
        } else {
            launches();
            warm = true;
        }
        double loss = lm.loss();
        adam.update(iteration);
        return loss;
    }

    private void launches() {
        lm.launchForward(null);
        lm.backward();
        adam.launchNorm();
    }

    boolean graphs() {
        return graphs;
    }

    /** Launches in the captured graph (0 before the first capture). */
    int graphLaunches() {
        return graph == null ? 0 : graph.launches();
    }

    int captures() {
        return captures;
    }

    @Override
    public void close() {
        if (graph != null) graph.close();
    }
}
