package io.mosaspark.shards.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The llm.c token shard layout, documented here once and checked on every read.
 *
 * <pre>
 * offset  size            field
 * 0       4               magic, int32 LE: 20240520 (uint16 tokens) or 20240801 (uint32 tokens)
 * 4       4               version, int32 LE: 1 for uint16, 7 for uint32
 * 8       4               token count N, int32 LE (so N &lt;= 2^31-1)
 * 12      1012            253 more int32 fields, written as zero (reserved; not checked on read)
 * 1024    N * 2 (or 4)    tokens, uint16 (or uint32) little-endian
 * </pre>
 *
 * The file size is exactly {@code 1024 + N * width}. As in llm.c's fineweb shards, every document
 * is preceded by the end-of-text token, so a shard's document count is its number of EOT tokens.
 * Shards are named {@code <name>_<train|val>_<NNNNNN>.bin}, numbered from 000000 within each split.
 */
public final class ShardFormat {
    public static final int HEADER_INTS = 256;
    public static final int HEADER_BYTES = HEADER_INTS * Integer.BYTES;

    private ShardFormat() {
    }

    /** The decoded header: token layout and count. */
    public record Header(TokenWidth width, int tokenCount) {
        public long fileBytes() {
            return HEADER_BYTES + (long) tokenCount * width.bytesPerToken();
        }
    }

    public static byte[] encodeHeader(TokenWidth width, long tokenCount) {
        if (tokenCount < 0 || tokenCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("token count " + tokenCount + " does not fit llm.c's int32 field");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, width.magic());
        b.putInt(4, width.version());
        b.putInt(8, (int) tokenCount);
        return b.array();
    }

    /** Parses and checks a header: magic, version, non-negative count (reserved ints are ignored, as llm.c does). */
    public static Header decodeHeader(byte[] header, String source) {
        if (header.length < HEADER_BYTES) {
            throw new InvalidShardException(source, "file is shorter (" + header.length
                    + " bytes) than the 1024-byte llm.c header");
        }
        ByteBuffer b = ByteBuffer.wrap(header, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        TokenWidth width = TokenWidth.forMagic(b.getInt(0), b.getInt(4), source);
        int count = b.getInt(8);
        if (count < 0) {
            throw new InvalidShardException(source, "negative token count " + count + " in header");
        }
        return new Header(width, count);
    }

    /** {@code <name>_<split>_NNNNNN.bin}; digits are ASCII whatever the JVM's locale. */
    public static String fileName(String name, String split, int index) {
        return fileNamePrefix(name, split) + String.format(Locale.ROOT, "%06d.bin", index);
    }

    /** What every shard file name of a split starts with. */
    public static String fileNamePrefix(String name, String split) {
        return name + "_" + split + "_";
    }
}
