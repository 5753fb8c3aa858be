package io.mosaspark.prep.clean;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits documents longer than {@code --max-chars} into pieces instead of dropping them. A cut is
 * made at the last newline, else the last whitespace, in the second half of the window, else hard at
 * the limit; a cut never separates a surrogate pair (with {@code maxChars == 1} a piece may then hold the two
 * chars of one code point). Pieces are concatenated back to the original.
 */
public final class DocumentSplitter {
    private DocumentSplitter() {
    }

    public static List<String> split(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return List.of(text);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (text.length() - start > maxChars) {
            int cut = cutPoint(text, start, start + maxChars);
            pieces.add(text.substring(start, cut));
            start = cut;
        }
        if (start < text.length()) { // a cut that kept a surrogate pair whole may have reached the end
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    private static int cutPoint(String text, int start, int limit) {
        int earliest = start + Math.max(1, (limit - start) / 2);
        int newline = text.lastIndexOf('\n', limit - 1);
        if (newline >= earliest) {
            return newline + 1;
        }
        for (int i = limit - 1; i >= earliest; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i + 1;
            }
        }
        int cut = limit;
        if (Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) {
            // back off before the pair; only with --max-chars 1 is there no room, and the piece keeps both halves
            cut = cut - 1 > start ? cut - 1 : cut + 1;
        }
        return cut;
    }
}
