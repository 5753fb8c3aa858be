package io.mosaspark.model.bench;

import io.mosaspark.model.nn.OpenBlasCore;
import io.mosaspark.model.config.Presets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mosa bench [suite…]}: the model benchmarks. Each result is one JSON line on stdout; all
 * results and the run's provenance go to {@code --out}. Every measurement runs in a fresh child JVM
 * with {@code --threads} threads, and every suite measures its baseline in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks of the MoSA model (not tests). Suites: attention-scaling, tiny-step, throughput;",
                "extras: gemm (BLAS rate alone), profile (time per ND4J op of the models above).",
                "Prints one JSON object per result line and writes all of them to --out."})
public final class BenchCommand implements Callable<Integer> {

    static final List<String> SUITES = List.of("attention-scaling", "tiny-step", "throughput", "gemm", "profile");

    @Parameters(arity = "0..*", paramLabel = "SUITE", description = "suites to run (default: the first three): ${COMPLETION-CANDIDATES}",
            completionCandidates = SuiteNames.class)
    List<String> suites = new ArrayList<>();

    @Option(names = "--out", description = "JSON file for all results (default: ${DEFAULT-VALUE})")
    Path out = Path.of("bench-results.json");

    @Option(names = "--warmup", description = "untimed runs before timing (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Option(names = "--repeats", description = "timed runs; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats = 5;

    @Option(names = "--threads", description = "ND4J/OpenBLAS threads and PyTorch threads (default: ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--min-t", description = "attention-scaling: shortest T (default: ${DEFAULT-VALUE})")
    int minT = 256;

    @Option(names = "--max-t", description = "attention-scaling: longest T, doubling from --min-t (default: ${DEFAULT-VALUE})")
    int maxT = 4096;

    @Option(names = "--mosa-max-t", description = "attention-scaling: longest T for the MoSA heads alone (default: ${DEFAULT-VALUE})")
    int mosaMaxT = 65536;

    @Option(names = "--tiny-batch", description = "tiny-step: sequences per step (default: ${DEFAULT-VALUE})")
    int tinyBatch = 1;

    @Option(names = "--tiny-seq-len", description = "tiny-step: T (default: ${DEFAULT-VALUE}, the paper's)")
    int tinySeqLen = 1024;

    @Option(names = "--preset", description = "throughput: preset name or file (default: ${DEFAULT-VALUE})")
    String preset = "cpu-demo";

    @Option(names = "--sparsity", description = "throughput: ρ of the IsoFLOP MoSA hybrid (default: ${DEFAULT-VALUE})")
    int sparsity = 8;

    @Option(names = "--batch", description = "throughput: sequences per step (default: the preset's batch_size)")
    Integer batch;

    @Option(names = "--rounds", description = "throughput: rounds of ours then PyTorch per variant; ratios are the median"
            + " of the per-round ratios, since host speed drifts over tens of seconds (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--heap", description = "-Xmx of each child JVM (default: ${DEFAULT-VALUE})")
    String heap = "4g";

    @Option(names = "--off-heap", description = "off-heap (ND4J) limit of each child JVM (default: ${DEFAULT-VALUE})")
    String offHeap = "12g";

    @Option(names = "--timeout", description = "seconds before a child JVM or PyTorch run is killed (default: ${DEFAULT-VALUE})")
    long timeoutS = 1800;

    @Option(names = "--python", description = "Python with torch for the reference (default: ${DEFAULT-VALUE})")
    Path python = Path.of("/usr/bin/python3");

    @Option(names = "--torch-script", description = "the PyTorch reference (default: ${DEFAULT-VALUE})")
    Path torchScript = Path.of("bench/torch_mosa.py");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final class SuiteNames extends ArrayList<String> {
        SuiteNames() {
            super(SUITES);
        }
    }

    @Override
    public Integer call() {
        List<String> chosen = suites.isEmpty() ? SUITES.subList(0, 3) : suites;
        for (String s : chosen) {
            if (!SUITES.contains(s)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown suite '" + s + "'; valid: " + String.join(", ", SUITES));
            }
        }
        BenchOptions options;
        List<Suite> toRun = new ArrayList<>();
        try {
            options = new BenchOptions(warmup, repeats, threads, new ChildJvm(heap, offHeap, threads, timeoutS),
                    python, torchScript);
            for (String s : chosen) toRun.add(suite(s));
        } catch (IllegalArgumentException e) {
            // a bad option value (the message names it): a usage error, not a crash
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Map<String, Object> provenance = Provenance.of(spec.commandLine().getParseResult().originalArgs(), threads);
        OpenBlasCore.advice().ifPresent(a -> spec.commandLine().getErr().println("mosa bench: " + a));
        BenchReport report = new BenchReport(provenance, System.out);
        try {
            for (Suite s : toRun) s.run(options, report);
        } finally {
            report.writeTo(out);
        }
        return 0;
    }

    private Suite suite(String name) {
        return switch (name) {
            case "attention-scaling" -> new AttentionScalingSuite(8, 256, 64, 1, minT, maxT, mosaMaxT);
            case "tiny-step" -> new TinyStepSuite(tinyBatch, tinySeqLen);
            case "throughput" -> {
                var p = Presets.load(preset);
                yield new ThroughputSuite(p, sparsity, batch == null ? p.training().batchSize() : batch, rounds);
            }
            case "gemm" -> new GemmSuite();
            case "profile" -> {
                var p = Presets.load(preset);
                yield new ProfileSuite(p, sparsity, batch == null ? p.training().batchSize() : batch, tinyBatch, tinySeqLen);
            }
            default -> throw new IllegalStateException("unhandled suite " + name);
        };
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
