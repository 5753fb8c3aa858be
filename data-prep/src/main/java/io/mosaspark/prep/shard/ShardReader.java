package io.mosaspark.prep.shard;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads an llm.c token shard from any Hadoop filesystem. Opening checks the header and that the file
 * size matches the header's token count; {@link #read} gives random access for the trainer.
 */
public final class ShardReader implements AutoCloseable {
    private final String source;
    private final FSDataInputStream in;
    private final ShardFormat.Header header;

    private ShardReader(String source, FSDataInputStream in, ShardFormat.Header header) {
        this.source = source;
        this.in = in;
        this.header = header;
    }

    public static ShardReader open(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        String source = path.toString();
        long size = fs.getFileStatus(path).getLen();
        FSDataInputStream in = fs.open(path);
        try {
            byte[] head = new byte[(int) Math.min(size, ShardFormat.HEADER_BYTES)];
            in.readFully(0, head);
            ShardFormat.Header header = ShardFormat.decodeHeader(head, source);
            if (size != header.fileBytes()) {
                throw new InvalidShardException(source, "file has " + size + " bytes but its header promises "
                        + header.tokenCount() + " " + header.width().dtype() + " tokens = " + header.fileBytes()
                        + " bytes (truncated or corrupt)");
            }
            return new ShardReader(source, in, header);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public ShardFormat.Header header() {
        return header;
    }

    public int tokenCount() {
        return header.tokenCount();
    }

    /** Copies tokens [start, start + dst.length) into {@code dst}. */
    public void read(long start, int[] dst) throws IOException {
        if (start < 0 || start + dst.length > header.tokenCount()) {
            throw new IndexOutOfBoundsException(source + ": tokens [" + start + ", " + (start + dst.length)
                    + ") outside [0, " + header.tokenCount() + ")");
        }
        int width = header.width().bytesPerToken();
        byte[] bytes = new byte[dst.length * width];
        try {
            in.readFully(ShardFormat.HEADER_BYTES + start * width, bytes);
        } catch (EOFException e) {
            throw new InvalidShardException(source, "unexpected end of file reading tokens at " + start);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dst.length; i++) {
            dst[i] = header.width() == TokenWidth.UINT16 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
