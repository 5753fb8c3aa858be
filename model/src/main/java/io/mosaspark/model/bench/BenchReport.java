package io.mosaspark.model.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where results go: each one is printed at once as one JSON line (so a long run shows progress and
 * a killed run keeps what it measured), and all of them are written with the run's provenance to
 * the {@code --out} file when the run ends.
 */
public final class BenchReport {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> provenance;
    private final List<Map<String, Object>> results = new ArrayList<>();
    private final PrintStream lines;

    public BenchReport(Map<String, Object> provenance, PrintStream lines) {
        this.provenance = provenance;
        this.lines = lines;
    }

    /** Records one result of {@code suite}; {@code fields} keep their insertion order in the JSON. */
    public void emit(String suite, String result, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("suite", suite);
        line.put("result", result);
        line.putAll(fields);
        results.add(line);
        lines.println(toJson(line));
        lines.flush();
    }

    public List<Map<String, Object>> results() {
        return List.copyOf(results);
    }

    /** Writes {provenance, results} to {@code out}, via a temporary file so a reader never sees half. */
    public void writeTo(Path out) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("provenance", provenance);
        all.put("results", results);
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".tmp");
            JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), all);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark results to " + out + ": " + e.getMessage(), e);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result is not serialisable as JSON: " + e.getMessage(), e);
        }
    }
}
