package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --format text-paragraphs}: documents are separated by one or more blank lines (empty or
 * whitespace-only). Lines of a document are joined with '\n'.
 */
final class TextParagraphsSource extends LineDocumentSource {
    private boolean exhausted;

    TextParagraphsSource(InputFile file, InputStream in) {
        super(file, in);
    }

    @Override
    public ReadRecord next() throws IOException {
        if (exhausted) {
            return null;
        }
        StringBuilder doc = new StringBuilder();
        long start = -1;
        int malformed = 0;
        while (true) {
            if (!lines.advance()) {
                exhausted = true;
                break;
            }
            if (lines.isBlank()) {
                if (start >= 0) {
                    break;
                }
                continue;
            }
            Utf8Text.Decoded d = lines.decode();
            if (start < 0) {
                start = lines.offset();
            } else {
                doc.append('\n');
            }
            doc.append(d.text());
            malformed += d.malformedBytes();
        }
        return start < 0 ? null : ReadRecord.document(file, start, doc.toString(), malformed);
    }
}
