package io.mosaspark.train.eval;

import io.mosaspark.model.lm.NextTokenBatch;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.data.WindowStream;
import io.mosaspark.train.round.OrderedTreeAggregate;
import io.mosaspark.train.round.WorkerSetup;
import io.mosaspark.train.round.WorkerTask;
import io.mosaspark.train.state.FlatVector;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Validation loss and perplexity of a set of parameters, computed on the cluster: each of the N worker
 * tasks scores its rank-strided share of the validation windows (the same windows every time), and
 * the sums meet in the same ordered aggregation tree as the training rounds.
 */
public final class Validation {

    private Validation() {
    }

    public static EvalSum onCluster(JavaSparkContext sc, WorkerSetup setup, FlatVector params, String description) {
        TrainConfig c = setup.config();
        if (setup.data().validationWindows() == 0) {
            throw new IllegalArgumentException("the validation split of " + setup.data().describe() + " has no window of "
                    + (c.model().seqLen() + 1) + " tokens: prepare with a larger validation share (--val-fraction) "
                    + "or lower seq_len");
        }
        Broadcast<FlatVector> bc = sc.broadcast(params);
        try {
            sc.setJobDescription(description);
            int n = c.workers();
            List<Integer> ranks = IntStream.range(0, n).boxed().toList();
            return OrderedTreeAggregate.aggregate(
                    sc.parallelize(ranks, n).map(rank -> score(setup, bc.value(), rank, n)),
                    EvalSum::merge, c.aggregationDepth());
        } finally {
            bc.destroy();
        }
    }

    /**
     * Several models scored in one Spark job on the same validation windows: task r scores rank r's share
     * of {@code tasks} for every model in turn, and each model's sums meet in the same ordered tree as
     * {@link #onCluster}'s. So model i's result is exactly {@code onCluster} of {@code setups.get(i)} when
     * that setup's config has {@code tasks} workers and aggregation depth {@code depth}; and the models are
     * compared on identical windows read once per task, with no model advantaged by scheduling.
     *
     * @param setups one per model: its config (network, eval_windows) and the shard set's windows
     * @param params the models' parameters, in the same order
     */
    public static List<EvalSum> onClusterTogether(JavaSparkContext sc, List<WorkerSetup> setups, List<FlatVector> params,
                                                  int tasks, int depth, String description) {
        if (setups.size() != params.size() || setups.isEmpty()) {
            throw new IllegalArgumentException(setups.size() + " setups for " + params.size() + " parameter sets");
        }
        ArrayList<WorkerSetup> shipped = new ArrayList<>(setups);
        Broadcast<ArrayList<FlatVector>> bc = sc.broadcast(new ArrayList<>(params));
        try {
            sc.setJobDescription(description);
            List<Integer> ranks = IntStream.range(0, tasks).boxed().toList();
            EvalSum[] sums = OrderedTreeAggregate.aggregate(sc.parallelize(ranks, tasks).map(rank -> {
                EvalSum[] mine = new EvalSum[shipped.size()];
                for (int i = 0; i < mine.length; i++) mine[i] = score(shipped.get(i), bc.value().get(i), rank, tasks);
                return mine;
            }), Validation::mergeEach, depth);
            return List.of(sums);
        } finally {
            bc.destroy();
        }
    }

    private static EvalSum[] mergeEach(EvalSum[] a, EvalSum[] b) {
        EvalSum[] m = new EvalSum[a.length];
        for (int i = 0; i < m.length; i++) m[i] = EvalSum.merge(a[i], b[i]);
        return m;
    }

    /** Rank {@code rank}'s share of the validation windows (public for single-JVM evaluation with n = 1). */
    public static EvalSum score(WorkerSetup setup, FlatVector params, int rank, int workers) throws IOException {
        TrainConfig c = setup.config();
        ComputationGraph g = WorkerTask.networkFor(setup);
        params.assignTo(g.params());
        int t = c.model().seqLen(), b = c.batchSize();
        double lossTimesTokens = 0;
        long tokens = 0, windows = 0;
        try (WindowStream stream = setup.data().validation(rank, workers, c.evalWindows())) {
            List<int[]> batch = new ArrayList<>(b);
            int[] w = new int[t + 1];
            boolean more = true;
            while (more) {
                more = stream.next(w);
                if (more) batch.add(w.clone());
                if (batch.size() == b || (!more && !batch.isEmpty())) {
                    int[][] rows = batch.toArray(new int[0][]);
                    double loss = g.score(NextTokenBatch.of(Nd4j.createFromArray(rows), c.dataType()), false);
                    long batchTokens = (long) rows.length * t;
                    lossTimesTokens += loss * batchTokens;
                    tokens += batchTokens;
                    windows += rows.length;
                    batch.clear();
                }
            }
        }
        return new EvalSum(lossTimesTokens, tokens, windows);
    }
}
