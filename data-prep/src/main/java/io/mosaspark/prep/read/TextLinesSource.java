package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;

/** {@code --format text-lines}: every line is a document (an empty line is an empty document). */
final class TextLinesSource extends LineDocumentSource {
    TextLinesSource(InputFile file, InputStream in, RecordSizeLimit limit) {
        super(file, in, limit);
    }

    TextLinesSource(InputSplit split, InputStream in, RecordSizeLimit limit) throws IOException {
        super(split, in, limit);
    }

    @Override
    public ReadRecord next() throws IOException {
        if (!lines.advance()) {
            return null;
        }
        if (lines.tooLong()) {
            return lineTooLong();
        }
        Utf8Text.Decoded d = lines.decode();
        return ReadRecord.document(file, lines.offset(), d.text(), d.malformedBytes());
    }
}
