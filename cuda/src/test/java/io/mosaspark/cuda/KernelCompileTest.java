package io.mosaspark.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels compiled without a GPU: NVRTC comes only with NVIDIA's CUDA toolkit, which Debian's main
 * archive does not carry, but clang compiles CUDA itself. Both of the backend's programs ({@code real} = float and
 * double) are compiled by clang for sm_80 into PTX, with {@code nvrtc-prelude.h} standing in for what NVRTC
 * declares on its own. That catches what would otherwise surface only on a GPU host: a misspelt variable, a
 * type error, a missing overload. The PTX's entry points then pin the host's side: every kernel
 * {@link KernelSource#kernelNames()} lists is a C entry point, and every launch, the fused attention's
 * computed names included, passes as many arguments as its entry declares.
 *
 * <p>Not checked here: the inline PTX ({@code mma.sync}, which only ptxas reads) and NVRTC's own dialect.
 * The GPU run compiles with NVRTC (docs/gpu.md). Needs clang ({@code MOSA_CLANG}, else {@code clang-16} or
 * {@code clang} on the PATH; .ci/run installs Debian's clang-16).
 */
class KernelCompileTest {

    private static final Pattern ENTRY = Pattern.compile("\\.entry (\\w+)\\(([^)]*)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"float", "double"})
    void theKernelsCompileAndEveryLaunchMatchesItsEntryPoint(String real, @TempDir Path dir)
            throws IOException, InterruptedException {
        String clang = clang().orElse(null);
        Assumptions.assumeTrue(clang != null, "no clang: set MOSA_CLANG or install clang-16 (.ci/run does)");
        Path source = Files.writeString(dir.resolve("mosa.cu"), KernelSource.text());
        Path prelude = dir.resolve("nvrtc-prelude.h");
        try (InputStream in = KernelCompileTest.class.getResourceAsStream("nvrtc-prelude.h")) {
            Files.write(prelude, in.readAllBytes());
        }
        Path ptx = dir.resolve("mosa.ptx");
        // sm_80, the oldest architecture on which every kernel here compiles (the fused attention's TF32 and BF16
        // mma.sync), which clang 14 already knows (sm_90 needs clang 16); PTX 7.0 at least, which the *_sync
        // intrinsics need and which clang assumes only from a CUDA installation it found
        Process p = new ProcessBuilder(clang, "-x", "cuda", "--cuda-device-only", "--cuda-gpu-arch=sm_80", "-nocudainc",
                "-nocudalib", "-std=c++17", "-Wno-unknown-cuda-version", "-Xclang", "-target-feature", "-Xclang", "+ptx70",
                "-include", prelude.toString(), "-Dreal=" + real, "-S", "-o", ptx.toString(), source.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "clang did not finish in 120 s");
        assertEquals(0, p.exitValue(), "clang could not compile the kernels (real = " + real + "):\n" + log);

        Map<String, Integer> entries = new TreeMap<>();
        Matcher m = ENTRY.matcher(Files.readString(ptx));
        while (m.find()) entries.put(m.group(1), (int) m.group(2).lines().filter(l -> l.contains(".param")).count());
        assertEquals(KernelSource.kernelNames(), entries.keySet(), "the C entry points of the PTX");
        int stems = 0;
        for (KernelLaunchSites.Launch l : KernelLaunchSites.all()) {
            List<String> launched = entries.keySet().stream().filter(l::launches).toList();
            assertTrue(!launched.isEmpty(), l.file() + " launches " + l.kernel() + ", which the PTX lacks");
            for (String name : launched) {
                assertEquals(entries.get(name), l.passed(), l.file() + ": launch of " + name + " with " + l.arguments());
            }
            if (l.stem()) stems++;
        }
        assertEquals(3, stems, "the fused attention's forward and two backward launches");
    }

    private static Optional<String> clang() {
        String set = System.getenv("MOSA_CLANG");
        if (set != null && !set.isBlank()) return Optional.of(set);
        for (String name : new String[]{"clang-16", "clang"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Optional.of(Path.of(dir, name).toString());
            }
        }
        return Optional.empty();
    }
}
