package io.mosaspark.bench;

import io.mosaspark.bench.prep.PrepSuiteOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mosa bench prep --suite tokenize,bpe-train}: the data-prep suites under the spelling they had
 * before they joined {@code mosa bench}; the same run as {@code mosa bench tokenize bpe-train}.
 */
@Command(name = "prep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The data-prep suites, as `mosa bench tokenize bpe-train …` runs them:",
                "tokenisation throughput (Spark vs single-thread JTokkit) and BPE training time."})
public final class PrepBenchCommand implements Callable<Integer> {

    @Option(names = "--suite", split = ",", description = "comma-separated: tokenize, bpe-train (default: both)")
    List<String> suites = PrepSuiteOptions.SUITES;

    @Option(names = "--out", description = "JSON file for all results (default: ${DEFAULT-VALUE})")
    Path out = Path.of("bench-results.json");

    @Option(names = "--repeats", description = "timed passes of tokenize; the best counts (default: ${DEFAULT-VALUE})")
    int repeats = 5;

    @Mixin
    PrepSuiteOptions prep = new PrepSuiteOptions();

    @ParentCommand
    BenchCommand bench;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (String s : suites) {
            if (!PrepSuiteOptions.SUITES.contains(s)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--suite: unknown suite '" + s + "'; use " + String.join(", ", PrepSuiteOptions.SUITES));
            }
        }
        return bench.run(spec, suites, out, repeats, prep);
    }
}
