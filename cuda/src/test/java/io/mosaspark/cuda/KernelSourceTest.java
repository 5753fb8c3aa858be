package io.mosaspark.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the kernels without a GPU: the jar carries the source, and every kernel the
 * host code launches by name is defined there (a typo would otherwise surface only on a GPU host as
 * "named symbol not found"). That NVRTC compiles the source is checked on the GPU host by every run
 * (docs/gpu.md): JavaCPP's NVRTC bindings link against the CUDA runtime and driver, which CI lacks.
 */
class KernelSourceTest {

    @Test
    void everyLaunchedKernelIsDefinedAndNoneIsUnused() throws IOException {
        Set<String> defined = KernelSource.kernelNames();
        Set<String> launched = new TreeSet<>();
        // launch("name", …); the fused attention's kernels, one per input type and head dim, it names itself
        Pattern launch = Pattern.compile("launch(?:2d)?\\(\"(\\w+)\",");
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/mosaspark/cuda"))) {
            for (Path p : sources.toList()) {
                String text = Files.readString(p);
                Matcher m = launch.matcher(text);
                while (m.find()) launched.add(m.group(1));
            }
        }
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
