package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;

/**
 * Lines of a decompressed stream with their byte offsets, via Hadoop's LineReader (handles \n, \r\n
 * and lines of any length up to 2 GB, e.g. a 50 MB single-line file). Over a byte range of a file it
 * returns the lines that start in the range, as {@link InputSplit} defines.
 */
final class LineSource implements AutoCloseable {
    private final LineReader reader;
    private final Text line = new Text();
    private final long end;
    private long nextOffset;
    private long lineOffset;

    /** All lines of {@code in}. */
    LineSource(InputStream in) {
        this.reader = new LineReader(in, 1 << 16);
        this.end = Long.MAX_VALUE;
    }

    /**
     * The lines of a file that start in [start, end); {@code in} must be positioned at
     * {@code max(0, start - 1)}. Reading the line through byte start - 1 and dropping it lands on the
     * first line that starts at or after {@code start} (the previous range reads the dropped line whole).
     */
    LineSource(InputStream in, long start, long end) throws IOException {
        this.reader = new LineReader(in, 1 << 16);
        this.end = end;
        if (start > 0) {
            nextOffset = start - 1;
            nextOffset += reader.readLine(line);
        }
    }

    /** Reads the next line into {@link #bytes()}; false at end of stream or of the range. */
    boolean advance() throws IOException {
        if (nextOffset >= end) {
            return false;
        }
        int consumed = reader.readLine(line);
        if (consumed == 0) {
            return false;
        }
        lineOffset = nextOffset;
        nextOffset += consumed;
        return true;
    }

    byte[] bytes() {
        return line.getBytes();
    }

    int length() {
        return line.getLength();
    }

    long offset() {
        return lineOffset;
    }

    Utf8Text.Decoded decode() {
        return Utf8Text.decode(line.getBytes(), 0, line.getLength());
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
