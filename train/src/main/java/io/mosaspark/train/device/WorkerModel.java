package io.mosaspark.train.device;

import io.mosaspark.train.routing.RoutingStats;
import io.mosaspark.train.state.FlatVector;

/**
 * What a worker trains, on whichever backend runs its step (ND4J's graph or the CUDA backend): the
 * round's worker loop (round/WorkerTask) loads the broadcast parameters and optimizer state into it,
 * takes its H steps and reads the result back. Both backends use the same flat layouts (parameters in
 * the DL4J graph's order, Adam's state [m | v]), so averaging, DiLoCo, checkpoints and routing
 * statistics never see which one ran.
 */
public interface WorkerModel {

    /** Sets parameters, optimizer state (null: fresh) and the optimizer steps taken so far. */
    void load(FlatVector params, FlatVector state, int globalStep);

    /** Whether the next steps keep every token's router logits (for {@link #observe}). */
    void keepRouterLogits(boolean keep);

    /** One optimizer step on B windows of T + 1 tokens; returns the batch's mean loss. */
    double fit(int[][] windows);

    /** Adds what the sparse heads chose in the last step (on {@code windows}) to {@code stats}. */
    void observe(RoutingStats stats, int[][] windows);

    /** The sparse heads' selections of every layer on {@code windows}: an inference pass, parameters unchanged. */
    int[] selectionsOn(int[][] windows);

    /** Optimizer steps taken so far (the global step). */
    int iteration();

    FlatVector params();

    /** The optimizer state, empty for a stateless optimizer. */
    FlatVector state();

    /** Ends this task's use of the model (it stays cached for the next round). */
    default void release() {
    }
}
