package io.mosaspark.model.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsTest {

    static Path parity(String name) {
        return Paths.get(System.getProperty("parity.dir", "src/test/resources/parity")).resolve(name);
    }

    @Test
    void readsParityFileHeaderAndTensors() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(parity("mosa_layer_basic.safetensors"));
        assertEquals("mosa_attention_layer", c.metadata().get("kind"));
        SafeTensors.Tensor input = c.require("input");
        assertEquals("F64", input.dtype());
        assertEquals(3, input.shape().length);
        assertEquals("I64", c.require("selected_indices").dtype());
    }

    @Test
    void roundTripIsExactInBothPrecisions(@TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(7);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("a.weight", Nd4j.rand(DataType.DOUBLE, 3, 5));
        t.put("b", Nd4j.rand(DataType.FLOAT, 2, 2, 2));
        t.put("idx", Nd4j.createFromArray(new long[]{1, 5, 9}));
        Path f = dir.resolve("x.safetensors");
        SafeTensors.write(f, t, Map.of("config", "{\"a\":1}"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals("{\"a\":1}", c.metadata().get("config"));
        assertEquals(t.get("a.weight"), c.require("a.weight", DataType.DOUBLE, 3, 5));
        assertEquals(t.get("b"), c.require("b", DataType.FLOAT, 2, 2, 2));
        assertArrayEquals(new long[]{1, 5, 9}, c.require("idx").toLongs());
    }

    @Test
    void wrongShapeAndMissingTensorNameTheProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("y.safetensors");
        SafeTensors.write(f, Map.of("w", Nd4j.zeros(DataType.DOUBLE, 2, 3)), Map.of());
        SafeTensors.Contents c = SafeTensors.read(f);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> c.require("w", DataType.DOUBLE, 3, 2));
        assertTrue(shape.getMessage().contains("'w'") && shape.getMessage().contains("[2, 3]"), shape.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> c.require("v"));
        assertTrue(missing.getMessage().contains("'v' is missing"), missing.getMessage());
    }

    @Test
    void truncatedFileIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[]{1, 0, 0, 0, 0, 0, 0, 0});
        assertThrows(java.io.IOException.class, () -> SafeTensors.read(f));
    }
}
