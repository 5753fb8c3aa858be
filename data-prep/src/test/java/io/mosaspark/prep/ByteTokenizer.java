package io.mosaspark.prep;

import io.mosaspark.prep.tokenize.ResolvedTokenizer;
import io.mosaspark.prep.tokenize.TextTokenizer;
import io.mosaspark.prep.tokenize.TokenizerSource;
import io.mosaspark.shards.manifest.TokenizerInfo;
import java.nio.charset.StandardCharsets;

/**
 * Test-only tokenizer: EOT is 0 and UTF-8 byte b is {@code base + b}, so decoding is trivial and
 * independent of any library; base 70000 makes the vocabulary need uint32 shards.
 */
public final class ByteTokenizer implements TextTokenizer {
    private final int base;

    public ByteTokenizer(int base) {
        this.base = base;
    }

    public static TokenizerSource source(int base) {
        return (docs, work, conf) -> new ResolvedTokenizer(() -> new ByteTokenizer(base),
                new TokenizerInfo(null, "bytes+" + base, base + 256, 0, "test"));
    }

    @Override
    public int[] encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            t[i] = base + (b[i] & 0xFF);
        }
        return t;
    }

    @Override
    public String decode(int[] tokens) {
        byte[] b = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            b[i] = (byte) (tokens[i] - base);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return base + 256;
    }

    @Override
    public int eotToken() {
        return 0;
    }

    @Override
    public String type() {
        return "bytes+" + base;
    }
}
