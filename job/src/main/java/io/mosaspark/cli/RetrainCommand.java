package io.mosaspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.report.RunReport;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.train.TrainLm;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.registry.Promotion;
import io.mosaspark.train.retrain.Retrain;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mosa retrain}: train a candidate on a new shard set, register it, and promote it if it is better. */
@Command(name = "retrain", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
        description = {"Scheduled retraining: train a candidate on a new shard set, register it, promote it if better.",
                "Warm-starts from the registry's promoted model (fresh when there is none or the shard set's tokenizer"
                        + " differs), trains for the budget (--tokens or --rounds), registers the candidate, evaluates it"
                        + " and the promoted model on the same val windows of the new shard set in one Spark job, and"
                        + " promotes it if its loss is lower by --margin. Prints the candidate's entry as JSON."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:registered (and promoted, or kept the promoted model: see decision)",
                "1:the job failed, or another writer holds the registry's lock; the registry is as it was",
                "2:invalid options or input (nothing was trained)"},
        footer = {"", "Takes every option of `mosa train` except --out and --resume: the candidate trains in the registry.",
                "The registry's layout, locking and failure behaviour: docs/retrain.md."})
public final class RetrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RegistryOptions registry = new RegistryOptions();

    @CommandLine.Mixin
    TrainOptions options = new TrainOptions();

    @Option(names = "--margin", paramLabel = "X",
            description = "Promote only if the candidate's val loss < the promoted model's × (1 − X). Default: ${DEFAULT-VALUE}.")
    double margin = Promotion.DEFAULT_MARGIN;

    @Option(names = "--no-promote", negatable = false,
            description = "Stop after registering the candidate (then: mosa registry evaluate, mosa registry promote).")
    boolean noPromote;

    @Override
    public Integer call() throws Exception {
        // every input error before Spark starts and before the lock is taken (the out is a placeholder)
        TrainRequest train = options.toRequest("retrain-staging", false);
        Retrain.Request request = new Retrain.Request(registry.registry, train, margin, !noPromote, registry.lockWait(),
                registry.staleAfter());
        TrainLm.resolve(train, SparkHadoopConf.from(new SparkConf()));
        try (DriverSession session = options.session("mosa retrain " + registry.registry)) {
            var hadoop = session.spark().sparkContext().hadoopConfiguration();
            // the report goes into the candidate's run directory before it is registered, as mosa train writes it
            Retrain.Finish report = options.noReport ? Retrain.Finish.NOTHING : run -> RunReport.write(run, hadoop);
            Retrain.Result r = Retrain.run(JavaSparkContext.fromSparkContext(session.spark().sparkContext()), request,
                    report, System.err);
            spec.commandLine().getOut().println(JSON.writeValueAsString(r.entry()));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
