package io.mosaspark.bench.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.provenance.Provenance;

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
 * Where results go: each one is printed at once as one JSON line {@code {suite, result, …fields}} (so a
 * long run shows progress and a killed run keeps what it measured), and all of them are written when the
 * run ends to the {@code --out} file, one shape for every suite:
 * {@code {"provenance": {…}, "suites": {"<suite>": [{"result": …, …fields}, …], …}}}.
 */
public final class BenchReport {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Provenance provenance;
    private final List<Provenance.Input> inputs = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> suites = new LinkedHashMap<>();
    private final PrintStream lines;

    /** @param provenance how the run was made (artifact "bench"); inputs met during the run are added to it */
    public BenchReport(Provenance provenance, PrintStream lines) {
        this.provenance = provenance;
        this.lines = lines;
    }

    /** Records one result of {@code suite}; {@code fields} keep their insertion order in the JSON. */
    public void emit(String suite, String result, Map<String, Object> fields) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("result", result);
        entry.putAll(fields);
        suites.computeIfAbsent(suite, s -> new ArrayList<>()).add(entry);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("suite", suite);
        line.putAll(entry);
        lines.println(toJson(line));
        lines.flush();
    }

    /** Names data a suite measured on (a corpus), for the provenance; the same input twice is listed once. */
    public void addInput(Provenance.Input input) {
        if (!inputs.contains(input)) inputs.add(input);
    }

    /** The results so far, by suite in the order they ran. */
    public Map<String, List<Map<String, Object>>> suites() {
        return Map.copyOf(suites);
    }

    /** The run's provenance with the inputs the suites named. */
    public Provenance provenance() {
        List<Provenance.Input> all = new ArrayList<>(provenance.inputs());
        inputs.stream().filter(i -> !all.contains(i)).forEach(all::add);
        return new Provenance(provenance.artifact(), provenance.codeVersion(), provenance.config(), all,
                provenance.environment(), provenance.createdAt(), provenance.parents());
    }

    /** Writes {provenance, suites} to {@code out}, via a temporary file so a reader never sees half. */
    public void writeTo(Path out) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("provenance", provenance());
        all.put("suites", suites);
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

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result is not serialisable as JSON: " + e.getMessage(), e);
        }
    }
}
