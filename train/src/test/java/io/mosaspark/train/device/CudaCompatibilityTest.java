package io.mosaspark.train.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading each GPU's compute capability, from which the backend is chosen (BackendSelection). */
class CudaCompatibilityTest {

    @TempDir
    Path tmp;

    /** An nvidia-smi stand-in that prints what the real one prints for these GPUs. */
    private CudaCompatibility machineWith(String csv) throws Exception {
        Path smi = tmp.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\ncat <<'EOF'\n" + csv + "EOF\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new CudaCompatibility(smi.toString());
    }

    @Test
    void hopperOnTheNd4jCudaBuildIsRefusedWithWhatToDo() throws Exception {
        CudaCompatibility h100 = machineWith("0, NVIDIA H100 80GB HBM3, 9.0\n1, NVIDIA H100 80GB HBM3, 9.0\n");
        double cc = h100.computeCapability("1");
        assertEquals(9.0, cc);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BackendSelection.choose(cc, null, true, false));
        assertTrue(e.getMessage().startsWith("the GPU has compute capability 9.0"), e.getMessage());
        assertTrue(e.getMessage().contains("sm_37 to sm_86 and no PTX"), e.getMessage());
    }

    @Test
    void eachAddressGetsItsOwnGpusCapability() throws Exception {
        CudaCompatibility mixed = machineWith("0, NVIDIA A100-SXM4-40GB, 8.0\n1, NVIDIA L4, 8.9\n2, NVIDIA H200, 9.0\n");
        assertEquals(TrainingBackend.ND4J_CUDA, BackendSelection.choose(mixed.computeCapability("0"), null, true, true).backend());
        assertEquals(TrainingBackend.ND4J_CUDA, BackendSelection.choose(mixed.computeCapability("1"), null, true, true).backend());
        assertEquals(TrainingBackend.MOSA_CUDA, BackendSelection.choose(mixed.computeCapability("2"), null, true, true).backend());
        assertEquals(List.of(new CudaCompatibility.Gpu("0", "NVIDIA A100-SXM4-40GB", 8.0),
                new CudaCompatibility.Gpu("1", "NVIDIA L4", 8.9),
                new CudaCompatibility.Gpu("2", "NVIDIA H200", 9.0)), mixed.gpus());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mixed.computeCapability("3"));
        assertTrue(e.getMessage().contains("GPU 3 is not among"), e.getMessage());
    }

    @Test
    void aMachineWithoutNvidiaSmiIsAClearError() {
        CudaCompatibility none = new CudaCompatibility(tmp.resolve("no-such-nvidia-smi").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.computeCapability("0"));
        assertTrue(e.getMessage().contains("cannot read the compute capability of GPU 0"), e.getMessage());
    }

    @Test
    void theDefaultBuildHasNoCudaBackend() {
        assertFalse(CudaCompatibility.cudaBackendOnClasspath());
        assertFalse(CudaCompatibility.mosaCudaOnClasspath());
    }
}
