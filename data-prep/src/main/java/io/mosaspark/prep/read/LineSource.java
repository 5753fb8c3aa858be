package io.mosaspark.prep.read;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;

/**
 * Lines of a decompressed stream with their byte offsets, via Hadoop's LineReader (handles \n, \r\n
 * and lines of any length up to 2 GB, e.g. a 50 MB single-line file).
 */
final class LineSource implements AutoCloseable {
    private final LineReader reader;
    private final Text line = new Text();
    private long nextOffset;
    private long lineOffset;

    LineSource(InputStream in) {
        this.reader = new LineReader(in, 1 << 16);
    }

    /** Reads the next line into {@link #bytes()}; false at end of stream. */
    boolean advance() throws IOException {
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
