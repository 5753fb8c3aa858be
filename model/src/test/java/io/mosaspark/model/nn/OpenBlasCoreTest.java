package io.mosaspark.model.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasCoreTest {

    @Test
    void skylakeKernelsOnlyWhenEveryAvx512SubsetIsThere(@TempDir Path dir) throws Exception {
        Path zen4 = dir.resolve("zen4");
        Files.writeString(zen4, "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        assertEquals(Optional.of("SKYLAKEX"), OpenBlasCore.recommendedFor(OpenBlasCore.cpuFlags(zen4)));

        Path avx2 = dir.resolve("haswell");
        Files.writeString(avx2, "flags\t\t: fpu sse2 avx2 fma avx512f avx512cd\n");   // no BW/DQ/VL: the kernels would crash
        assertEquals(Optional.empty(), OpenBlasCore.recommendedFor(OpenBlasCore.cpuFlags(avx2)));

        assertEquals(Set.of(), OpenBlasCore.cpuFlags(dir.resolve("missing")));
        assertEquals(Optional.empty(), OpenBlasCore.recommendedFor(Set.of()));
    }

    @Test
    void adviceNamesTheVariableWhenItWouldHelp() {
        OpenBlasCore.advice().ifPresent(a -> assertTrue(a.contains("OPENBLAS_CORETYPE=SKYLAKEX"), a));
        if (System.getenv(OpenBlasCore.ENV) == null && OpenBlasCore.recommended().isPresent()) {
            assertTrue(OpenBlasCore.advice().isPresent());
        }
    }
}
