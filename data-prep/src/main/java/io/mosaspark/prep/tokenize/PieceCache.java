package io.mosaspark.prep.tokenize;

import com.knuddels.jtokkit.api.Encoding;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encodes text piece by piece, the pieces being the encoding's own split, and remembers each piece's
 * tokens: natural text repeats its words (Zipf), so most pieces are found instead of merged again. This
 * is the word cache Hugging Face tokenizers keep in front of BPE; JTokkit has none, hence hand-written.
 *
 * <p>The tokens are exactly JTokkit's for the whole text: BPE never merges across pieces, and a piece
 * alone splits to itself (the split regexes have no look-behind, and their one look-ahead, {@code (?!\S)},
 * also holds at the end of a piece). Tests compare it with JTokkit on hostile text and on the benchmark
 * corpus. One map per thread (Spark runs tasks on several threads); cleared when it reaches its bound.
 */
final class PieceCache {
    private static final int MAX_PIECES = 1 << 16;

    private final Encoding encoding;
    private final Pattern split;
    private final ThreadLocal<Map<String, int[]>> pieces = ThreadLocal.withInitial(HashMap::new);

    /** @param split the regex {@code encoding} splits text with, compiled as JTokkit does */
    PieceCache(Encoding encoding, Pattern split) {
        this.encoding = encoding;
        this.split = split;
    }

    int[] encode(String text) {
        Map<String, int[]> known = pieces.get();
        int[] out = new int[Math.max(16, text.length() / 3)];
        int n = 0;
        Matcher m = split.matcher(text);
        while (m.find()) {
            String piece = text.substring(m.start(), m.end());
            int[] tokens = known.get(piece);
            if (tokens == null) {
                tokens = encoding.encodeOrdinary(piece).toArray();
                if (known.size() >= MAX_PIECES) {
                    known.clear();
                }
                known.put(piece, tokens);
            }
            if (n + tokens.length > out.length) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, n + tokens.length));
            }
            System.arraycopy(tokens, 0, out, n, tokens.length);
            n += tokens.length;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
