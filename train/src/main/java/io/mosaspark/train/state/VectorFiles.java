package io.mosaspark.train.state;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * One {@link FlatVector} in a file on any Hadoop filesystem: the format of the per-worker state files
 * that must be written and read on executors in the middle of a run (DiLoCo's inner optimizer state).
 *
 * <pre>
 * offset   size        field
 * 0        8           magic, ASCII "MOSAVEC1"
 * 8        4           element width in bytes, int32 LE: 4 (float32) or 8 (float64)
 * 12       4           element count n, int32 LE
 * 16       n · width   the values, little-endian
 * 16+n·w   8           CRC-32 of the value bytes, int64 LE
 * </pre>
 *
 * Checked on every read: magic, width, that the file size is exactly 24 + n·width, and the CRC; a
 * truncated or corrupt file is an {@link IOException} naming it. Writes go to a temporary name and are
 * renamed into place, so a reader never sees half a file.
 */
public final class VectorFiles {
    private static final byte[] MAGIC = "MOSAVEC1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 16;
    private static final int TRAILER = 8;

    private VectorFiles() {
    }

    public static void writeAtomically(FileSystem fs, Path file, FlatVector v) throws IOException {
        AtomicHadoopFiles.writeBytes(fs, file, encode(v));
    }

    public static FlatVector read(FileSystem fs, Path file) throws IOException {
        long size = fs.getFileStatus(file).getLen();
        if (size < HEADER + TRAILER || size > Integer.MAX_VALUE) {
            throw new IOException(file + ": not a vector file (" + size + " bytes)");
        }
        byte[] all = new byte[(int) size];
        try (FSDataInputStream in = fs.open(file)) {
            in.readFully(0, all);
        }
        return decode(all, file.toString());
    }

    static byte[] encode(FlatVector v) {
        int width = v.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? 8 : 4;
        int n = v.length();
        ByteBuffer b = ByteBuffer.allocate(HEADER + n * width + TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(width).putInt(n);
        if (width == 4) {
            b.asFloatBuffer().put(v.floats());
        } else {
            b.asDoubleBuffer().put(v.doubles());
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), HEADER, n * width);
        b.putLong(HEADER + n * width, crc.getValue());
        return b.array();
    }

    static FlatVector decode(byte[] all, String source) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(source + ": not a vector file (bad magic)");
        }
        int width = b.getInt(8), n = b.getInt(12);
        if (width != 4 && width != 8 || n < 0) {
            throw new IOException(source + ": corrupt vector header (width " + width + ", count " + n + ")");
        }
        if ((long) HEADER + (long) n * width + TRAILER != all.length) {
            throw new IOException(source + ": file has " + all.length + " bytes, its header promises "
                    + (HEADER + (long) n * width + TRAILER) + " (truncated or corrupt)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, HEADER, n * width);
        if (crc.getValue() != b.getLong(HEADER + n * width)) {
            throw new IOException(source + ": checksum mismatch (corrupt file)");
        }
        ByteBuffer values = ByteBuffer.wrap(all, HEADER, n * width).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            float[] f = new float[n];
            values.asFloatBuffer().get(f);
            return FlatVector.of(f);
        }
        double[] d = new double[n];
        values.asDoubleBuffer().get(d);
        return FlatVector.of(d);
    }
}
