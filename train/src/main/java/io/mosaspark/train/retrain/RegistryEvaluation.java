package io.mosaspark.train.retrain;

import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.checkpoint.TrainedModel;
import io.mosaspark.train.data.ShardWindows;
import io.mosaspark.train.eval.EvalSum;
import io.mosaspark.train.eval.Validation;
import io.mosaspark.train.registry.ModelRegistry;
import io.mosaspark.train.registry.RegistryEntry;
import io.mosaspark.train.registry.RegistryEvent;
import io.mosaspark.train.registry.RegistryLock;
import io.mosaspark.train.round.FaultPlan;
import io.mosaspark.train.round.WorkerSetup;
import io.mosaspark.train.state.FlatVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A registered candidate and the promoted model scored on the candidate's shard set's validation split,
 * on the same windows, in one Spark job ({@link Validation#onClusterTogether}). The windows, task count
 * and tree are the candidate's own run's, so its loss here is its run's final {@code val_loss} exactly.
 */
public final class RegistryEvaluation {

    private RegistryEvaluation() {
    }

    /** Evaluates {@code candidateRef} (id or {@code latest}) and records the result in its entry. */
    public static RegistryEntry evaluate(JavaSparkContext sc, ModelRegistry registry, RegistryLock lock, String candidateRef,
                                         PrintStream progress) throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        RegistryEntry entry = registry.entry(candidateRef == null ? "latest" : candidateRef);
        TrainedModel candidate = TrainedModel.open(registry.modelDirectory(entry.id()).toString(), hadoop);
        String data = candidate.data().source();
        ShardSet shards = ShardSet.open(data, hadoop, false);
        TrainConfig c = candidate.config();
        int tasks = c.workers();
        List<WorkerSetup> setups = new ArrayList<>(List.of(setup(c, shards, tasks, hadoop)));
        List<FlatVector> params = new ArrayList<>(List.of(candidate.readParams(hadoop)));

        Optional<String> current = registry.current();
        String baseline = current.filter(id -> !id.equals(entry.id())).orElse(null);
        String note = current.isEmpty() ? "no promoted model" : baseline == null ? entry.id() + " is the promoted model" : null;
        if (baseline != null) {
            TrainedModel promoted = TrainedModel.open(registry.modelDirectory(baseline).toString(), hadoop);
            String theirs = shards.manifest().tokenizer().sha256(), ours = promoted.tokenizer().sha256();
            if (!Objects.equals(theirs, ours) || shards.vocabSize() > promoted.config().model().vocabSize()) {
                note = baseline + " was trained with another tokenizer (sha256 " + abbrev(ours) + ", the shard set's is "
                        + abbrev(theirs) + "): losses over different tokens are not comparable";
            } else {
                TrainConfig b = promoted.config().withCadence(promoted.config().evalEvery(), c.evalWindows(),
                        promoted.config().checkpointEvery(), promoted.config().keepCheckpoints());
                setups.add(setup(b, shards, tasks, hadoop));
                params.add(promoted.readParams(hadoop));
            }
        }
        progress.println("evaluating " + entry.id() + (setups.size() == 2 ? " and the promoted " + baseline : "")
                + " on the val split of " + data + (note != null ? " (" + note + ")" : ""));
        List<EvalSum> sums = Validation.onClusterTogether(sc, setups, params, tasks, c.aggregationDepth(),
                "mosa registry evaluate: " + entry.id() + (setups.size() == 2 ? " vs " + baseline : "") + " on " + data);
        EvalSum cs = sums.get(0);
        Double bl = sums.size() == 2 ? sums.get(1).loss() : null;
        RegistryEntry.Evaluation e = new RegistryEntry.Evaluation(data, Split.VAL.id(), cs.windows(), cs.tokens(), cs.loss(),
                baseline, bl, note, Instant.now().toString());
        String detail = String.format(Locale.ROOT, "%s %.6f", entry.id(), cs.loss())
                + (bl != null ? String.format(Locale.ROOT, ", %s %.6f", baseline, bl) : "; " + note)
                + String.format(Locale.ROOT, " (%d windows of %s's val split)", cs.windows(), data);
        progress.println("evaluated: " + detail);
        RegistryEntry evaluated = entry.withEvaluation(e);
        registry.update(lock, evaluated, ModelRegistry.event(lock, RegistryEvent.EVALUATED, entry.id(), null, detail));
        return evaluated;
    }

    private static WorkerSetup setup(TrainConfig config, ShardSet shards, int tasks, Configuration hadoop) {
        ShardWindows windows = ShardWindows.of(shards, config.model().seqLen(), tasks, config.training().seed(), hadoop,
                Split.VAL);
        return new WorkerSetup(config, "registry-eval-" + UUID.randomUUID(), windows, null, FaultPlan.NONE);
    }

    private static String abbrev(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
