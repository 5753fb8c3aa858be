package io.mosaspark.train.round;

import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.data.WindowStream;
import io.mosaspark.train.device.CudaWorkerModel;
import io.mosaspark.train.device.DeviceBinding;
import io.mosaspark.train.device.TrainingBackend;
import io.mosaspark.train.device.WorkerModel;
import io.mosaspark.train.routing.ProbeBatch;
import io.mosaspark.train.routing.ProbeSelections;
import io.mosaspark.train.routing.RoutingShape;
import io.mosaspark.train.routing.RoutingStats;
import io.mosaspark.train.state.FlatVector;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;

/**
 * One worker's part of one round: H optimiser steps from the broadcast parameters on the worker's own
 * windows. A pure function of (setup, round input, rank): the network's parameters, optimizer state,
 * iteration count and data position are all set from them before the first step, so a retried or
 * re-placed task computes exactly what the original would have. With routing statistics on, the
 * worker also reads what its sparse heads chose after every n-th step, and at the end runs the probe
 * batch once; both only read the network, so the parameters are those of a run without them. The step
 * runs on the backend the task's GPU selects ({@link DeviceBinding}): ND4J's graph, or the CUDA backend
 * ({@link CudaWorkerModel}) with the same parameter and state layout.
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
        return run(setup, in, rank, DeviceBinding.bind(task));
    }

    /** The round on the backend {@code binding} names: what a Spark task runs, and a worker loop without Spark. */
    public static RoundSum run(WorkerSetup setup, RoundInput in, int rank, DeviceBinding binding) throws IOException {
        String device = binding.label();
        WorkerModel model;
        if (binding.backend() == TrainingBackend.MOSA_CUDA) {
            CudaWorkerModel cuda = CudaWorkerModel.acquire(binding.device(), setup.networkKey(), setup.config());
            device = cuda.describe();
            model = cuda;
        } else {
            model = new GraphWorkerModel(setup);
        }
        try {
            return run(setup, in, rank, model, device);
        } finally {
            model.release();
        }
    }

    private static RoundSum run(WorkerSetup setup, RoundInput in, int rank, WorkerModel model, String device)
            throws IOException {
        TrainConfig c = setup.config();
        FlatVector startState = in.optimizerState() != null ? in.optimizerState()
                : setup.innerStates().load(in.round(), rank);
        model.load(in.params(), startState, in.globalStep());

        int b = c.batchSize(), window = c.model().seqLen() + 1;
        long position = (long) in.round() * c.localSteps() * b;
        double lossSum = 0;
        RoutingStats stats = c.routing() ? new RoutingStats(RoutingShape.of(c.model())) : null;
        long t0 = System.nanoTime();
        try (WindowStream windows = setup.data().train(rank, position)) {
            int[][] batch = new int[b][window];
            for (int step = 0; step < c.localSteps(); step++) {
                for (int[] row : batch) {
                    if (!windows.next(row)) throw new IllegalStateException("rank " + rank + " ran out of train windows");
                }
                // by global step, so which steps are observed does not depend on H or the round
                boolean observe = stats != null && (in.globalStep() + step) % c.routingEvery() == 0;
                if (stats != null) model.keepRouterLogits(observe);
                double loss = model.fit(batch);
                if (observe) {
                    long r0 = System.nanoTime();
                    model.observe(stats, batch);
                    stats.addSeconds((System.nanoTime() - r0) / 1e9);
                }
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("worker " + rank + ": training loss is " + loss + " at global step "
                            + (in.globalStep() + step + 1) + "; lower the learning rate (--set training.learning_rate=…)");
                }
                lossSum += loss;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (model.iteration() != in.globalStep() + c.localSteps()) {
            throw new IllegalStateException("iteration count " + model.iteration() + " after the round, expected "
                    + (in.globalStep() + c.localSteps()));
        }

        FlatVector params = model.params();
        FlatVector endState = model.state();
        ProbeSelections probe = null;
        if (stats != null) {   // after the copies: an inference pass, on what this worker hands back
            long r0 = System.nanoTime();
            model.keepRouterLogits(false);
            probe = ProbeSelections.of(rank, model.selectionsOn(ProbeBatch.read(setup.data())));
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
