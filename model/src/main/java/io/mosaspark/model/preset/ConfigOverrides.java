package io.mosaspark.model.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Command-line overrides ({@code --set key=value}) applied to a preset's JSON before it is bound to its
 * records, so that the records' own validation judges the result. A key is either a full path
 * ({@code model.attention.d_model}) or, because every leaf name in a preset is unique, just its last
 * part ({@code d_model}). Values are parsed as the type the preset already has at that key.
 */
final class ConfigOverrides {

    /** Chosen by the variant (--model / --rho), never by --set: a preset stores the dense baseline. */
    private static final Set<String> DERIVED = Set.of("model.attention.mosa_heads", "model.attention.sparsity",
            "model.attention.selection");
    private static final Set<String> SECTIONS = Set.of("model", "training");

    private ConfigOverrides() {
    }

    /** Applies {@code assignments} ("key=value") to {@code preset} in order; {@code source} names it in errors. */
    static void apply(ObjectNode preset, List<String> assignments, String source) {
        Map<String, String> keys = settableKeys(preset);
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("override '" + assignment + "' must look like key=value, e.g. n_layers=4");
            }
            String key = assignment.substring(0, eq).trim();
            String value = assignment.substring(eq + 1).trim();
            String path = resolve(key, keys, source);
            set(preset, path, value);
        }
    }

    /** Every settable key of the preset: full path → itself, and short leaf name → full path. */
    static Map<String, String> settableKeys(ObjectNode preset) {
        List<String> paths = new ArrayList<>();
        for (String section : SECTIONS) {
            if (preset.get(section) instanceof ObjectNode o) collectLeaves(o, section, paths);
        }
        Map<String, String> keys = new TreeMap<>();
        for (String p : paths) {
            if (DERIVED.contains(p)) continue;
            keys.put(p, p);
            keys.put(p.substring(p.lastIndexOf('.') + 1), p);
        }
        return keys;
    }

    private static String resolve(String key, Map<String, String> keys, String source) {
        if (DERIVED.contains(key) || DERIVED.stream().anyMatch(d -> d.endsWith("." + key))) {
            throw new IllegalArgumentException("override key '" + key + "' cannot be set: presets store the dense "
                    + "baseline and the hybrid is chosen with --model mosa|fixed and --rho");
        }
        String path = keys.get(key);
        if (path == null) {
            List<String> shortKeys = keys.keySet().stream().filter(k -> !k.contains(".")).toList();
            throw new IllegalArgumentException("override key '" + key + "' is unknown in " + source
                    + "; valid keys: " + String.join(", ", shortKeys) + " (or their full paths, e.g. model.n_layers)");
        }
        return path;
    }

    private static void collectLeaves(ObjectNode node, String prefix, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + "." + e.getKey();
            if (e.getValue() instanceof ObjectNode o) collectLeaves(o, path, out);
            else out.add(path);
        }
    }

    private static void set(ObjectNode root, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) parent = (ObjectNode) parent.get(parts[i]);
        String leaf = parts[parts.length - 1];
        parent.set(leaf, parse(parent.get(leaf), path, value));
    }

    private static JsonNode parse(JsonNode current, String path, String value) {
        try {
            if (current.isIntegralNumber()) return LongNode.valueOf(Long.parseLong(value));
            if (current.isNumber()) return DoubleNode.valueOf(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("override " + path + " = '" + value + "': expected "
                    + (current.isIntegralNumber() ? "an integer" : "a number"));
        }
        if (current.isBoolean()) {
            if (value.equals("true") || value.equals("false")) return BooleanNode.valueOf(Boolean.parseBoolean(value));
            throw new IllegalArgumentException("override " + path + " = '" + value + "': expected true or false");
        }
        return TextNode.valueOf(value);
    }
}
