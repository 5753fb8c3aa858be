package io.mosaspark.cli;

import io.mosaspark.model.nn.OpenBlasCore;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.demo.LocalDemo;
import io.mosaspark.demo.RecallTask;
import io.mosaspark.demo.RecallTraining;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mosa train-local}: trains the dense baseline and its IsoFLOP MoSA hybrid on a synthetic recall
 * task in this JVM (no Spark) and compares their loss where recall is needed. A few minutes on 2 cores.
 */
@Command(name = "train-local", mixinStandardHelpOptions = true,
        description = "Train a preset's dense baseline and its IsoFLOP MoSA hybrid on a synthetic recall task "
                + "(same data, seed and steps) in one JVM and compare their loss at the answer positions.")
public final class TrainLocalCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "cpu-demo",
            description = "preset name (" + "tiny, small, medium, large, cpu-demo" + ") or a preset .json file (default ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a preset key, e.g. --set n_layers=3 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--model", defaultValue = "both", description = "dense, mosa, fixed or both (= dense then mosa); default ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--rho", defaultValue = "8", description = "sparsity ρ of the MoSA hybrid (default ${DEFAULT-VALUE})")
    int rho;

    @Option(names = "--steps", description = "training steps (default: the preset's)")
    Integer steps;

    @Option(names = "--batch", description = "sequences per step (default: the preset's)")
    Integer batch;

    @Option(names = "--seq-len", description = "sequence length T (default: the preset's)")
    Integer seqLen;

    @Option(names = "--seed", description = "seed of initialisation and data (default: the preset's)")
    Long seed;

    @Option(names = "--precision", defaultValue = "float32", description = "float32 or float64 (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--eval-every", defaultValue = "50", description = "steps between held-out evaluations (default ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-batch", defaultValue = "64",
            description = "sequences in the held-out batch (default ${DEFAULT-VALUE}: 64 answers for the default one-query task)")
    int evalBatch;

    @Option(names = "--average-last", defaultValue = "4",
            description = "the answer score is the mean of this many last evaluations (default ${DEFAULT-VALUE})")
    int averageLast;

    @Option(names = "--loss-on", defaultValue = "all",
            description = "positions the training loss covers: all (plain LM loss) or answers (recall only: other targets "
                    + "are ignored); default ${DEFAULT-VALUE}")
    String lossOn;

    @Option(names = "--keys", description = "distinct keys of the recall task (default 1: a needle in a haystack)")
    Integer keys;

    @Option(names = "--values", description = "distinct values of the recall task (default: 16, fewer if the vocabulary is small)")
    Integer values;

    @Option(names = "--facts", description = "facts per sequence, each queried at the end (default: = keys)")
    Integer facts;

    @Option(names = "--out", required = true, description = "output directory (metrics, configs, checkpoints, summary.json)")
    Path out;

    @Spec
    CommandSpec spec;

    /** Standalone entry point (the `mosa` launcher in module job runs this command as a subcommand). */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new TrainLocalCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LocalDemo demo;
        try {
            demo = plan();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        OpenBlasCore.advice().ifPresent(a -> spec.commandLine().getErr().println("mosa train-local: " + a));
        demo.run(spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** Everything the options say, resolved and validated before any training starts. */
    LocalDemo plan() {
        List<String> overrides = new ArrayList<>(sets);
        if (steps != null) overrides.add("steps=" + steps);
        if (batch != null) overrides.add("batch_size=" + batch);
        if (seqLen != null) overrides.add("seq_len=" + seqLen);
        if (seed != null) overrides.add("seed=" + seed);
        Preset p = Presets.load(preset, overrides);
        List<String> variants = switch (model) {
            case "both" -> List.of("dense", "mosa");
            case "dense", "mosa", "fixed" -> List.of(model);
            default -> throw new IllegalArgumentException("--model '" + model + "' is unknown; valid: dense, mosa, fixed, both");
        };
        DataType type = switch (dtype) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("--precision " + dtype + ": valid values are float32, float64");
        };
        var m = p.dense();
        RecallTask task = RecallTask.forModel(m.vocabSize(), m.seqLen(), p.training().seed());
        if (keys != null || values != null || facts != null) {
            int k = keys != null ? keys : task.keys();
            int v = values != null ? values : RecallTask.defaultValues(m.vocabSize(), k);
            int f = facts != null ? facts : k;
            task = new RecallTask(m.vocabSize(), m.seqLen(), k, v, f, f, p.training().seed());
        }
        RecallTraining.LossOn on = switch (lossOn) {
            case "answers" -> RecallTraining.LossOn.ANSWERS;
            case "all" -> RecallTraining.LossOn.ALL;
            default -> throw new IllegalArgumentException("--loss-on " + lossOn + ": valid values are answers, all");
        };
        var settings = new RecallTraining.Settings(evalEvery, evalBatch, averageLast, on);
        return new LocalDemo(p, overrides, variants, rho, task, settings, type, out);
    }
}
