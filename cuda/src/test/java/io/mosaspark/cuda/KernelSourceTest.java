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
        Pattern launch = Pattern.compile("launch(?:2d)?\\(\"(\\w+)\"");
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/mosaspark/cuda"))) {
            for (Path p : sources.toList()) {
                Matcher m = launch.matcher(Files.readString(p));
                while (m.find()) launched.add(m.group(1));
            }
        }
        assertTrue(launched.size() >= 20, "found the launches: " + launched);
        assertEquals(defined, launched);
    }

    @Test
    void theSourceIsCompiledForEitherPrecisionByOneMacro() {
        String src = KernelSource.text();
        assertTrue(src.contains("#ifndef real"), "kernels.cu must take its element type from -Dreal=");
        assertEquals("double", Precision.FLOAT64.cType);
        assertEquals("float", Precision.TF32.cType);
    }
}
