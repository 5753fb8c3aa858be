package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;

/** The line-based formats (text-lines, text-paragraphs, jsonl): a file read line by line with byte offsets. */
abstract class LineDocumentSource implements DocumentSource {
    protected final InputFile file;
    protected final LineSource lines;

    LineDocumentSource(InputFile file, InputStream in) {
        this.file = file;
        this.lines = new LineSource(in);
    }

    /** Over a byte range; {@code in} positioned at {@code max(0, start - 1)} (see {@link LineSource}). */
    LineDocumentSource(InputSplit split, InputStream in) throws IOException {
        this.file = split.file();
        this.lines = new LineSource(in, split.start(), split.end());
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
