package io.mosaspark.prep.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --format jsonl}: one JSON object per line; the document is the string in the configured
 * field. Lines are decoded with {@link Utf8Text} first so invalid UTF-8 is replaced and counted
 * instead of failing the parser. A blank line is an empty document.
 */
final class JsonLinesSource extends LineDocumentSource {
    /** Trailing garbage after the object (two objects on a line) is malformed, not silently dropped. */
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final String field;

    JsonLinesSource(InputFile file, InputStream in, String field) {
        super(file, in);
        this.field = field;
    }

    JsonLinesSource(InputSplit split, InputStream in, String field) throws IOException {
        super(split, in);
        this.field = field;
    }

    @Override
    public ReadRecord next() throws IOException {
        if (!lines.advance()) {
            return null;
        }
        long offset = lines.offset();
        if (lines.isBlank()) {
            return ReadRecord.document(file, offset, "", 0);
        }
        Utf8Text.Decoded line = lines.decode();
        JsonNode node;
        try {
            node = JSON.readTree(line.text());
        } catch (JsonProcessingException e) {
            return ReadRecord.rejected(file, offset, RejectReason.MALFORMED_JSON, e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return ReadRecord.rejected(file, offset, RejectReason.NOT_A_JSON_OBJECT,
                    "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        JsonNode value = node.get(field);
        if (value == null) {
            return ReadRecord.rejected(file, offset, RejectReason.MISSING_FIELD,
                    "no field '" + field + "' (set --text-field)");
        }
        if (!value.isTextual()) {
            return ReadRecord.rejected(file, offset, RejectReason.WRONG_FIELD_TYPE,
                    "field '" + field + "' is " + value.getNodeType() + ", expected a string");
        }
        return ReadRecord.document(file, offset, value.textValue(), line.malformedBytes());
    }
}
