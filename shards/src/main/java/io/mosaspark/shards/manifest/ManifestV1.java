package io.mosaspark.shards.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a version-1 manifest into the current shape, so shard sets prepared before version 2 stay usable.
 * Version 1 had its own provenance record ({@code inputs} as given, {@code input_files}, {@code input_bytes},
 * {@code input_listing_sha256}, {@code config}, {@code code_version}, {@code seed}, {@code created_at}) and
 * no top-level {@code shard_tokens}. Each of those facts keeps a place:
 * <ul>
 *   <li>{@code shard_tokens} ← {@code provenance.config.shard_tokens}</li>
 *   <li>{@code reconciliation.input_files} ← {@code provenance.input_files}</li>
 *   <li>{@code provenance.inputs} ← one entry: the inputs as given (comma-joined, as {@code --input} takes
 *       them), {@code input_bytes}, {@code input_listing_sha256}: exactly what version 2 writes</li>
 *   <li>{@code seed} is {@code provenance.config.seed}, as in version 2; the machine was not recorded</li>
 * </ul>
 */
final class ManifestV1 {
    static final int VERSION = 1;

    private ManifestV1() {
    }

    /** A copy of {@code v1} in the current shape; fields the file lacks stay absent for the validator to report. */
    static ObjectNode upgrade(ObjectNode v1) {
        ObjectNode m = v1.deepCopy();
        if (!(m.get("provenance") instanceof ObjectNode old)) {
            return m;
        }
        if (old.path("config").has("shard_tokens")) {
            m.put("shard_tokens", old.path("config").path("shard_tokens").asLong());
        }
        if (m.get("reconciliation") instanceof ObjectNode reconciliation && old.has("input_files")) {
            reconciliation.put("input_files", old.path("input_files").asLong());
        }
        ObjectNode provenance = m.putObject("provenance");
        provenance.put("artifact", Manifest.ARTIFACT);
        provenance.set("code_version", old.get("code_version"));
        provenance.set("config", old.get("config"));
        List<String> given = new ArrayList<>();
        old.path("inputs").forEach(i -> given.add(i.asText()));
        ArrayNode inputs = provenance.putArray("inputs");
        inputs.addObject()
                .put("uri", String.join(",", given))
                .put("bytes", old.path("input_bytes").asLong(-1))
                .set("sha256", old.get("input_listing_sha256"));
        provenance.set("created_at", old.get("created_at"));
        return m;
    }
}
