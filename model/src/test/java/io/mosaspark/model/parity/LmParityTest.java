package io.mosaspark.model.parity;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class LmParityTest {

    static final Path TINY = Path.of(System.getProperty("parity.dir", "src/test/resources/parity"), "mosa_lm_tiny.safetensors");

    @Test
    void matchesReferenceInDouble() throws Exception {
        ParityReport r = LmParity.check(TINY, DataType.DOUBLE);
        System.out.println(r);
        assertTrue(r.passed(), r.toString());
        assertEquals(2 + 2 * 11 + 4, r.tensors().size(), "logits, loss and every parameter's gradient");
        assertTrue(r.maxAbs() <= 1e-9, "max abs error " + r.maxAbs());
    }

    @Test
    void refusesFilesOfAnotherKind() {
        Path layerFile = TINY.resolveSibling("mosa_layer_basic.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LmParity.check(layerFile, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("mosa_attention_layer") && e.getMessage().contains("'mosa_lm'"), e.getMessage());
    }

    @Test
    void matchesReferenceInFloat() throws Exception {
        ParityReport r = LmParity.check(TINY, DataType.FLOAT);
        System.out.println(r);
        assertTrue(r.passed(), r.toString());
    }
}
