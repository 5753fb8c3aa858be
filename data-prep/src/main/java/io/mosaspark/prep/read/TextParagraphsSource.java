package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --format text-paragraphs}: documents are separated by one or more blank lines (empty or
 * whitespace-only). Lines of a document are joined with '\n'. A paragraph longer than the record limit
 * is read to its end without being kept, then rejected.
 */
final class TextParagraphsSource extends LineDocumentSource {
    private boolean exhausted;

    TextParagraphsSource(InputFile file, InputStream in, RecordSizeLimit limit) {
        super(file, in, limit);
    }

    @Override
    public ReadRecord next() throws IOException {
        if (exhausted) {
            return null;
        }
        StringBuilder doc = new StringBuilder();
        long start = -1;
        long bytes = 0;
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
            boolean first = start < 0;
            if (first) {
                start = lines.offset();
            }
            bytes += lines.consumed();
            if (lines.tooLong() || lines.limit().exceededBy(bytes)) {
                doc = null; // too large: read on to the paragraph's end, keeping nothing
            }
            if (doc != null) {
                Utf8Text.Decoded d = lines.decode();
                if (!first) {
                    doc.append('\n');
                }
                doc.append(d.text());
                malformed += d.malformedBytes();
            }
        }
        if (start < 0) {
            return null;
        }
        return doc == null ? ReadRecord.rejected(file, start, RejectReason.RECORD_TOO_LARGE,
                lines.limit().rejection("a paragraph", bytes))
                : ReadRecord.document(file, start, doc.toString(), malformed);
    }
}
