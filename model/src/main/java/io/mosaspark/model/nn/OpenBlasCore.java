package io.mosaspark.model.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the OpenBLAS kernel choice that ND4J's CPU backend inherits from the environment.
 * {@code OPENBLAS_CORETYPE} overrides OpenBLAS's own CPU detection when the library loads. Set to a
 * pre-AVX-512 core (this project's build machines export {@code OPENBLAS_CORETYPE=Haswell} to every
 * process) on an AVX-512 CPU, it forces the AVX2 kernels: a cpu-demo training step was 1.3× slower
 * than with the variable unset, where OpenBLAS picked its AVX-512 (Cooper Lake) kernels itself.
 *
 * <p>Unset, OpenBLAS 0.3.21 (ND4J M2.1's) picks its kernels from the CPU's family and model, and a model
 * newer than its table gets the SSE3 "Prescott" kernels: on an AVX-512 Xeon of family 6, model 207
 * (0xCF), a cpu-demo step took 190 ms unset and 104–117 ms with {@code OPENBLAS_CORETYPE=SkylakeX}.
 * Those models are listed in {@link #NEWER_THAN_OPENBLAS} as they are measured; the variable is not set
 * for the user, since it must be set before the library loads and an executor's CPU may differ.
 *
 * <p>The setting is respected (it may be deliberate, e.g. to match another machine's numerics);
 * {@link #advice()} says what it costs, for logs and benchmark results.
 */
public final class OpenBlasCore {

    public static final String ENV = "OPENBLAS_CORETYPE";
    /** The AVX-512 subsets OpenBLAS's SkylakeX and later kernels use. */
    static final Set<String> AVX512_FLAGS = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    /** OpenBLAS x86-64 core names whose kernels use AVX-512. */
    static final Set<String> AVX512_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");
    /** Intel family-6 models with AVX-512 that OpenBLAS 0.3.21 does not know (it runs SSE3 kernels there). */
    static final Set<Integer> NEWER_THAN_OPENBLAS = Set.of(0xCF);

    private OpenBlasCore() {
    }

    /** A warning for logs when the environment holds this JVM's OpenBLAS below what the CPU can run, else empty. */
    public static Optional<String> advice() {
        List<String> cpuinfo = firstCpu(Path.of("/proc/cpuinfo"));
        return advice(System.getenv(ENV), cpuFlags(cpuinfo), intelModel(cpuinfo));
    }

    /** As {@link #advice()} for an Intel family-6 CPU of {@code model} (−1: another vendor or family, or unknown). */
    static Optional<String> advice(String core, Set<String> cpuFlags, int model) {
        boolean unset = core == null || core.isBlank();
        if (unset && cpuFlags.containsAll(AVX512_FLAGS) && NEWER_THAN_OPENBLAS.contains(model)) {
            return Optional.of(ENV + " is unset and OpenBLAS 0.3.21 (ND4J's matrix products) does not know this CPU "
                    + "(Intel family 6, model " + model + "), so it runs its SSE3 kernels; export " + ENV + "=SkylakeX "
                    + "before starting the JVM (executors: spark.executorEnv." + ENV + ") for its AVX-512 kernels "
                    + "(1.6-1.8x faster cpu-demo training steps measured)");
        }
        if (unset || !cpuFlags.containsAll(AVX512_FLAGS) || AVX512_CORES.contains(core.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(ENV + "=" + core + " in the environment makes OpenBLAS (ND4J's matrix products) use "
                + core + " kernels on this AVX-512 CPU; unset it to let OpenBLAS pick its AVX-512 kernels "
                + "(1.3x faster cpu-demo training steps measured)");
    }

    /** The model of the first CPU of a cpuinfo file if it is Intel family 6, else −1. */
    static int intelModel(Path cpuinfo) {
        return intelModel(firstCpu(cpuinfo));
    }

    private static int intelModel(List<String> firstCpu) {
        boolean intel6 = field(firstCpu, "vendor_id").equals("GenuineIntel") && field(firstCpu, "cpu family").equals("6");
        try {
            return intel6 ? Integer.parseInt(field(firstCpu, "model")) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The words of the first "flags" line of a cpuinfo file; empty when there is none (not Linux, unreadable). */
    static Set<String> cpuFlags(Path cpuinfo) {
        return cpuFlags(firstCpu(cpuinfo));
    }

    private static Set<String> cpuFlags(List<String> firstCpu) {
        String flags = field(firstCpu, "flags");
        return flags.isEmpty() ? Set.of() : Stream.of(flags.split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }

    /** The lines of a cpuinfo file up to the end of its first CPU's block (all of them: empty if unreadable). */
    private static List<String> firstCpu(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.takeWhile(l -> !l.isBlank()).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The value of the first line "name : value", or "". */
    private static String field(List<String> lines, String name) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals(name)) return l.substring(colon + 1).trim();
        }
        return "";
    }
}
