package io.mosaspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.spark.SparkSessions;
import io.mosaspark.train.TrainKryoRegistrator;
import io.mosaspark.train.eval.CheckpointEvaluation;
import io.mosaspark.train.state.AtomicHadoopFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mosa eval}: a trained model's loss and perplexity on a shard split, computed with Spark. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = VersionProvider.class,
        description = {"Loss and perplexity of a trained model on a split of a shard set, scored on Spark by the trainer's",
                "own validation (the run's worker count and eval windows unless --windows says otherwise). JSON on stdout."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:evaluated", "1:the job failed", "2:invalid options or input (e.g. shards of another tokenizer)"},
        footer = {"", "Evaluating a finished run on its own shard set repeats its final validation exactly (docs/commands.md)."})
public final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CheckpointOption checkpoint;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A shard set made with the model's tokenizer (any Hadoop URI).")
    String data;

    @Option(names = "--split", paramLabel = "NAME", description = "val | train. Default: ${DEFAULT-VALUE}.")
    String split = "val";

    @Option(names = "--windows", paramLabel = "N", description = "Windows of seq_len + 1 tokens to score (0: the whole split). Default: the run's --eval-windows.")
    Long windows;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON here (atomically; any Hadoop URI).")
    String out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: spark-submit's, else local[*].")
    String master;

    @Override
    public Integer call() throws Exception {
        SparkConf sparkConf = new SparkConf();
        Configuration hadoop = SparkHadoopConf.from(sparkConf);
        CheckpointEvaluation.Prepared prepared = CheckpointEvaluation.prepare(
                new CheckpointEvaluation.Request(checkpoint.directory, data, Split.parse(split), windows), hadoop);
        try (DriverSession session = SparkSessions.borrowOrStart("mosa eval " + checkpoint.directory, master, sparkConf,
                List.of(TrainKryoRegistrator.class))) {
            CheckpointEvaluation.Result r = CheckpointEvaluation.run(
                    JavaSparkContext.fromSparkContext(session.spark().sparkContext()), prepared);
            String json = JSON.writeValueAsString(report(r));
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
            if (out != null) {
                Path file = new Path(out);
                AtomicHadoopFiles.writeString(file.getFileSystem(hadoop), file, json + "\n");
            }
            return ExitCodes.OK;
        }
    }

    private static Map<String, Object> report(CheckpointEvaluation.Result r) {
        var p = r.prepared();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkpoint", p.model().directory().toString());
        m.put("weights", p.model().finalModel() ? "final model" : "checkpoint");
        m.put("round", p.model().round());
        m.put("data", p.shards().dir().toString());
        m.put("split", p.request().split().id());
        m.put("windows", r.sum().windows());
        m.put("tokens", r.sum().tokens());
        m.put("workers", p.setup().config().workers());
        m.put("loss", r.sum().loss());
        m.put("perplexity", r.sum().perplexity());
        return m;
    }
}
