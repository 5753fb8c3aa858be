package io.mosaspark.train.round;

import io.mosaspark.model.lm.NextTokenBatch;
import io.mosaspark.train.device.DeviceBinding;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.data.WindowStream;
import io.mosaspark.train.routing.ProbeBatch;
import io.mosaspark.train.routing.ProbeSelections;
import io.mosaspark.train.routing.RoutingLayers;
import io.mosaspark.train.routing.RoutingShape;
import io.mosaspark.train.routing.RoutingStats;
import io.mosaspark.train.state.FlatVector;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;

/**
 * One worker's part of one round: H optimiser steps from the broadcast parameters on the worker's own
 * windows. A pure function of (setup, round input, rank): the network's parameters, optimizer state,
 * iteration count and data position are all set from them before the first step, so a retried or
 * re-placed task computes exactly what the original would have. With routing statistics on, the
 * worker also reads what its sparse heads chose after every n-th step, and at the end runs the probe
 * batch once; both only read the network, so the parameters are those of a run without them.
 */
public final class WorkerTask {

    private WorkerTask() {
    }

    /** The network this task thread keeps for the run (parameters as the last task left them). */
    public static ComputationGraph networkFor(WorkerSetup setup) {
        return WorkerNetworks.forThisThread(setup);
    }

    public static RoundSum run(WorkerSetup setup, RoundInput in, int rank) throws IOException {
        TaskContext task = TaskContext.get(); // null when called outside Spark (tests)
        setup.faults().maybeFail(in.round(), rank, task == null ? 0 : task.attemptNumber());
        String device = DeviceBinding.bind(task);
        TrainConfig c = setup.config();
        ComputationGraph g = WorkerNetworks.forThisThread(setup);

        in.params().assignTo(g.params());
        INDArray stateView = g.getUpdater().getStateViewArray(); // null for stateless optimisers (SGD)
        FlatVector startState = in.optimizerState() != null ? in.optimizerState()
                : setup.innerStates().load(in.round(), rank);
        if (stateView != null) {
            if (startState == null) {
                stateView.assign(0);
            } else {
                startState.assignTo(stateView);
            }
        }
        g.getConfiguration().setIterationCount(in.globalStep());
        g.getConfiguration().setEpochCount(0);

        int b = c.batchSize(), window = c.model().seqLen() + 1;
        long position = (long) in.round() * c.localSteps() * b;
        double lossSum = 0;
        RoutingShape shape = c.routing() ? RoutingShape.of(c.model()) : null;
        RoutingLayers routing = shape == null ? null : RoutingLayers.of(g, shape);
        RoutingStats stats = shape == null ? null : new RoutingStats(shape);
        long t0 = System.nanoTime();
        try (WindowStream windows = setup.data().train(rank, position)) {
            int[][] batch = new int[b][window];
            for (int step = 0; step < c.localSteps(); step++) {
                for (int[] row : batch) {
                    if (!windows.next(row)) throw new IllegalStateException("rank " + rank + " ran out of train windows");
                }
                // by global step, so which steps are observed does not depend on H or the round
                boolean observe = stats != null && (in.globalStep() + step) % c.routingEvery() == 0;
                if (routing != null) routing.keepRouterLogits(observe);
                g.fit(NextTokenBatch.of(Nd4j.createFromArray(batch), c.dataType()));
                if (observe) {
                    long r0 = System.nanoTime();
                    routing.observe(stats, batch);
                    stats.addSeconds((System.nanoTime() - r0) / 1e9);
                }
                double loss = g.score();
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("worker " + rank + ": training loss is " + loss + " at global step "
                            + (in.globalStep() + step + 1) + "; lower the learning rate (--set training.learning_rate=…)");
                }
                lossSum += loss;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (g.getConfiguration().getIterationCount() != in.globalStep() + c.localSteps()) {
            throw new IllegalStateException("DL4J iteration count " + g.getConfiguration().getIterationCount()
                    + " after the round, expected " + (in.globalStep() + c.localSteps()));
        }

        FlatVector params = FlatVector.copyOf(g.params());
        FlatVector endState = stateView == null ? FlatVector.zeros(c.dataType(), 0) : FlatVector.copyOf(stateView);
        ProbeSelections probe = null;
        if (routing != null) {   // after the copies: an inference pass, on what this worker hands back
            long r0 = System.nanoTime();
            routing.keepRouterLogits(false);
            probe = ProbeSelections.of(rank, routing.selectionsOn(g, ProbeBatch.read(setup.data()), c.dataType()));
            stats.addSeconds((System.nanoTime() - r0) / 1e9);
        }
        if (in.optimizerState() == null) {
            setup.innerStates().save(in.round() + 1, rank, endState);
            endState = null;
        }
        long tokens = (long) c.localSteps() * b * c.model().seqLen();
        return new RoundSum(params, endState, lossSum, c.localSteps(), tokens, 1, seconds, seconds,
                new java.util.TreeSet<>(java.util.Set.of(device)), stats, probe);
    }
}
