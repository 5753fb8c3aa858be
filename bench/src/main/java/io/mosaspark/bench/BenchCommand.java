package io.mosaspark.bench;

import io.mosaspark.bench.harness.BenchProvenance;
import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.model.ModelSuiteOptions;
import io.mosaspark.bench.prep.PrepSession;
import io.mosaspark.bench.prep.PrepSuiteOptions;
import io.mosaspark.bench.train.TrainSuiteOptions;
import io.mosaspark.model.nn.OpenBlasCore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code mosa bench [suite…]}: every benchmark, of the model and of data prep, under one harness. Each
 * result is one JSON line on stdout; all results and the run's provenance go to {@code --out} as
 * {@code {provenance, suites: {name: [results]}}}. A missed target is a finding ({@code *_met},
 * {@code pass}: false), not a failure of the command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = PrepBenchCommand.class,
        description = {"Benchmarks (not tests). Model suites: attention-scaling, tiny-step, throughput;",
                "extras: gemm (BLAS rate alone), profile (time per ND4J op of the models above).",
                "Data-prep suites: tokenize (Spark vs single-thread JTokkit), bpe-train (BPE training time).",
                "Trainer suites: train-scaling, round-anatomy, train-vs-torch, convergence, checkpoint, routing-overhead.",
                "Prints one JSON object per result line and writes all of them to --out."})
public final class BenchCommand implements Callable<Integer> {

    static final List<String> SUITES = Stream.of(ModelSuiteOptions.SUITES, PrepSuiteOptions.SUITES, TrainSuiteOptions.SUITES)
            .flatMap(List::stream).toList();

    @Parameters(arity = "0..*", paramLabel = "SUITE", completionCandidates = SuiteNames.class,
            description = "suites to run (default: attention-scaling, tiny-step, throughput): ${COMPLETION-CANDIDATES}")
    List<String> suites = new ArrayList<>();

    @Option(names = "--out", description = "JSON file for all results (default: ${DEFAULT-VALUE})")
    Path out = Path.of("bench-results.json");

    @Option(names = "--repeats", description = "timed runs; model suites report the median, tokenize the best pass (default: ${DEFAULT-VALUE})")
    int repeats = 5;

    @Mixin
    ModelSuiteOptions model = new ModelSuiteOptions();

    @Mixin
    PrepSuiteOptions prep = new PrepSuiteOptions();

    @Mixin
    TrainSuiteOptions train = new TrainSuiteOptions();

    @CommandLine.Spec
    CommandSpec spec;

    static final class SuiteNames extends ArrayList<String> {
        SuiteNames() {
            super(SUITES);
        }
    }

    @Override
    public Integer call() {
        return run(spec, suites.isEmpty() ? ModelSuiteOptions.DEFAULT : suites, out, repeats, prep);
    }

    /**
     * Runs {@code names} in order and writes the report, for this command and for its {@code prep} alias
     * ({@code where}: the command the user typed, whose options the provenance records).
     */
    Integer run(CommandSpec where, List<String> names, Path reportFile, int timedRepeats, PrepSuiteOptions prepOptions) {
        for (String s : names) {
            if (!SUITES.contains(s)) {
                throw new CommandLine.ParameterException(where.commandLine(),
                        "unknown suite '" + s + "'; valid: " + String.join(", ", SUITES));
            }
        }
        List<Suite> toRun = new ArrayList<>();
        PrepSession prepSession;
        try {
            prepSession = prepOptions.session(timedRepeats);
            for (String s : names) {
                toRun.add(ModelSuiteOptions.SUITES.contains(s) ? model.suite(s, timedRepeats)
                        : TrainSuiteOptions.SUITES.contains(s) ? train.suite(s, model.benchOptions(timedRepeats))
                        : prepSession.suite(s));
            }
        } catch (IllegalArgumentException e) {
            // a bad option value (the message names it): a usage error, not a crash
            throw new CommandLine.ParameterException(where.commandLine(), e.getMessage(), e);
        }
        if (names.stream().anyMatch(s -> ModelSuiteOptions.SUITES.contains(s) || TrainSuiteOptions.SUITES.contains(s))) {
            OpenBlasCore.advice().ifPresent(a -> where.commandLine().getErr().println("mosa bench: " + a));
        }
        BenchReport report = new BenchReport(BenchProvenance.of(where.root().commandLine().getParseResult().originalArgs(),
                resolvedOptions(where), model.threads()), System.out);
        try (prepSession) {
            for (Suite s : toRun) s.run(report);
        } finally {
            report.writeTo(reportFile);
        }
        return 0;
    }

    /** Every option of {@code command} by its longest name, defaults filled in: what the run was configured with. */
    static Map<String, Object> resolvedOptions(CommandSpec command) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (OptionSpec o : command.options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            Object value = o.getValue();
            options.put(o.longestName().replaceFirst("^-+", ""), value instanceof Path p ? p.toString() : value);
        }
        return options;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
