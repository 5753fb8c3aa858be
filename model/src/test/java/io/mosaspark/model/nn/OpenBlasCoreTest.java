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
    void warnsOnlyWhenAnOlderCoreIsForcedOnAnAvx512Cpu(@TempDir Path dir) throws Exception {
        Path zen = dir.resolve("zen");
        Files.writeString(zen, "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16\n"
                + "processor\t: 1\nflags\t\t: fpu\n");
        Set<String> avx512 = OpenBlasCore.cpuFlags(zen);
        Optional<String> forced = OpenBlasCore.advice("Haswell", avx512);
        assertTrue(forced.isPresent() && forced.get().contains("OPENBLAS_CORETYPE=Haswell") && forced.get().contains("unset it"),
                forced.toString());
        assertEquals(Optional.empty(), OpenBlasCore.advice(null, avx512), "unset: OpenBLAS detects the CPU itself");
        assertEquals(Optional.empty(), OpenBlasCore.advice("", avx512));
        assertEquals(Optional.empty(), OpenBlasCore.advice("SkylakeX", avx512));
        assertEquals(Optional.empty(), OpenBlasCore.advice("COOPERLAKE", avx512));

        Path avx2 = dir.resolve("haswell");
        Files.writeString(avx2, "flags\t\t: fpu sse2 avx2 fma avx512f avx512cd\n");    // no BW/DQ/VL: Haswell is right
        assertEquals(Optional.empty(), OpenBlasCore.advice("Haswell", OpenBlasCore.cpuFlags(avx2)));
        assertEquals(Set.of(), OpenBlasCore.cpuFlags(dir.resolve("missing")));
    }
}
