package io.mosaspark.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a checkpoint may be resumed by a run: the two resolved configs (and data identities) must be
 * equal in every key that changes what is computed. Keys that only change how often the run reports or
 * saves may differ.
 */
public final class ConfigMatch {

    /** Top-level keys of the training config that may differ between a checkpoint and its resume. */
    public static final Set<String> MAY_DIFFER = Set.of("eval_every", "eval_windows", "checkpoint_every",
            "keep_checkpoints", "routing_every");

    private ConfigMatch() {
    }

    /** The first key path at which {@code saved} and {@code current} differ, described; empty when they match. */
    public static Optional<String> firstDifference(JsonNode saved, JsonNode current) {
        return difference("", saved, current, true);
    }

    private static Optional<String> difference(String path, JsonNode saved, JsonNode current, boolean top) {
        if (saved.isObject() && current.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            saved.fieldNames().forEachRemaining(keys::add);
            current.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (top && MAY_DIFFER.contains(k)) continue;
                String p = path.isEmpty() ? k : path + "." + k;
                JsonNode a = saved.get(k), b = current.get(k);
                if (a == null || b == null) {
                    return Optional.of(p + ": the checkpoint has " + (a == null ? "no value" : a)
                            + ", this run has " + (b == null ? "no value" : b));
                }
                Optional<String> d = difference(p, a, b, false);
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        }
        if (saved.isArray() && current.isArray() && saved.size() == current.size()) {
            Iterator<JsonNode> a = saved.elements(), b = current.elements();
            for (int i = 0; a.hasNext(); i++) {
                Optional<String> d = difference(path + "[" + i + "]", a.next(), b.next(), false);
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        }
        boolean equal = saved.isNumber() && current.isNumber()
                ? saved.decimalValue().compareTo(current.decimalValue()) == 0 : saved.equals(current);
        return equal ? Optional.empty()
                : Optional.of(path + ": the checkpoint has " + saved + ", this run has " + current);
    }
}
