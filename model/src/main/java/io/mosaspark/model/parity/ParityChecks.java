package io.mosaspark.model.parity;

import io.mosaspark.model.io.SafeTensors;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Sends a parity file to the check for its {@code __metadata__.kind}. */
public final class ParityChecks {

    @FunctionalInterface
    interface Check {
        ParityReport run(Path file, DataType type) throws IOException;
    }

    private static final Map<String, Check> BY_KIND = new TreeMap<>(Map.of(
            AttentionParity.KIND, AttentionParity::check,
            LmParity.KIND, LmParity::check));

    private ParityChecks() {
    }

    /**
     * Checks {@code file} in {@code type} and judges every tensor by {@code tolerance}.
     *
     * @throws IOException              the file cannot be read as safetensors
     * @throws IllegalArgumentException the file has no or an unknown kind, or lacks what its kind needs
     */
    public static ParityReport check(Path file, DataType type, Tolerance tolerance) throws IOException {
        String kind = SafeTensors.read(file).metadata().get("kind");
        if (kind == null) {
            throw new IllegalArgumentException(file + ": no __metadata__.kind; a parity file says which check it is for ("
                    + String.join(", ", BY_KIND.keySet()) + ")");
        }
        Check check = BY_KIND.get(kind);
        if (check == null) {
            throw new IllegalArgumentException(file + ": unknown parity kind '" + kind + "'; known kinds: "
                    + String.join(", ", BY_KIND.keySet()));
        }
        ParityReport r = check.run(file, type);
        return new ParityReport(r.source(), r.kind(), r.type(), tolerance, r.tensors());
    }
}
