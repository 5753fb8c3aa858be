package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.Suite;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of the model suites (mixed into {@code mosa bench}) and the suites they make. Every
 * measurement runs in a fresh child JVM with {@code --threads} threads, and every suite measures its
 * baseline in the same run.
 */
public final class ModelSuiteOptions {

    public static final List<String> SUITES = List.of("attention-scaling", "tiny-step", "throughput", "gemm", "profile");
    /** What {@code mosa bench} runs when no suite is named: the three with a target. */
    public static final List<String> DEFAULT = SUITES.subList(0, 3);

    @Option(names = "--warmup", description = "model suites: untimed runs before timing (default: ${DEFAULT-VALUE})")
    int warmup = 2;

    @Option(names = "--threads", description = "model suites: ND4J/OpenBLAS threads and PyTorch threads (default: ${DEFAULT-VALUE})")
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

    public int threads() {
        return threads;
    }

    /** The settings these options give every suite that times in child JVMs, with {@code repeats} timed runs. */
    public BenchOptions benchOptions(int repeats) {
        return new BenchOptions(warmup, repeats, threads, new ChildJvm(heap, offHeap, threads, timeoutS), python, torchScript);
    }

    /**
     * The suite {@code name} (one of {@link #SUITES}) as these options and {@code repeats} timed runs set it up.
     *
     * @throws IllegalArgumentException an option value is out of range or the preset is unknown (the message names it)
     */
    public Suite suite(String name, int repeats) {
        BenchOptions o = benchOptions(repeats);
        return switch (name) {
            case "attention-scaling" -> new AttentionScalingSuite(o, 8, 256, 64, 1, minT, maxT, mosaMaxT);
            case "tiny-step" -> new TinyStepSuite(o, tinyBatch, tinySeqLen);
            case "throughput" -> {
                Preset p = Presets.load(preset);
                yield new ThroughputSuite(o, p, sparsity, batch == null ? p.training().batchSize() : batch, rounds);
            }
            case "gemm" -> new GemmSuite(o);
            case "profile" -> {
                Preset p = Presets.load(preset);
                yield new ProfileSuite(o, p, sparsity, batch == null ? p.training().batchSize() : batch, tinyBatch, tinySeqLen);
            }
            default -> throw new IllegalArgumentException("'" + name + "' is not a model suite; valid: " + String.join(", ", SUITES));
        };
    }
}
