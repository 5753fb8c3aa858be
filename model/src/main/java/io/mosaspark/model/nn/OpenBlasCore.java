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
 * <p>The setting is respected (it may be deliberate, e.g. to match another machine's numerics);
 * {@link #advice()} says what it costs, for logs and benchmark results.
 */
public final class OpenBlasCore {

    public static final String ENV = "OPENBLAS_CORETYPE";
    /** The AVX-512 subsets OpenBLAS's SkylakeX and later kernels use. */
    static final Set<String> AVX512_FLAGS = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    /** OpenBLAS x86-64 core names whose kernels use AVX-512. */
    static final Set<String> AVX512_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");

    private OpenBlasCore() {
    }

    /** A warning for logs when the environment holds this JVM's OpenBLAS below what the CPU can run, else empty. */
    public static Optional<String> advice() {
        return advice(System.getenv(ENV), cpuFlags(Path.of("/proc/cpuinfo")));
    }

    static Optional<String> advice(String core, Set<String> cpuFlags) {
        if (core == null || core.isBlank() || !cpuFlags.containsAll(AVX512_FLAGS)
                || AVX512_CORES.contains(core.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(ENV + "=" + core + " in the environment makes OpenBLAS (ND4J's matrix products) use "
                + core + " kernels on this AVX-512 CPU; unset it to let OpenBLAS pick its AVX-512 kernels "
                + "(1.3x faster cpu-demo training steps measured)");
    }

    /** The words of the first "flags" line of a cpuinfo file; empty when there is none (not Linux, unreadable). */
    static Set<String> cpuFlags(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            List<String> flags = lines.filter(l -> l.startsWith("flags")).limit(1).toList();
            if (flags.isEmpty()) return Set.of();
            String values = flags.get(0).substring(flags.get(0).indexOf(':') + 1);
            return Stream.of(values.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
