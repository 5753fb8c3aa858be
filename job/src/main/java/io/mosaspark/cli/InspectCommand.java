package io.mosaspark.cli;

import io.mosaspark.prep.inspect.ShardSetSummary;
import io.mosaspark.shards.set.ShardSetValidator;
import io.mosaspark.shards.set.ValidationReport;
import io.mosaspark.spark.SparkHadoopConf;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mosa inspect <dir>}: validate a shard set and print its counts and a decoded sample. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Validate a shard set (headers, sizes, checksums, manifest) and print counts and a sample.",
                "Exits 1 when the shard set is invalid."})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Shard set directory (any Hadoop URI).")
    String dir;

    @Option(names = "--sample", defaultValue = "64", paramLabel = "N",
            description = "Decode the first N tokens of the first train shard (0 = none). Default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(names = "--quick", description = "Skip checksums and token scans (headers and sizes only).")
    boolean quick;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (sample < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sample must be >= 0, got " + sample);
        }
        PrintWriter out = spec.commandLine().getOut();
        Configuration conf = SparkHadoopConf.from(new SparkConf()); // spark.hadoop.* keys, e.g. S3A credentials
        ValidationReport report = ShardSetValidator.validate(new Path(dir), conf, !quick);
        ShardSetSummary.print(report, sample, conf, out);
        out.flush();
        return report.valid() ? 0 : 1;
    }

    public static int execute(String... args) {
        return new CommandLine(new InspectCommand()).execute(args);
    }
}
