package io.mosaspark.bench.prep;

import picocli.CommandLine.Option;

import java.util.List;

/** The options of the data-prep suites (mixed into {@code mosa bench} and its {@code prep} alias). */
public final class PrepSuiteOptions {

    public static final List<String> SUITES = List.of("tokenize", "bpe-train");

    @Option(names = "--master", description = "prep suites: Spark master, unless a session is running (default: ${DEFAULT-VALUE})")
    String master = "local[2]";

    @Option(names = "--corpus", description = "prep suites: text files (any Hadoop URI), one document per line "
            + "(default: generated Zipfian text)")
    String corpus;

    @Option(names = "--mb", description = "prep suites: megabytes of text (default: ${DEFAULT-VALUE})")
    double megabytes = 20;

    @Option(names = "--tokenizer", description = "tokenize: pretrained encoding (default: ${DEFAULT-VALUE})")
    String tokenizer = "r50k_base";

    @Option(names = "--vocab-size", description = "bpe-train: vocabulary size (default: ${DEFAULT-VALUE})")
    int vocabSize = 8000;

    @Option(names = "--partitions", description = "prep suites: Spark partitions; 0 = 4 per core of the master (default)")
    int partitions = 0;

    @Option(names = "--seed", description = "prep suites: seed of the generated text (default: ${DEFAULT-VALUE})")
    long seed = 1337;

    /**
     * The session the prep suites share, with {@code repeats} timed passes of tokenize; it starts Spark only
     * when a prep suite first runs.
     *
     * @throws IllegalArgumentException an option value is out of range (the message names it)
     */
    public PrepSession session(int repeats) {
        return new PrepSession(new PrepSession.Settings(master, corpus, megabytes, tokenizer, vocabSize, partitions,
                repeats, seed));
    }
}
