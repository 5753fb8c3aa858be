package io.mosaspark.cli;

import io.mosaspark.report.RunReport;
import io.mosaspark.spark.SparkHadoopConf;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code mosa report RUN_DIR}: the run's charts as one offline HTML page and PNG images. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Render a training run as one self-contained HTML page (opens offline: the charting library and",
                "the data are inside it) and PNG images of the main charts: training and validation curves, tokens/s,",
                "the round-time split and, for MoSA models, the routing statistics (per-head position histograms and",
                "most-selected tokens, coverage and head overlap per layer, replica drift over rounds).",
                "mosa train writes it at the end of every run; run this for a run still training or an older one."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written: RUN_DIR/report.html and RUN_DIR/report/*.png", "1:reading or writing failed",
                "2:RUN_DIR is not a run directory"},
        footer = {"", "What the routing statistics mean: docs/routing.md."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The --out directory of mosa train (any Hadoop URI).")
    String run;

    @Override
    public Integer call() throws Exception {
        RunReport.Written w = RunReport.write(new Path(run), SparkHadoopConf.from(new SparkConf()));
        System.out.println("report: " + w.html() + " (" + w.pngs().size() + " PNGs in " + new Path(new Path(run), RunReport.PNG_DIRECTORY) + ")");
        return ExitCodes.OK;
    }
}
