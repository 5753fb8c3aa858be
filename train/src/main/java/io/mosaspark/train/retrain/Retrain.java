package io.mosaspark.train.retrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.train.RunOptions;
import io.mosaspark.train.TrainLm;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.Trainer;
import io.mosaspark.train.checkpoint.ModelFiles;
import io.mosaspark.train.checkpoint.TrainedModel;
import io.mosaspark.train.registry.ModelRegistry;
import io.mosaspark.train.registry.Promotion;
import io.mosaspark.train.registry.RegistryEntry;
import io.mosaspark.train.registry.RegistryLock;
import io.mosaspark.train.state.AtomicHadoopFiles;
import io.mosaspark.train.state.FlatVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code mosa retrain} as a library call, all under the registry's lock (refreshed while it trains):
 * <ol>
 *   <li>remove what a crashed retrain left ({@link ModelRegistry#removeLeftovers});</li>
 *   <li>read CURRENT; warm-start from the promoted model's parameters (fresh optimizer state and schedule),
 *       or start fresh when none is promoted, the new shard set's tokenizer differs from the promoted
 *       model's (compared by SHA-256), or its tensors do not fit the requested model;</li>
 *   <li>train the candidate in {@code staging/} for the requested budget ({@link TrainLm});</li>
 *   <li>register it: moved into {@code models/} with its entry ({@link ModelRegistry#register});</li>
 *   <li>unless told not to promote: evaluate it and the promoted model on the same windows of the new
 *       shard set's val split, in one Spark job ({@link RegistryEvaluation}), and promote it if better by
 *       the margin ({@link Promotion}).</li>
 * </ol>
 * A crash before step 4 leaves only {@code staging/} garbage; the registry's readers see no change.
 */
public final class Retrain {
    private static final Logger LOG = LoggerFactory.getLogger(Retrain.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Retrain() {
    }

    /**
     * @param registry   the registry's URI
     * @param train      the training options; its {@code out} is ignored (the candidate trains in staging)
     * @param margin     relative margin for promotion ({@link Promotion#DEFAULT_MARGIN})
     * @param promote    false: stop after registering (an orchestrator evaluates and promotes as separate steps)
     * @param lockWait   how long to wait for another writer to let go of the lock
     * @param staleAfter a lock not refreshed for this long is taken over
     */
    public record Request(String registry, TrainRequest train, double margin, boolean promote, Duration lockWait,
                          Duration staleAfter) {
        public Request {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(train, "train");
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("--margin = " + margin + ": must be in [0, 1) (a relative improvement, e.g. 0.01)");
            }
        }
    }

    /** Where a candidate starts: the promoted model's parameters, or fresh, and why. */
    public record Start(String parent, FlatVector params, String reason) {
        public boolean warm() {
            return params != null;
        }
    }

    /**
     * What a retrain did.
     *
     * @param entry   the candidate's entry as it ends (with evaluation and decision unless --no-promote)
     * @param trained the training run's result
     * @param current what CURRENT names afterwards
     */
    public record Result(RegistryEntry entry, Trainer.Result trained, Optional<String> current) {
    }

    /** Something more to write into a candidate's finished run directory before it is registered (a report). */
    @FunctionalInterface
    public interface Finish {
        Finish NOTHING = run -> { };

        void apply(Path runDirectory) throws IOException;
    }

    public static Result run(JavaSparkContext sc, Request q, PrintStream progress) throws IOException {
        return run(sc, q, Finish.NOTHING, progress);
    }

    public static Result run(JavaSparkContext sc, Request q, Finish finish, PrintStream progress) throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        ModelRegistry registry = ModelRegistry.open(q.registry(), hadoop);
        try (RegistryLock lock = registry.lock("mosa retrain", q.lockWait(), q.staleAfter(), progress::println)) {
            for (Path p : registry.removeLeftovers(lock)) progress.println("removed a crashed retrain's leftover " + p);
            Path staging = registry.newStaging(lock);
            TrainRequest request = q.train().withOut(staging.toString(), false);
            TrainLm.Resolved resolved = TrainLm.resolve(request, hadoop);
            Start start = start(registry, resolved, hadoop);
            LOG.info("retrain start: {} ({})", start.warm() ? "warm from " + start.parent() : "fresh", start.reason());
            progress.println("retrain: " + (start.warm() ? "warm start from " + start.parent() : "fresh start")
                    + " (" + start.reason() + ")");
            Trainer.Result trained = TrainLm.run(sc, request, resolved,
                    start.warm() ? new RunOptions.Init("registry " + registry.directory() + " " + start.parent(), start.params()) : null,
                    progress);
            // the registry keeps the model, not the means of resuming a run that finished
            FileSystem fs = staging.getFileSystem(hadoop);
            fs.delete(new Path(staging, "checkpoints"), true);
            fs.delete(new Path(staging, "inner"), true);
            finish.apply(staging);
            RegistryEntry entry = registry.register(lock, staging, entry(resolved, q, start, trained, fs));
            progress.println("registered " + entry.id() + " in " + registry.directory());
            if (q.promote()) {
                entry = RegistryEvaluation.evaluate(sc, registry, lock, entry.id(), progress);
                entry = Promotion.decide(registry, lock, entry.id(), q.margin(), false);
                progress.println((entry.decision().promoted() ? "promoted " : "kept the promoted model, not ") + entry.id()
                        + ": " + entry.decision().reason());
            }
            return new Result(entry, trained, registry.current());
        }
    }

    /** Warm from the promoted model where it can be, else fresh; never silently: the reason is recorded. */
    static Start start(ModelRegistry registry, TrainLm.Resolved r, Configuration hadoop) throws IOException {
        Optional<String> current = registry.current();
        if (current.isEmpty()) return new Start(null, null, "no promoted model in the registry");
        String id = current.get();
        TrainedModel promoted = TrainedModel.open(registry.modelDirectory(id).toString(), hadoop);
        String theirs = r.shards().manifest().tokenizer().sha256(), ours = promoted.tokenizer().sha256();
        if (!Objects.equals(theirs, ours)) {
            return new Start(null, null, "the shard set's tokenizer (sha256 " + abbrev(theirs) + ") differs from " + id
                    + "'s (sha256 " + abbrev(ours) + "): its embeddings mean other tokens");
        }
        if (!r.config().model().equals(promoted.config().model())) {
            return new Start(null, null, "the requested model differs from " + id + "'s ("
                    + JSON.writeValueAsString(r.config().model()) + " vs " + JSON.writeValueAsString(promoted.config().model()) + ")");
        }
        // read with this run's model files: its precision, and every tensor's shape checked
        FlatVector params = new ModelFiles(r.config()).readSafeTensors(promoted.weights().getFileSystem(hadoop), promoted.weights());
        return new Start(id, params, id + " is promoted and uses the shard set's tokenizer");
    }

    private static RegistryEntry entry(TrainLm.Resolved r, Request q, Start start, Trainer.Result t, FileSystem fs)
            throws IOException {
        var state = t.state();
        var summary = JSON.readTree(AtomicHadoopFiles.readString(fs, new Path(t.runDirectory(), "summary.json")));
        return new RegistryEntry(null, start.parent(), start.warm() ? "warm" : "fresh", start.reason(),
                Instant.now().toString(), JSON.valueToTree(r.identity()), r.shards().manifest().tokenizer().sha256(),
                state.tokensSeen(), state.round(), t.validation().loss(), t.seconds(), JSON.valueToTree(q.train()),
                JSON.valueToTree(r.config()), summary.get("provenance"), null, null);
    }

    private static String abbrev(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
