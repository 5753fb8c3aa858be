package io.mosaspark.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.io.AtomicFiles;
import io.mosaspark.provenance.Provenance;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A training checkpoint in DL4J's own zip format (ModelSerializer): graph configuration, parameters
 * and updater state (Adam's moments), so training resumes exactly. Two extra entries record the
 * {@link ModelConfig} JSON and the {@link Provenance} JSON (in files of the first version: a flat map of the
 * caller's keys, {@code created_utc} and {@code code_version}, still read). Written atomically.
 */
public final class LmZip {

    static final String CONFIG_ENTRY = "mosa_model_config.json";
    static final String PROVENANCE_ENTRY = "mosa_provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A restored checkpoint. */
    public record Checkpoint(ComputationGraph graph, ModelConfig model, Provenance provenance) {
    }

    private LmZip() {
    }

    public static void write(Path file, ComputationGraph graph, ModelConfig model, Provenance provenance)
            throws IOException {
        String p = CheckpointProvenance.toJson(Objects.requireNonNull(provenance, "provenance"));
        AtomicFiles.write(file, tmp -> {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), CONFIG_ENTRY, JSON.writeValueAsString(model));
            ModelSerializer.addObjectToFile(tmp.toFile(), PROVENANCE_ENTRY, p);
        });
    }

    /** Restores graph, parameters and updater state. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such checkpoint file");
        ComputationGraph g = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        String config = entry(file, CONFIG_ENTRY);
        Provenance p = CheckpointProvenance.fromJson(entry(file, PROVENANCE_ENTRY), file);
        return new Checkpoint(g, JSON.readValue(config, ModelConfig.class), p);
    }

    private static String entry(Path file, String key) throws IOException {
        try {
            return ModelSerializer.getObjectFromFile(file.toFile(), key);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a mosa-spark LM checkpoint (zip entry '" + key + "' missing or unreadable: "
                    + e.getMessage() + ")", e);
        }
    }
}
