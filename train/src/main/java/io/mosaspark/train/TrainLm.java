package io.mosaspark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.train.checkpoint.CheckpointStore;
import io.mosaspark.train.checkpoint.DataIdentity;
import io.mosaspark.train.data.ShardWindows;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code mosa train}, as a library call: the shard set is validated and the configuration resolved
 * (every error names the file or key) before any Spark work; then {@link Trainer} runs; the run
 * directory gets the tokenizer, so the model in it can be used without the shard set.
 */
public final class TrainLm {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainLm() {
    }

    /** A request resolved against its shard set: what the trainer needs. */
    public record Resolved(TrainConfig config, ShardSet shards, ShardWindows data, DataIdentity identity) {
    }

    public static Trainer.Result run(JavaSparkContext sc, TrainRequest request, PrintStream progress) throws IOException {
        return run(sc, request, resolve(request, sc.hadoopConfiguration()), null, progress);
    }

    /**
     * Trains {@code r} (resolved from {@code request}); with {@code init}, from those parameters instead of a
     * fresh initialisation (a warm start: {@code mosa retrain}).
     */
    public static Trainer.Result run(JavaSparkContext sc, TrainRequest request, Resolved r, RunOptions.Init init,
                                     PrintStream progress) throws IOException {
        progress.println("mosa train: " + Trainer.describe(r.config()) + "; data " + r.data().describe());
        RunOptions options = new RunOptions(request.out(), request.resume(), r.identity(),
                r.shards().manifest().provenance(), request.faults(), progress,
                "preset " + request.preset() + ", model " + request.variant()
                        + (request.variant().equals("mosa") || request.variant().equals("fixed") ? ", rho " + request.sparsity() : ""))
                .withInit(init);
        Trainer.Result result = Trainer.train(sc, r.config(), r.data(), options);
        copyTokenizer(r.shards(), new Path(request.out()), sc.hadoopConfiguration());
        return result;
    }

    /**
     * Validates the shard set and resolves the configuration, and for a resume checks that the checkpoint
     * it would continue was made for them; touches no Spark.
     */
    public static Resolved resolve(TrainRequest q, Configuration hadoop) throws IOException {
        ShardSet shards = ShardSet.open(q.data(), hadoop, q.verifyData());
        Preset preset = Presets.load(q.preset(), q.overrides());
        int vocab = shards.vocabSize();
        boolean explicitVocab = q.overrides().stream().anyMatch(o -> o.startsWith("vocab_size=") || o.startsWith("model.vocab_size="));
        ModelConfig model = preset.variant(q.variant(), q.sparsity());
        if (explicitVocab && model.vocabSize() < vocab) {
            throw new IllegalArgumentException("model.vocab_size = " + model.vocabSize() + " is smaller than the vocabulary of "
                    + q.data() + " (" + vocab + " tokens, tokenizer " + shards.manifest().tokenizer().type()
                    + "): token ids up to " + (vocab - 1) + " would not fit; drop the override or set it to >= " + vocab);
        }
        if (!explicitVocab) model = model.withVocabSize(vocab);
        int h = q.localSteps();
        if (h < 1) throw new IllegalArgumentException("--local-steps = " + h + ": must be >= 1");
        if (q.workers() < 1) throw new IllegalArgumentException("--workers = " + q.workers() + ": must be >= 1");
        TrainingConfig training = preset.training();
        long tokensPerRound = (long) q.workers() * h * training.batchSize() * model.seqLen();
        int rounds = q.rounds() > 0 ? q.rounds()
                : q.tokens() > 0 ? (int) Math.max(1, (q.tokens() + tokensPerRound - 1) / tokensPerRound)
                : Math.max(1, training.steps() / h);
        TrainConfig config = new TrainConfig(model, training.withSteps(rounds * h), q.precision(), q.workers(), h, rounds,
                q.outer(), q.evalEvery(), q.evalWindows(), q.checkpointEvery(), q.keepCheckpoints(),
                TrainConfigDefaults.AGGREGATION_DEPTH, q.routingEvery());
        ShardWindows data;
        try {
            data = ShardWindows.of(shards, model.seqLen(), q.workers(), training.seed(), hadoop);
        } catch (IllegalArgumentException e) { // too few windows: say which of our settings cut them
            throw new IllegalArgumentException("seq_len = " + model.seqLen() + ", workers = " + q.workers() + ": "
                    + e.getMessage(), e);
        }
        if (data.validationWindows() == 0) {
            long valTokens = shards.split(io.mosaspark.shards.manifest.Split.VAL).tokens();
            throw new IllegalArgumentException("the val split of " + q.data() + " has " + valTokens
                    + " tokens, fewer than one window of " + (model.seqLen() + 1) + ": prepare it again with a larger "
                    + "validation share (mosa prepare --val-fraction, e.g. 0.01)"
                    + (valTokens > 0 ? ", or lower seq_len (--seq-len)" : ""));
        }
        String manifestHash = AtomicHadoopFiles.sha256(new Path(q.data()).getFileSystem(hadoop),
                new Path(q.data(), "manifest.json"));
        DataIdentity identity = new DataIdentity(shards.dir().toString(), manifestHash,
                JSON.valueToTree(shards.manifest().tokenizer()));
        if (q.resume()) {
            new CheckpointStore(new Path(q.out(), Trainer.CHECKPOINTS), hadoop, config.keepCheckpoints())
                    .requireResumable(JSON.valueToTree(config), identity);
        }
        return new Resolved(config, shards, data, identity);
    }

    private static void copyTokenizer(ShardSet shards, Path out, Configuration hadoop) throws IOException {
        Path from = shards.tokenizerDir();
        Path to = new Path(out, "tokenizer");
        FileSystem src = shards.dir().getFileSystem(hadoop), dst = out.getFileSystem(hadoop);
        AtomicHadoopFiles.writeString(dst, new Path(out, "tokenizer.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shards.manifest().tokenizer()));
        if (from == null || !src.exists(from)) return; // a pretrained encoding: its name is the reference
        if (dst.exists(to)) dst.delete(to, true);
        if (!FileUtil.copy(src, from, dst, to, false, hadoop)) {
            throw new IOException("cannot copy the tokenizer " + from + " to " + to);
        }
    }
}
