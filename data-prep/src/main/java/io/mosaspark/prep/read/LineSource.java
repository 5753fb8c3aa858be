package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;

/**
 * Lines of a decompressed stream with their byte offsets, via Hadoop's LineReader (handles \n and
 * \r\n). A line longer than the {@link RecordSizeLimit} is consumed but not stored: {@link #tooLong()}
 * says so and {@link #consumed()} how many bytes it took. Over a byte range of a file it returns the
 * lines that start in the range, as {@link InputSplit} defines.
 */
final class LineSource implements AutoCloseable {
    /** A line buffer grown past this by a long line is dropped once decoded, not kept for the rest of the file. */
    private static final int KEPT_BUFFER_BYTES = 1 << 20;

    private final LineReader reader;
    private final RecordSizeLimit limit;
    private final long end;
    private Text line = new Text();
    private long nextOffset;
    private long lineOffset;
    private int consumed;

    /** All lines of {@code in}. */
    LineSource(InputStream in, RecordSizeLimit limit) {
        this.reader = new LineReader(in, 1 << 16);
        this.limit = limit;
        this.end = Long.MAX_VALUE;
    }

    /**
     * The lines of a file that start in [start, end); {@code in} must be positioned at
     * {@code max(0, start - 1)}. Reading the line through byte start - 1 and dropping it lands on the
     * first line that starts at or after {@code start} (the previous range reads the dropped line whole).
     */
    LineSource(InputStream in, long start, long end, RecordSizeLimit limit) throws IOException {
        this.reader = new LineReader(in, 1 << 16);
        this.limit = limit;
        this.end = end;
        if (start > 0) {
            nextOffset = start - 1;
            nextOffset += reader.readLine(line, 0); // stores nothing: the dropped line may be huge
        }
    }

    /** Reads the next line; false at end of stream or of the range. */
    boolean advance() throws IOException {
        if (nextOffset >= end) {
            return false;
        }
        dropLargeBuffer();
        // One byte over the limit is stored, so that a stored length above it means "too long".
        consumed = reader.readLine(line, (int) Math.min(Integer.MAX_VALUE, limit.maxBytes() + 1));
        if (consumed == 0) {
            return false;
        }
        lineOffset = nextOffset;
        nextOffset += consumed;
        return true;
    }

    /** The line is longer than the record limit; its bytes were not kept. */
    boolean tooLong() {
        return limit.exceededBy(line.getLength());
    }

    /** Bytes the line took in the file, line end included. */
    int consumed() {
        return consumed;
    }

    RecordSizeLimit limit() {
        return limit;
    }

    long offset() {
        return lineOffset;
    }

    /** The line as text; a large line's bytes are let go here, before the text goes downstream. */
    Utf8Text.Decoded decode() {
        Utf8Text.Decoded d = Utf8Text.decode(line.getBytes(), 0, line.getLength());
        dropLargeBuffer();
        return d;
    }

    private void dropLargeBuffer() {
        if (line.getBytes().length > KEPT_BUFFER_BYTES) {
            line = new Text();
        }
    }

    boolean isBlank() {
        byte[] b = line.getBytes();
        for (int i = 0; i < line.getLength(); i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\f' && b[i] != 0x0B) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
