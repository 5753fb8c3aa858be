package io.mosaspark.train.eval;

import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.manifest.TokenizerInfo;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.checkpoint.TrainedModel;
import io.mosaspark.train.data.ShardWindows;
import io.mosaspark.train.round.FaultPlan;
import io.mosaspark.train.round.WorkerSetup;
import io.mosaspark.train.state.FlatVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.util.UUID;

/**
 * {@code mosa eval} as a library call: a trained model's loss and perplexity on a split of a shard set,
 * computed on the cluster by {@link Validation}, the trainer's own evaluation.
 *
 * <p>By default it scores with the run's own worker count and {@code eval_windows}: each worker sums its
 * rank-strided share of the windows and the sums meet in the same ordered tree, so evaluating a finished
 * run on its own shard set repeats the additions of the run's final validation and gives its
 * {@code val_loss} bit for bit.
 */
public final class CheckpointEvaluation {

    private CheckpointEvaluation() {
    }

    /**
     * What to evaluate.
     *
     * @param checkpoint a run directory or a checkpoint directory ({@link TrainedModel#open})
     * @param data       a shard set (any Hadoop URI)
     * @param split      which of its splits
     * @param windows    windows to score (0: the whole split; null: the run's {@code eval_windows})
     */
    public record Request(String checkpoint, String data, Split split, Long windows) {
    }

    /** A request checked against its model and shard set, before any Spark work. */
    public record Prepared(Request request, TrainedModel model, ShardSet shards, WorkerSetup setup, long windows) {
    }

    /** The outcome: the model, what was scored, and the sums. */
    public record Result(Prepared prepared, EvalSum sum) {
    }

    /**
     * Opens the model and the shard set and refuses a shard set made with another tokenizer, or whose
     * split holds no window; touches no Spark.
     */
    public static Prepared prepare(Request q, Configuration hadoop) throws IOException {
        if (q.windows() != null && q.windows() < 0) {
            throw new IllegalArgumentException("--windows = " + q.windows() + ": must be >= 0 (0 = the whole split)");
        }
        TrainedModel model = TrainedModel.open(q.checkpoint(), hadoop);
        ShardSet shards = ShardSet.open(q.data(), hadoop, false);
        requireSameTokenizer(model, shards, q.data());
        TrainConfig run = model.config();
        long limit = q.windows() != null ? q.windows() : run.evalWindows();
        TrainConfig config = run.withCadence(run.evalEvery(), limit, run.checkpointEvery(), run.keepCheckpoints());
        ShardWindows data;
        try {
            data = ShardWindows.of(shards, run.model().seqLen(), run.workers(), run.training().seed(), hadoop, q.split());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(q.data() + ": " + e.getMessage() + " (the model's seq_len is "
                    + run.model().seqLen() + ", its run had " + run.workers() + " workers)", e);
        }
        long available = data.validationWindows();
        if (available == 0) {
            throw new IllegalArgumentException("the " + q.split().id() + " split of " + q.data() + " has "
                    + shards.split(q.split()).tokens() + " tokens, fewer than one window of " + (run.model().seqLen() + 1)
                    + " (the model's seq_len + 1): evaluate on a larger split");
        }
        WorkerSetup setup = new WorkerSetup(config, "eval-" + UUID.randomUUID(), data, null, FaultPlan.NONE);
        return new Prepared(q, model, shards, setup, limit > 0 ? Math.min(limit, available) : available);
    }

    public static Result run(JavaSparkContext sc, Prepared p) throws IOException {
        FlatVector params = p.model().readParams(sc.hadoopConfiguration());
        EvalSum sum = Validation.onCluster(sc, p.setup(), params, "mosa eval: " + p.model().describe() + " on the "
                + p.request().split().id() + " split of " + p.request().data());
        return new Result(p, sum);
    }

    /**
     * The model's vocabulary is its tokenizer's: shards made with another tokenizer (same size or not)
     * would be scored as the wrong tokens. Equal SHA-256 of the tokenizer's defining files, equal tokenizer.
     */
    private static void requireSameTokenizer(TrainedModel model, ShardSet shards, String data) {
        TokenizerInfo theirs = shards.manifest().tokenizer();
        TokenizerInfo ours = model.tokenizer();
        int modelVocab = model.config().model().vocabSize();
        if (!java.util.Objects.equals(ours.sha256(), theirs.sha256()) || theirs.vocabSize() > modelVocab) {
            throw new IllegalArgumentException("tokenizer mismatch: shard set " + data + " was made with " + describe(theirs)
                    + " but " + model.describe() + " was trained with " + describe(ours) + " (model vocab_size "
                    + modelVocab + "); evaluate on shards prepared with the model's tokenizer");
        }
    }

    private static String describe(TokenizerInfo t) {
        String sha = t.sha256() == null ? "none" : t.sha256().substring(0, Math.min(12, t.sha256().length()));
        return t.type() + " (vocab " + t.vocabSize() + ", sha256 " + sha + ")";
    }
}
