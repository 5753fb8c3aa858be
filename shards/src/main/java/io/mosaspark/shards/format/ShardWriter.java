package io.mosaspark.shards.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streams one shard: the header (token count known up front from the shard plan) then tokens in
 * chunks, hashing the bytes as they go. {@link #finish()} checks the promised count was written.
 */
public final class ShardWriter implements AutoCloseable {
    private final String source;
    private final TokenWidth width;
    private final long expectedTokens;
    private final DigestOutputStream out;
    private final int eot;
    private long written;
    private long documents;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    /** What a finished shard holds. */
    public record Written(long tokens, long documents, long bytes, String sha256) {
    }

    public ShardWriter(OutputStream out, String source, TokenWidth width, long tokenCount, int eotToken)
            throws IOException {
        this.source = source;
        this.width = width;
        this.expectedTokens = tokenCount;
        this.eot = eotToken;
        try {
            this.out = new DigestOutputStream(out, MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        this.out.write(ShardFormat.encodeHeader(width, tokenCount));
    }

    public void write(int[] tokens, int from, int to) throws IOException {
        if (written + (to - from) > expectedTokens) {
            throw new IllegalStateException(source + ": more tokens than the " + expectedTokens + " planned");
        }
        int bytes = width.bytesPerToken();
        for (int i = from; i < to; i++) {
            int t = tokens[i];
            if (t < 0 || (width == TokenWidth.UINT16 && t > 0xFFFF)) {
                throw new IllegalArgumentException(source + ": token id " + t + " does not fit " + width.dtype());
            }
            if (t == eot) {
                documents++;
            }
            if (buf.remaining() < bytes) {
                flush();
            }
            if (width == TokenWidth.UINT16) {
                buf.putShort((short) t);
            } else {
                buf.putInt(t);
            }
        }
        written += to - from;
    }

    private void flush() throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** Flushes and checks the count; the caller still closes. */
    public Written finish() throws IOException {
        flush();
        out.flush();
        if (written != expectedTokens) {
            throw new IllegalStateException(source + ": wrote " + written + " tokens, planned " + expectedTokens);
        }
        String sha = HexFormat.of().formatHex(out.getMessageDigest().digest());
        return new Written(written, documents, ShardFormat.HEADER_BYTES + written * width.bytesPerToken(), sha);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
