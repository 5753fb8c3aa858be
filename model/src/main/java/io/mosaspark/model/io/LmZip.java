package io.mosaspark.model.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.config.ModelConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in DL4J's own zip format (ModelSerializer): graph configuration, parameters
 * and updater state (Adam's moments), so training resumes exactly. Two extra entries record the
 * {@link ModelConfig} JSON and the provenance (code version, time, caller's keys). Written atomically.
 */
public final class LmZip {

    static final String CONFIG_ENTRY = "mosa_model_config.json";
    static final String PROVENANCE_ENTRY = "mosa_provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A restored checkpoint. */
    public record Checkpoint(ComputationGraph graph, ModelConfig model, Map<String, String> provenance) {
    }

    private LmZip() {
    }

    public static void write(Path file, ComputationGraph graph, ModelConfig model, Map<String, String> provenance)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>(provenance == null ? Map.of() : provenance);
        p.put("created_utc", Instant.now().toString());
        p.putIfAbsent("code_version", String.valueOf(LmZip.class.getPackage().getImplementationVersion()));
        AtomicFiles.write(file, tmp -> {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), CONFIG_ENTRY, JSON.writeValueAsString(model));
            ModelSerializer.addObjectToFile(tmp.toFile(), PROVENANCE_ENTRY, JSON.writeValueAsString(p));
        });
    }

    /** Restores graph, parameters and updater state. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such checkpoint file");
        ComputationGraph g = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        String config = entry(file, CONFIG_ENTRY);
        String provenance = entry(file, PROVENANCE_ENTRY);
        Map<String, String> p = new LinkedHashMap<>();
        JSON.readTree(provenance).fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
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
