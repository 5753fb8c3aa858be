package io.mosaspark.train.round;

import io.mosaspark.model.lm.NextTokenBatch;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.device.WorkerModel;
import io.mosaspark.train.routing.RoutingLayers;
import io.mosaspark.train.routing.RoutingShape;
import io.mosaspark.train.routing.RoutingStats;
import io.mosaspark.train.state.FlatVector;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A worker's model on ND4J (CPU, or CUDA up to Ada): the DL4J graph this task thread keeps
 * ({@link WorkerNetworks}), its updater's state view, and its hybrid attention layers for routing
 * statistics.
 */
final class GraphWorkerModel implements WorkerModel {
    private final TrainConfig config;
    private final ComputationGraph g;
    private final RoutingLayers routing;

    GraphWorkerModel(WorkerSetup setup) {
        this.config = setup.config();
        this.g = WorkerNetworks.forThisThread(setup);
        RoutingShape shape = config.routing() ? RoutingShape.of(config.model()) : null;
        this.routing = shape == null ? null : RoutingLayers.of(g, shape);
    }

    @Override
    public void load(FlatVector params, FlatVector state, int globalStep) {
        params.assignTo(g.params());
        INDArray stateView = g.getUpdater().getStateViewArray(); // null for stateless optimisers (SGD)
        if (stateView != null) {
            if (state == null) stateView.assign(0);
            else state.assignTo(stateView);
        }
        g.getConfiguration().setIterationCount(globalStep);
        g.getConfiguration().setEpochCount(0);
    }

    @Override
    public void keepRouterLogits(boolean keep) {
        if (routing != null) routing.keepRouterLogits(keep);
    }

    @Override
    public double fit(int[][] windows) {
        g.fit(NextTokenBatch.of(Nd4j.createFromArray(windows), config.dataType()));
        return g.score();
    }

    @Override
    public void observe(RoutingStats stats, int[][] windows) {
        routing.observe(stats, windows);
    }

    @Override
    public int[] selectionsOn(int[][] windows) {
        return routing.selectionsOn(g, windows, config.dataType());
    }

    @Override
    public int iteration() {
        return g.getConfiguration().getIterationCount();
    }

    @Override
    public FlatVector params() {
        return FlatVector.copyOf(g.params());
    }

    @Override
    public FlatVector state() {
        INDArray stateView = g.getUpdater().getStateViewArray();
        return stateView == null ? FlatVector.zeros(config.dataType(), 0) : FlatVector.copyOf(stateView);
    }
}
