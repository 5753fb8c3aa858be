package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;

/** The line-based formats (text-lines, text-paragraphs, jsonl): a file read line by line with byte offsets. */
abstract class LineDocumentSource implements DocumentSource {
    protected final InputFile file;
    protected final LineSource lines;

    LineDocumentSource(InputFile file, InputStream in, RecordSizeLimit limit) {
        this.file = file;
        this.lines = new LineSource(in, limit);
    }

    /** Over a byte range; {@code in} positioned at {@code max(0, start - 1)} (see {@link LineSource}). */
    LineDocumentSource(InputSplit split, InputStream in, RecordSizeLimit limit) throws IOException {
        this.file = split.file();
        this.lines = new LineSource(in, split.start(), split.end(), limit);
    }

    /** The record_too_large rejection of the current line. */
    protected final ReadRecord lineTooLong() {
        return ReadRecord.rejected(file, lines.offset(), RejectReason.RECORD_TOO_LARGE,
                lines.limit().rejection("a line", lines.consumed()));
    }

    @Override
    public final long position() {
        return lines.offset();
    }

    @Override
    public final void close() throws IOException {
        lines.close();
    }
}
