package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --format jsonl}: one JSON object per line; the document is the string in the configured
 * field ({@link JsonTextField}). Lines are decoded with {@link Utf8Text} first so invalid UTF-8 is
 * replaced and counted instead of failing the parser. A blank line is an empty document; a line over
 * the record limit is rejected unread.
 */
final class JsonLinesSource extends LineDocumentSource {
    private final JsonTextField field;

    JsonLinesSource(InputFile file, InputStream in, String field, RecordSizeLimit limit) {
        super(file, in, limit);
        this.field = new JsonTextField(field, limit);
    }

    JsonLinesSource(InputSplit split, InputStream in, String field, RecordSizeLimit limit) throws IOException {
        super(split, in, limit);
        this.field = new JsonTextField(field, limit);
    }

    @Override
    public ReadRecord next() throws IOException {
        if (!lines.advance()) {
            return null;
        }
        long offset = lines.offset();
        if (lines.tooLong()) {
            return lineTooLong();
        }
        if (lines.isBlank()) {
            return ReadRecord.document(file, offset, "", 0);
        }
        Utf8Text.Decoded line = lines.decode();
        JsonTextField.Outcome text = field.read(line.text());
        return text.reject() != null ? ReadRecord.rejected(file, offset, text.reject(), text.detail())
                : ReadRecord.document(file, offset, text.text(), line.malformedBytes());
    }
}
