package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the kernels without a GPU: the jar carries the source, and every kernel the
 * host code launches by name is defined there (a typo would otherwise surface only on a GPU host as
 * "named symbol not found"), and every launch passes its kernel's argument count. That the source
 * compiles is checked by {@link KernelCompileTest} with clang, and with NVRTC on the GPU host by every run
 * (docs/gpu.md): JavaCPP's NVRTC bindings link against the CUDA runtime and driver, which CI lacks.
 */
class KernelSourceTest {

    @Test
    void everyLaunchedKernelIsDefinedAndNoneIsUnused() throws IOException {
        Set<String> defined = KernelSource.kernelNames();
        Set<String> launched = new TreeSet<>();
        // launch("name", …); the fused attention's kernels, one per input type and head dim, it names itself
        for (KernelLaunchSites.Launch l : KernelLaunchSites.all()) if (!l.stem()) launched.add(l.kernel());
        assertTrue(launched.size() >= 20, "found the launches: " + launched);
        Set<String> fused = FlashAttention.kernelNames();
        assertTrue(fused.contains("flash_bwd_kv_tf32_64") && fused.contains("flash_fwd_bf16_16") && !fused.contains("flash_fwd_bf16_8"),
                "the fused kernels: " + fused);
        launched.addAll(fused);
        assertEquals(defined, launched);
    }

    /**
     * Every launch of a kernel by its literal name passes exactly its C signature's parameter count
     * ({@link KernelLaunchSites}); the fused attention's, whose names are computed, are checked against the
     * compiled kernels by {@link KernelCompileTest}.
     */
    @Test
    void everyLaunchPassesAsManyArgumentsAsItsKernelDeclares() throws IOException {
        Map<String, Integer> declared = new TreeMap<>();
        Matcher sig = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(([^)]*)\\)").matcher(KernelSource.text());
        while (sig.find()) declared.put(sig.group(1), KernelLaunchSites.topLevelArguments(sig.group(2)).size());
        assertEquals(4, declared.get("gelu_fwd"), "the signature parser: gelu_fwd(a, y, y16, n)");
        int checked = 0;
        for (KernelLaunchSites.Launch l : KernelLaunchSites.all()) {
            if (l.stem()) continue;
            assertEquals(declared.get(l.kernel()), l.passed(), l.file() + ": launch of " + l.kernel() + " with " + l.arguments());
            checked++;
        }
        assertTrue(checked >= 30, "found the launches: " + checked);
    }

    @Test
    void theSourceIsCompiledForEitherPrecisionByOneMacro() {
        String src = KernelSource.text();
        assertTrue(src.contains("#ifndef real"), "kernels.cu must take its element type from -Dreal=");
        for (String file : KernelSource.FILES) {
            assertTrue(src.contains("#line 1 \"" + file + "\""), "NVRTC's messages must name " + file);
        }
        assertEquals("double", Precision.FLOAT64.cType);
        assertEquals("float", Precision.TF32.cType);
    }
}
