package io.mosaspark.shards.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * The two llm.c token layouts (dev/data/data_common.py HEADERS_INFO): GPT-2 style uint16 tokens and
 * the Llama-3 style uint32 variant used when the vocabulary does not fit in 16 bits.
 */
public enum TokenWidth {
    UINT16(20240520, 1, 2, "uint16") {
        @Override
        public void decode(byte[] src, int count, int[] dst, int offset) {
            ShortBuffer tokens = ByteBuffer.wrap(src, 0, count * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            for (int i = 0; i < count; i++) {
                dst[offset + i] = Short.toUnsignedInt(tokens.get(i));
            }
        }
    },
    UINT32(20240801, 7, 4, "uint32") {
        @Override
        public void decode(byte[] src, int count, int[] dst, int offset) {
            ByteBuffer.wrap(src, 0, count * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(dst, offset, count);
        }
    };

    /** llm.c switches to the uint32 layout when the vocabulary exceeds 65,535 ids. */
    public static final int MAX_UINT16_VOCAB = 65_535;

    private final int magic;
    private final int version;
    private final int bytesPerToken;
    private final String dtype;

    TokenWidth(int magic, int version, int bytesPerToken, String dtype) {
        this.magic = magic;
        this.version = version;
        this.bytesPerToken = bytesPerToken;
        this.dtype = dtype;
    }

    public int magic() {
        return magic;
    }

    public int version() {
        return version;
    }

    public int bytesPerToken() {
        return bytesPerToken;
    }

    public String dtype() {
        return dtype;
    }

    /**
     * Decodes {@code count} little-endian tokens from the start of {@code src} into {@code dst[offset…]}.
     * One method per width, so that bulk reads choose the layout once per call, not once per token.
     */
    public abstract void decode(byte[] src, int count, int[] dst, int offset);

    public long maxTokenId() {
        return this == UINT16 ? 0xFFFFL : 0xFFFF_FFFFL;
    }

    public static TokenWidth forVocabSize(int vocabSize) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocabSize);
        }
        return vocabSize > MAX_UINT16_VOCAB ? UINT32 : UINT16;
    }

    public static TokenWidth forMagic(int magic, int version, String source) {
        for (TokenWidth w : values()) {
            if (w.magic == magic) {
                if (w.version != version) {
                    throw new InvalidShardException(source, "header version " + version + " with magic " + magic
                            + " (llm.c " + w.dtype + " shards have version " + w.version + ")");
                }
                return w;
            }
        }
        throw new InvalidShardException(source, "bad magic " + magic + ": not an llm.c token shard (expected "
                + UINT16.magic + " for uint16 or " + UINT32.magic + " for uint32 tokens)");
    }

    public static TokenWidth forDtype(String dtype) {
        for (TokenWidth w : values()) {
            if (w.dtype.equals(dtype)) {
                return w;
            }
        }
        throw new IllegalArgumentException("token dtype must be uint16|uint32, got '" + dtype + "'");
    }
}
