package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.regex.Pattern;

/**
 * A {@link TextTokenizer} over a JTokkit encoding (pretrained or one of ours registered from its
 * rank file). Thread-safe: JTokkit encodes without shared mutable state once warmed (see below).
 */
final class JtokkitTokenizer implements TextTokenizer {

    private final Encoding encoding;
    private final PieceCache cache;
    private final String type;
    private final int vocabSize;
    private final int eotToken;

    /**
     * @param split          the regex {@code encoding} splits text with (enables the {@link PieceCache}),
     *                       or null to let JTokkit encode whole texts
     * @param firstSpecialId ids from here to {@code vocabSize} are special tokens or unused
     */
    JtokkitTokenizer(Encoding encoding, Pattern split, String type, int vocabSize, int eotToken, int firstSpecialId) {
        this.encoding = encoding;
        this.cache = split == null ? null : new PieceCache(encoding, split);
        this.type = type;
        this.vocabSize = vocabSize;
        this.eotToken = eotToken;
        warmSpecialTokenCache(firstSpecialId);
    }

    /**
     * JTokkit 1.1.0 caches a special token's bytes with HashMap.computeIfAbsent on its first decode:
     * a structural write, unsafe while executor threads share this instance. Decoding every special
     * id once here fills the cache before the instance is shared; later decodes only read it.
     */
    private void warmSpecialTokenCache(int firstSpecialId) {
        for (int id = firstSpecialId; id < vocabSize; id++) {
            IntArrayList one = new IntArrayList(1);
            one.add(id);
            try {
                encoding.decodeBytes(one);
            } catch (NullPointerException unusedId) {
                // a gap between the ranks and the special tokens (cl100k_base has some): nothing cached
            }
        }
    }

    @Override
    public int[] encode(String text) {
        String repaired = PreTokenizer.repairSurrogates(text);
        return cache != null ? cache.encode(repaired) : encoding.encodeOrdinary(repaired).toArray();
    }

    @Override
    public String decode(int[] tokens) {
        return new String(decodeBytes(tokens), UTF_8);
    }

    @Override
    public byte[] decodeBytes(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new IllegalArgumentException("token " + i + " is " + tokens[i] + ", outside " + type
                        + "'s vocabulary [0, " + vocabSize + ")");
            }
            list.add(tokens[i]);
        }
        try {
            return encoding.decodeBytes(list);
        } catch (NullPointerException unknownId) {
            // JTokkit signals ids inside the range but unused (gaps before the special tokens) this way.
            throw new IllegalArgumentException(type + " cannot decode: " + unknownId.getMessage(), unknownId);
        }
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int eotToken() {
        return eotToken;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String toString() {
        return type + "(vocab=" + vocabSize + ", eot=" + eotToken + ")";
    }
}
