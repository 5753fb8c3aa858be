package io.mosaspark.model.io;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.parity.TensorError;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checkpoints written by the first version of the LM (src/test/resources/lm, made with
 * {@code LmZip}/{@code LmSafeTensors} from a 2-block hybrid model after 3 Adam steps) must keep
 * loading and give the logits recorded next to them. A renamed layer class, parameter key or
 * config field breaks this test before it breaks a user's checkpoint.
 */
class SavedLmCompatibilityTest {

    private static Path resource(String name) throws Exception {
        return Path.of(SavedLmCompatibilityTest.class.getResource("/lm/" + name).toURI());
    }

    private static void assertExpectedLogits(ComputationGraph g) throws Exception {
        SafeTensors.Contents expected = SafeTensors.read(resource("tiny-v1-expected.safetensors"));
        INDArray inputs = expected.require("inputs").toArray(DataType.FLOAT);
        INDArray logits = expected.require("logits").toArray(DataType.FLOAT);
        TensorError e = TensorError.compare("logits", g.outputSingle(inputs), logits);
        assertTrue(e.maxRel() <= 1e-5, e.toString());
    }

    @Test
    void dl4jZipOfVersion1StillLoads() throws Exception {
        LmZip.Checkpoint c = LmZip.read(resource("tiny-v1.zip"));
        assertEquals(2, c.model().nLayers());
        assertEquals("lm-v1", c.provenance().get("code_version"));
        assertNotNull(c.graph().getUpdater().getStateViewArray(), "Adam state came back");
        assertExpectedLogits(c.graph());
    }

    @Test
    void safetensorsOfVersion1StillLoads() throws Exception {
        Path f = resource("tiny-v1.safetensors");
        ModelConfig model = LmSafeTensors.readConfig(f);
        assertExpectedLogits(LmSafeTensors.read(f, TrainingConfig.PAPER, DataType.FLOAT));
        assertEquals(model, LmZip.read(resource("tiny-v1.zip")).model());
    }

    @Test
    void writtenCheckpointsAreReadableByOthers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.safetensors");
        SafeTensors.write(f, Map.of("x", org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 2)), Map.of());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
