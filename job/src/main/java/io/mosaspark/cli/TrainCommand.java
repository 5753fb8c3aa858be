package io.mosaspark.cli;

import io.mosaspark.report.RunReport;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.train.TrainLm;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mosa train}: a shard set and a preset → a data-parallel training run on Spark. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Train a MoSA (or dense baseline) language model data-parallel on Spark: each round every worker",
                "takes H local steps on its own windows of the shard set, then the driver averages (or applies DiLoCo's",
                "outer step). Checkpoints, validation perplexity, metrics.jsonl and the final model go to --out."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:trained; the model and summary.json are in --out", "1:the run failed (--resume continues it)",
                "2:invalid options or input (nothing was trained)"},
        footer = {"", "Preset keys (model.*, training.*) can be set with --set key=value, e.g. --set d_ff=512.",
                "The run directory: docs/training.md. Resuming needs the same options (the eval and checkpoint cadence may differ)."})
public final class TrainCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TrainOptions options = new TrainOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (any Hadoop URI; must be shared by all executors for DiLoCo).")
    String out;

    @Option(names = "--resume", description = "Continue from the newest valid checkpoint in --out.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainRequest request = options.toRequest(out, resume);
        // every input error before Spark starts: an IllegalArgumentException naming the file or key, which
        // UserErrors reports as one line and exit 2 (a ParameterException would add a pointer to --help)
        TrainLm.resolve(request, io.mosaspark.spark.SparkHadoopConf.from(new SparkConf()));
        // the driver's CPU; in local mode also the workers'
        io.mosaspark.model.nn.OpenBlasCore.advice().ifPresent(a -> System.err.println("mosa train: " + a));
        try (DriverSession session = options.session("mosa train " + out)) {
            Trainer.Result r = TrainLm.run(JavaSparkContext.fromSparkContext(session.spark().sparkContext()), request,
                    System.err);
            System.out.printf(Locale.ROOT, "trained %d rounds (%d steps, %d tokens) in %.0f s: val loss %.4f, perplexity %.2f;"
                            + " model in %s%n", r.state().round(), r.state().globalStep(), r.state().tokensSeen(), r.seconds(),
                    r.validation().loss(), r.validation().perplexity(), r.runDirectory());
            if (!options.noReport) {
                RunReport.Written w = RunReport.write(r.runDirectory(), session.spark().sparkContext().hadoopConfiguration());
                System.out.println("report: " + w.html());
            }
            return 0;
        }
    }
}
