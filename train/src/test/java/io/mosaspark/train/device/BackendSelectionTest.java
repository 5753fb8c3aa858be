package io.mosaspark.train.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendSelectionTest {
    private static final Double H100 = 9.0, B200 = 10.0, ADA = 8.9, A100 = 8.0, V100 = 7.0, T4 = 7.5;

    private static TrainingBackend auto(Double cc, boolean nd4jCuda, boolean mosaCuda) {
        return BackendSelection.choose(cc, null, nd4jCuda, mosaCuda).backend();
    }

    @Test
    void automaticChoiceFollowsComputeCapability() {
        assertEquals(TrainingBackend.ND4J_CPU, auto(null, true, true));
        assertEquals(TrainingBackend.MOSA_CUDA, auto(H100, true, true));
        assertEquals(TrainingBackend.MOSA_CUDA, auto(B200, false, true));
        assertEquals(TrainingBackend.ND4J_CUDA, auto(ADA, true, true));
        assertEquals(TrainingBackend.ND4J_CUDA, auto(A100, true, true));
        // a GPU this build has no backend for is ignored, as the CPU build always did
        assertEquals(TrainingBackend.ND4J_CPU, auto(A100, false, true));
        assertEquals(TrainingBackend.ND4J_CPU, auto(H100, false, false));
    }

    @Test
    void hopperWithOnlyNd4jCudaIsRefusedNamingTheCudaBackend() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> auto(H100, true, false));
        assertTrue(e.getMessage().contains("compute capability 9.0") && e.getMessage().contains("mosa-cuda"), e.getMessage());
    }

    @Test
    void requestsAreHonouredOrRefusedNeverReplaced() {
        assertEquals(TrainingBackend.MOSA_CUDA, BackendSelection.choose(A100, TrainingBackend.MOSA_CUDA, true, true).backend());
        assertEquals(TrainingBackend.MOSA_CUDA, BackendSelection.choose(T4, TrainingBackend.MOSA_CUDA, false, true).backend());
        assertEquals(TrainingBackend.ND4J_CPU, BackendSelection.choose(H100, TrainingBackend.ND4J_CPU, true, true).backend());
        assertThrows(IllegalStateException.class, () -> BackendSelection.choose(V100, TrainingBackend.MOSA_CUDA, true, true));
        assertThrows(IllegalStateException.class, () -> BackendSelection.choose(H100, TrainingBackend.ND4J_CUDA, true, true));
        assertThrows(IllegalStateException.class, () -> BackendSelection.choose(A100, TrainingBackend.ND4J_CUDA, false, true));
        assertThrows(IllegalStateException.class, () -> BackendSelection.choose(H100, TrainingBackend.MOSA_CUDA, true, false));
        IllegalStateException noGpu = assertThrows(IllegalStateException.class,
                () -> BackendSelection.choose(null, TrainingBackend.MOSA_CUDA, true, true));
        assertTrue(noGpu.getMessage().contains("spark.task.resource.gpu.amount"), noGpu.getMessage());
    }

    @Test
    void requestSpellings() {
        assertNull(TrainingBackend.parseRequest("auto"));
        assertNull(TrainingBackend.parseRequest(null));
        assertEquals(TrainingBackend.MOSA_CUDA, TrainingBackend.parseRequest("MOSA-CUDA"));
        assertEquals(TrainingBackend.ND4J_CPU, TrainingBackend.parseRequest("cpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingBackend.parseRequest("gpu"));
        assertTrue(e.getMessage().contains("mosa-cuda"));
    }
}
