package io.mosaspark.model.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A parity file (docs/parity.md) opened and checked to be of the expected kind, with typed
 * access to its {@code __metadata__.config}; both kinds share the attention keys.
 */
public record ParityFile(Path path, String kind, SafeTensors.Contents contents, JsonNode config) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ParityFile open(Path file, String expectedKind) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        String kind = c.metadata().get("kind");
        if (!expectedKind.equals(kind)) {
            throw new IllegalArgumentException(file + ": parity file kind is '" + kind + "', expected '" + expectedKind + "'");
        }
        String json = c.metadata().get("config");
        if (json == null) throw new IllegalArgumentException(file + ": no __metadata__.config in the parity file");
        return new ParityFile(file, kind, c, JSON.readTree(json));
    }

    public int intKey(String key) {
        return require(key).asInt();
    }

    public double doubleKey(String key) {
        return require(key).asDouble();
    }

    /** The attention layer the config describes (the reference has no fixed-stride mode). */
    public AttentionConfig attentionConfig() {
        return new AttentionConfig(intKey("d_model"), intKey("head_dim"), intKey("dense_heads"), intKey("mosa_heads"),
                intKey("sparsity"), intKey("include_first") != 0, doubleKey("rotate_fraction"), doubleKey("rope_base"),
                AttentionConfig.Selection.EXPERT_CHOICE);
    }

    private JsonNode require(String key) {
        JsonNode v = config.get(key);
        if (v == null) throw new IllegalArgumentException(path + ": config key '" + key + "' is missing");
        return v;
    }
}
