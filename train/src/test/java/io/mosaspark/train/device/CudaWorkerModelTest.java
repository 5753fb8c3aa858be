package io.mosaspark.train.device;

import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.preset.Presets;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.outer.OuterConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What of the CUDA worker model needs no GPU: its precision rule and what the build carries. */
class CudaWorkerModelTest {

    private static TrainConfig run(String precision) {
        var p = Presets.load("cpu-demo");
        TrainingConfig t = p.training().withSteps(2);
        return new TrainConfig(p.dense(), t, precision, 1, 1, 2, OuterConfig.averaging(), 0, 0, 0, 1, 2);
    }

    @AfterEach
    void clear() {
        System.clearProperty(CudaWorkerModel.PRECISION_PROPERTY);
    }

    @Test
    void float32RunsTakeTf32ProductsUnlessAsked() {
        assertEquals("tf32", CudaWorkerModel.precision(run("float32")));
        System.setProperty(CudaWorkerModel.PRECISION_PROPERTY, "bf16");
        assertEquals("bf16", CudaWorkerModel.precision(run("float32")));
        System.setProperty(CudaWorkerModel.PRECISION_PROPERTY, " Float32 ");
        assertEquals("float32", CudaWorkerModel.precision(run("float32")));
        // float64 runs stay float64 whatever the property says: the property chooses products of float32 runs
        System.setProperty(CudaWorkerModel.PRECISION_PROPERTY, "bf16");
        assertEquals("float64", CudaWorkerModel.precision(run("float64")));
    }

    @Test
    void anUnknownPrecisionIsRefusedNamingTheProperty() {
        System.setProperty(CudaWorkerModel.PRECISION_PROPERTY, "fp8");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaWorkerModel.precision(run("float32")));
        assertTrue(e.getMessage().contains("-Dmosa.cuda.precision=fp8") && e.getMessage().contains("bf16"), e.getMessage());
    }

    @Test
    void theBackendNeedsTheCudaBindingsBesidesItsOwnClasses() {
        // train compiles against mosa-cuda's classes without JavaCPP's CUDA bindings (excluded in its pom):
        // the backend is not selectable then, so a task never reaches a class that cannot load
        assertTrue(classPresent("io.mosaspark.cuda.GpuTrainer"));
        assertFalse(classPresent("org.bytedeco.cuda.global.cublas"));
        assertFalse(CudaCompatibility.mosaCudaOnClasspath());
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, CudaWorkerModelTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
