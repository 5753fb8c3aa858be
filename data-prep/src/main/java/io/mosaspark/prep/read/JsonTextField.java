package io.mosaspark.prep.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;

/**
 * The text field of one JSON Lines record. Jackson's streaming parser checks the whole line (one JSON
 * object, nothing after it) without building a tree, and the text is cut from the line by
 * {@link JsonStringLiteral}, so a record costs its line and its text, not the several copies a tree
 * would hold.
 *
 * <p>Jackson's own limits (20 M chars per string, 1000 digits per number) are raised to the record
 * limit: any string or number that fits in an accepted line is accepted, since the line's size is
 * what bounds memory. Nesting is bounded apart, because every level costs the parser a context
 * object: a line of a million '[' would otherwise hold a million.
 */
final class JsonTextField {
    /** Jackson's default nesting limit; real records nest a few levels. */
    static final int MAX_DEPTH = 1000;

    /** The text, or why the record has none. */
    record Outcome(String text, RejectReason reject, String detail) {
        static Outcome text(String text) {
            return new Outcome(text, null, null);
        }

        static Outcome rejected(RejectReason reason, String detail) {
            return new Outcome(null, reason, detail);
        }
    }

    private final JsonFactory json;
    private final String field;

    JsonTextField(String field, RecordSizeLimit limit) {
        int longest = (int) Math.min(Integer.MAX_VALUE, limit.maxBytes());
        this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(longest)
                .maxNumberLength(longest)
                .maxNestingDepth(Integer.MAX_VALUE) // counted in read(), which rejects with its own reason
                .build()).build();
        this.field = field;
    }

    Outcome read(String line) {
        try (JsonParser p = json.createParser(line)) {
            JsonToken root = p.nextToken();
            if (root == null) {
                return Outcome.rejected(RejectReason.NOT_A_JSON_OBJECT, "expected a JSON object, got nothing");
            }
            JsonToken value = null;
            int valueStart = -1;
            boolean atValue = false;
            int depth = 0;
            for (JsonToken t = root; ; t = p.nextToken()) {
                if (atValue) { // the last occurrence of the field counts, as in a JSON object read whole
                    value = t;
                    valueStart = (int) p.currentTokenLocation().getCharOffset();
                    atValue = false;
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (++depth > MAX_DEPTH) {
                        return Outcome.rejected(RejectReason.JSON_TOO_DEEP, "objects and arrays nested more than "
                                + MAX_DEPTH + " levels deep, the most a jsonl record may have");
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && depth == 1 && field.equals(p.currentName())) {
                    atValue = true;
                }
                if (depth == 0) {
                    break;
                }
            }
            if (p.nextToken() != null) {
                return Outcome.rejected(RejectReason.MALFORMED_JSON,
                        "more than one JSON value on the line (one record per line)");
            }
            return fieldOf(root, value, valueStart, line);
        } catch (JsonProcessingException e) {
            return Outcome.rejected(RejectReason.MALFORMED_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a String cannot fail with I/O", e);
        }
    }

    private Outcome fieldOf(JsonToken root, JsonToken value, int valueStart, String line) {
        if (root != JsonToken.START_OBJECT) {
            return Outcome.rejected(RejectReason.NOT_A_JSON_OBJECT, "expected a JSON object, got " + kind(root));
        }
        if (value == null) {
            return Outcome.rejected(RejectReason.MISSING_FIELD, "no field '" + field + "' (set --text-field)");
        }
        if (value != JsonToken.VALUE_STRING) {
            return Outcome.rejected(RejectReason.WRONG_FIELD_TYPE,
                    "field '" + field + "' is " + kind(value) + ", expected a string");
        }
        return Outcome.text(JsonStringLiteral.at(line, valueStart));
    }

    /** The JSON type a value starts with, named as Jackson's tree names it (the codes users saw before). */
    private static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "OBJECT";
            case START_ARRAY -> "ARRAY";
            case VALUE_STRING -> "STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> t.name();
        };
    }
}
