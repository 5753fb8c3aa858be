package io.mosaspark.shards.format;

import java.io.EOFException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads an llm.c token shard from any Hadoop filesystem. Opening checks the header and that the file
 * size matches the header's token count; {@link #read} gives random access for the trainer: one positional
 * {@code readFully} per call (per 1 MiB for long ranges), decoded in bulk by {@link TokenWidth#decode}.
 * Not thread-safe: a reader reuses one buffer; open one per thread.
 */
public final class ShardReader implements AutoCloseable {
    /** Bounds the buffer a long read needs; a training window is far smaller. */
    static final int MAX_CHUNK_BYTES = 1 << 20;

    private final String source;
    private final FSDataInputStream in;
    private final ShardFormat.Header header;
    private byte[] buffer = new byte[0];

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
        read(start, dst, 0, dst.length);
    }

    /** Copies tokens [start, start + length) into {@code dst[offset, offset + length)}. */
    public void read(long start, int[] dst, int offset, int length) throws IOException {
        if (start < 0 || length < 0 || start + length > header.tokenCount()) {
            throw new IndexOutOfBoundsException(source + ": tokens [" + start + ", " + (start + length)
                    + ") outside [0, " + header.tokenCount() + ")");
        }
        TokenWidth width = header.width();
        int chunkTokens = MAX_CHUNK_BYTES / width.bytesPerToken();
        for (int done = 0; done < length; ) {
            int n = Math.min(length - done, chunkTokens);
            byte[] bytes = buffer(n * width.bytesPerToken());
            try {
                in.readFully(ShardFormat.HEADER_BYTES + (start + done) * width.bytesPerToken(), bytes, 0,
                        n * width.bytesPerToken());
            } catch (EOFException e) {
                throw new InvalidShardException(source, "unexpected end of file reading tokens at " + (start + done));
            }
            width.decode(bytes, n, dst, offset + done);
            done += n;
        }
    }

    private byte[] buffer(int bytes) {
        if (buffer.length < bytes) {
            buffer = new byte[bytes];
        }
        return buffer;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
