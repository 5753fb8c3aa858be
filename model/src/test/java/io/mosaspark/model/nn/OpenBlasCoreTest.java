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
        Optional<String> forced = OpenBlasCore.advice("Haswell", avx512, -1);
        assertTrue(forced.isPresent() && forced.get().contains("OPENBLAS_CORETYPE=Haswell") && forced.get().contains("unset it"),
                forced.toString());
        assertEquals(Optional.empty(), OpenBlasCore.advice(null, avx512, -1), "unset: OpenBLAS detects the CPU itself");
        assertEquals(Optional.empty(), OpenBlasCore.advice("", avx512, -1));
        assertEquals(Optional.empty(), OpenBlasCore.advice("SkylakeX", avx512, -1));
        assertEquals(Optional.empty(), OpenBlasCore.advice("COOPERLAKE", avx512, -1));

        Path avx2 = dir.resolve("haswell");
        Files.writeString(avx2, "flags\t\t: fpu sse2 avx2 fma avx512f avx512cd\n");    // no BW/DQ/VL: Haswell is right
        assertEquals(Optional.empty(), OpenBlasCore.advice("Haswell", OpenBlasCore.cpuFlags(avx2), -1));
        assertEquals(Set.of(), OpenBlasCore.cpuFlags(dir.resolve("missing")));
    }

    @Test
    void warnsWhenUnsetOnAnAvx512CpuNewerThanOpenBlasKnows(@TempDir Path dir) throws Exception {
        Path emerald = dir.resolve("cpuinfo");
        Files.writeString(emerald, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 207\n"
                + "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu avx2 avx512f avx512dq avx512cd avx512bw avx512vl\n");
        int model = OpenBlasCore.intelModel(emerald);
        assertEquals(207, model);
        Optional<String> unset = OpenBlasCore.advice(null, OpenBlasCore.cpuFlags(emerald), model);
        assertTrue(unset.isPresent() && unset.get().contains("OPENBLAS_CORETYPE=SkylakeX") && unset.get().contains("model 207"),
                unset.toString());
        assertEquals(Optional.empty(), OpenBlasCore.advice("SkylakeX", OpenBlasCore.cpuFlags(emerald), model), "already set");
        assertEquals(Optional.empty(), OpenBlasCore.advice(null, OpenBlasCore.cpuFlags(emerald), 0x55), "a model OpenBLAS knows");
        assertEquals(Optional.empty(), OpenBlasCore.advice(null, Set.of("avx2"), model), "no AVX-512: SkylakeX would not run");

        Path amd = dir.resolve("amd");
        Files.writeString(amd, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 207\n");
        assertEquals(-1, OpenBlasCore.intelModel(amd));
        assertEquals(-1, OpenBlasCore.intelModel(dir.resolve("missing")));
    }
}
