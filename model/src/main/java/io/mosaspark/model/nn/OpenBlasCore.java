package io.mosaspark.model.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which OpenBLAS kernels ND4J's CPU backend should use. The OpenBLAS 0.3.21 that ND4J 1.0.0-M2.1
 * ships (javacpp 1.5.8) classifies AVX-512 CPUs with bf16, such as AMD EPYC Zen 4, as Cooper Lake
 * and then runs its Haswell (AVX2) sgemm kernels there; forcing the SkylakeX kernels with the
 * environment variable {@code OPENBLAS_CORETYPE=SKYLAKEX} made a cpu-demo training step 1.23×
 * faster on such a machine (PyTorch with Debian's OpenBLAS was unaffected by the same setting).
 *
 * <p>OpenBLAS reads the variable once, when the library loads, so it must be in the environment of
 * the JVM before ND4J starts: the {@code mosa} launcher and the benchmark's child JVMs set it from
 * {@link #recommended()}; Spark executors take {@code spark.executorEnv.OPENBLAS_CORETYPE} (see
 * conf/spark/cluster-cpu.conf). Setting it on a CPU without these instructions crashes the JVM
 * (illegal instruction), which is why it is derived from the CPU's flags, never assumed.
 */
public final class OpenBlasCore {

    public static final String ENV = "OPENBLAS_CORETYPE";
    public static final String SKYLAKEX = "SKYLAKEX";
    /** The AVX-512 subsets OpenBLAS's SkylakeX kernels use (its own cpuid check for that core). */
    static final Set<String> SKYLAKEX_FLAGS = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private OpenBlasCore() {
    }

    /** {@link #SKYLAKEX} when this (Linux) CPU has every flag its kernels need, else empty. */
    public static Optional<String> recommended() {
        return recommendedFor(cpuFlags(Path.of("/proc/cpuinfo")));
    }

    static Optional<String> recommendedFor(Set<String> flags) {
        return flags.containsAll(SKYLAKEX_FLAGS) ? Optional.of(SKYLAKEX) : Optional.empty();
    }

    /** The core type a child JVM should get: this process's own setting if any, else {@link #recommended()}. */
    public static Optional<String> forChild() {
        String own = System.getenv(ENV);
        return own != null && !own.isBlank() ? Optional.of(own) : recommended();
    }

    /**
     * A hint for logs when this JVM runs without the setting on a CPU that would benefit, else empty.
     */
    public static Optional<String> advice() {
        String own = System.getenv(ENV);
        if (own != null && !own.isBlank()) return Optional.empty();
        return recommended().map(core -> "OpenBLAS may be using its AVX2 kernels on this AVX-512 CPU: start the JVM with "
                + ENV + "=" + core + " in its environment for faster matrix products (1.2x per training step measured;"
                + " the mosa launcher does this, Spark executors take spark.executorEnv." + ENV + ")");
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
