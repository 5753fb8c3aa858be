package io.mosaspark.train.routing;

import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.state.FlatVector;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures replica drift on the driver ({@link DriftRecord}): after the outer step it runs the new global
 * parameters over the probe batch in a network of its own (built once) and compares the selections, head
 * by head, with those the workers reported for the same windows. One small forward pass per round.
 */
public final class ReplicaDrift {
    private final TrainConfig config;
    private final RoutingShape shape;
    private final int[][] probe;
    private final String rule;
    private ComputationGraph network;
    private RoutingLayers layers;

    public ReplicaDrift(TrainConfig config, RoutingShape shape, int[][] probe) {
        this.config = config;
        this.shape = shape;
        this.probe = probe;
        this.rule = config.outer().rule().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The drift of {@code round} (just finished): {@code global} is the state the next round starts from. */
    public DriftRecord measure(int round, FlatVector global, ProbeSelections workers) {
        if (network == null) {
            network = MosaLanguageModel.build(config.model(), config.training(), config.dataType());
            layers = RoutingLayers.of(network, shape);
        }
        global.assignTo(network.params());
        int[] g = layers.selectionsOn(network, probe, config.dataType());
        return compare(round, rule, shape, probe.length, g, workers.byRank());
    }

    /** Jaccard of every worker's selections against {@code global}'s, both [layer][B][Hm][k] flat. */
    static DriftRecord compare(int round, String rule, RoutingShape shape, int windows, int[] global,
                               Map<Integer, int[]> workers) {
        int hm = shape.heads(), k = shape.selected(), nl = shape.layers();
        if (workers.isEmpty()) throw new IllegalArgumentException("no worker reported probe selections");
        double[][] byHead = new double[nl][hm];
        List<Double> byWorker = new ArrayList<>();
        double total = 0;
        for (int[] w : workers.values()) {
            if (w.length != global.length) {
                throw new IllegalStateException("a worker's probe selections have " + w.length + " positions, the driver's "
                        + global.length);
            }
            double workerSum = 0;
            for (int l = 0; l < nl; l++) {
                for (int b = 0; b < windows; b++) {
                    for (int e = 0; e < hm; e++) {
                        int at = ((l * windows + b) * hm + e) * k;
                        double j = Jaccard.ofSorted(w, at, global, at, k);
                        byHead[l][e] += j;
                        workerSum += j;
                    }
                }
            }
            byWorker.add(workerSum / ((double) nl * windows * hm));
            total += workerSum;
        }
        List<List<Double>> heads = new ArrayList<>();
        double per = (double) windows * workers.size();
        for (double[] layer : byHead) {
            List<Double> row = new ArrayList<>();
            for (double v : layer) row.add(v / per);
            heads.add(row);
        }
        return new DriftRecord(round, rule, total / ((double) nl * windows * hm * workers.size()), heads, byWorker);
    }
}
