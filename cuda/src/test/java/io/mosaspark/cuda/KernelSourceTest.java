package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the kernels without a GPU: the jar carries the source, and every kernel the
 * host code launches by name is defined there (a typo would otherwise surface only on a GPU host as
 * "named symbol not found"). That the source compiles, and that every launch passes its kernel's argument
 * count, is checked by {@link KernelCompileTest} with clang, and with NVRTC on the GPU host by every run
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
