package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tiktoken's rank file, as read by {@code tiktoken.load.load_tiktoken_bpe} and JTokkit: one line per
 * token, {@code base64(token bytes) SPACE rank}, ranks 0..n-1 in order. Special tokens are not in it.
 */
final class TiktokenFile {

    private TiktokenFile() {
    }

    static byte[] write(List<byte[]> tokensByRank) {
        StringBuilder out = new StringBuilder(tokensByRank.size() * 12);
        Base64.Encoder base64 = Base64.getEncoder();
        for (int rank = 0; rank < tokensByRank.size(); rank++) {
            out.append(base64.encodeToString(tokensByRank.get(rank))).append(' ').append(rank).append('\n');
        }
        return out.toString().getBytes(US_ASCII);
    }

    /** Token bytes by rank; {@code source} names the file in error messages. */
    static List<byte[]> read(byte[] content, String source) {
        String text = new String(content, US_ASCII);
        List<byte[]> tokens = new ArrayList<>();
        Map<ByteBuffer, Integer> seen = new HashMap<>();
        Base64.Decoder base64 = Base64.getDecoder();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0 || space != line.lastIndexOf(' ')) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": expected 'base64 SPACE rank', got '"
                        + abbreviate(line) + "'");
            }
            byte[] token;
            int rank;
            try {
                token = base64.decode(line.substring(0, space));
                rank = Integer.parseInt(line.substring(space + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": " + e.getMessage()
                        + " in '" + abbreviate(line) + "'", e);
            }
            if (rank != tokens.size()) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": rank " + rank + " where rank "
                        + tokens.size() + " was expected (ranks must run 0, 1, 2, ... in order)");
            }
            if (token.length == 0) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": empty token");
            }
            Integer earlier = seen.putIfAbsent(ByteBuffer.wrap(token), rank);
            if (earlier != null) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": token of rank " + rank
                        + " repeats the bytes of rank " + earlier);
            }
            tokens.add(token);
        }
        return tokens;
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
