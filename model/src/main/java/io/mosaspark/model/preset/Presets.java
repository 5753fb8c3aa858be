package io.mosaspark.model.preset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads presets: the files of {@code conf/presets/}, which the build also copies into the model jar
 * (resource folder {@code io/mosaspark/model/preset/presets/}) so that a preset name works anywhere.
 * A preset argument is either one of {@link #NAMES} or a path to a preset JSON file.
 *
 * <pre>{@code
 * Preset tiny = Presets.load("tiny");
 * ModelConfig hybrid = tiny.mosa(64);                           // 4 dense + 505 MoSA heads
 * Preset demo = Presets.load("cpu-demo", List.of("n_layers=4")); // --set n_layers=4
 * }</pre>
 */
public final class Presets {

    /** The presets shipped in the jar; PresetsTest checks this list against conf/presets/. */
    public static final List<String> NAMES = List.of("tiny", "small", "medium", "large", "cpu-demo");

    /** Strict: a missing or unknown key is an error, never a silent 0 or false. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The one key a preset may leave out. */
    private static final String OPTIONAL_KEY = "perplexity_matched";
    /**
     * The parameters and FLOPs a preset file states for readers (PresetFiguresTest recomputes them): a
     * description of the file as written, not configuration, so it is dropped before overrides and binding.
     */
    private static final String FIGURES_KEY = "figures";

    private Presets() {
    }

    public static Preset load(String nameOrFile) {
        return load(nameOrFile, List.of());
    }

    /** The preset {@code nameOrFile} with {@code overrides} ("key=value", applied in order). */
    public static Preset load(String nameOrFile, List<String> overrides) {
        if (NAMES.contains(nameOrFile)) {
            String resource = "presets/" + nameOrFile + ".json";
            try (InputStream in = Presets.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("preset " + nameOrFile + ": classpath resource " + resource
                            + " is missing from the model jar (is conf/presets/ copied by the build?)");
                }
                return parse(JSON.readTree(in), "preset " + nameOrFile, overrides);
            } catch (IOException e) {
                throw new UncheckedIOException("preset " + nameOrFile + ": cannot read " + resource + ": " + e.getMessage(), e);
            }
        }
        Path file = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".json") && Files.isRegularFile(file)) {
            try {
                return parse(JSON.readTree(file.toFile()), file.toString(), overrides);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": not a readable preset JSON file: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("preset '" + nameOrFile + "' is unknown; valid: " + String.join(", ", NAMES)
                + ", or the path of a preset .json file");
    }

    /** Names of the shipped presets for which the paper reports a perplexity-matched hybrid. */
    public static List<String> withPerplexityMatched() {
        return NAMES.stream().filter(n -> load(n).perplexityMatchedHeads() != null).toList();
    }

    private static Preset parse(JsonNode tree, String source, List<String> overrides) {
        if (!(tree instanceof ObjectNode root)) {
            throw new IllegalArgumentException(source + ": a preset must be a JSON object");
        }
        root.remove(FIGURES_KEY);
        ConfigOverrides.apply(root, overrides, source);
        if (!root.has(OPTIONAL_KEY)) root.putNull(OPTIONAL_KEY);
        try {
            return JSON.treeToValue(root, Preset.class);
        } catch (ValueInstantiationException e) {
            // A record's own validation refused a value: its message already names the key and range.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(source + ": " + cause.getMessage(), cause);
        } catch (JsonMappingException e) {
            String at = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("."));
            String why = e.getOriginalMessage().startsWith("Missing creator property")
                    ? "missing (every key of a preset is required; compare with conf/presets/tiny.json)"
                    : e.getOriginalMessage();
            throw new IllegalArgumentException(source + ": " + (at.isEmpty() ? "" : at + ": ") + why, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        }
    }
}
