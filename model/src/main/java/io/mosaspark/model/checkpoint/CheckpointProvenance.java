package io.mosaspark.model.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mosaspark.provenance.Provenance;

import java.util.List;
import java.util.Map;

/**
 * How a checkpoint stores its {@link Provenance}: as the record's JSON. Files written before the one
 * provenance record (version 1) stored a flat map of strings instead: the caller's keys plus
 * {@code created_utc} and {@code code_version}. Those still read, as a provenance whose config holds the
 * caller's keys, so that old and new checkpoints answer "how was this made" the same way.
 */
final class CheckpointProvenance {

    /** The key Provenance calls {@code created_at}; only version-1 entries have it. */
    static final String VERSION_1_TIME = "created_utc";
    private static final String VERSION_1_CODE = "code_version";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointProvenance() {
    }

    static String toJson(Provenance provenance) {
        try {
            return JSON.writeValueAsString(provenance);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("provenance of artifact " + provenance.artifact()
                    + " is not serialisable as JSON: " + e.getMessage(), e);
        }
    }

    /** A provenance entry as written by either version; {@code source} names the file in errors. */
    static Provenance fromJson(String json, Object source) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.isObject()) throw new IllegalArgumentException("not a JSON object");
            if (node.has(VERSION_1_TIME)) {
                Map<String, String> keys = new java.util.LinkedHashMap<>();
                node.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue().asText()));
                return fromVersion1(keys);
            }
            return JSON.treeToValue(node, Provenance.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the checkpoint's provenance is unreadable: " + e.getMessage(), e);
        }
    }

    /** A version-1 flat map of strings read as a provenance: its keys other than time and code become the config. */
    static Provenance fromVersion1(Map<String, String> keys) {
        ObjectNode config = JSON.createObjectNode();
        keys.forEach((k, v) -> {
            if (!k.equals(VERSION_1_TIME) && !k.equals(VERSION_1_CODE)) config.put(k, v);
        });
        return new Provenance(LmSafeTensors.ARTIFACT, keys.getOrDefault(VERSION_1_CODE, "unknown"), config, List.of(),
                null, keys.get(VERSION_1_TIME), List.of());
    }
}
