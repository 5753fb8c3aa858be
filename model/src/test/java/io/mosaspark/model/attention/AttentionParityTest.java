package io.mosaspark.model.attention;

import io.mosaspark.model.parity.ParityReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batched layer reproduces the reference implementation's vectors (docs/parity.md). */
class AttentionParityTest {

    static Path parity(String name) {
        return Paths.get(System.getProperty("parity.dir", "src/test/resources/parity")).resolve(name + ".safetensors");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosa_layer_basic", "mosa_layer_include_first", "mosa_layer_pure"})
    void float64MatchesReferenceTo1e9(String file) throws Exception {
        ParityReport r = AttentionParity.check(parity(file), DataType.DOUBLE);
        System.out.print(r);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.maxAbs() <= 1e-9, r.toString());
        assertEquals(0.0, r.tensor("selected_indices").maxAbs(), r.toString());
        // every gradient the file has was compared (output, input grad, params, indices)
        assertEquals(file.equals("mosa_layer_pure") ? 6 : 8, r.tensors().size(), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosa_layer_basic", "mosa_layer_include_first", "mosa_layer_pure"})
    void float32MatchesReferenceTo1e4Relative(String file) throws Exception {
        ParityReport r = AttentionParity.check(parity(file), DataType.FLOAT);
        System.out.print(r);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.maxRel() <= 1e-4, r.toString());
    }
}
