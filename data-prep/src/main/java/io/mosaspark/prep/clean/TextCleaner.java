package io.mosaspark.prep.clean;

import java.text.Normalizer;

/**
 * Normalises document text: line endings to '\n', control characters other than '\n' and '\t'
 * removed (also the BOM U+FEFF), lone UTF-16 surrogates (possible from JSON escapes such as
 * "\ud800") replaced by U+FFFD, then Unicode NFC.
 */
public final class TextCleaner {
    private static final char REPLACEMENT = '\uFFFD';

    private TextCleaner() {
    }

    public static String clean(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                sb.append('\n');
                if (i + 1 < n && raw.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(raw.charAt(i + 1))) {
                    sb.append(c).append(raw.charAt(++i));
                } else {
                    sb.append(REPLACEMENT);
                }
            } else if (Character.isLowSurrogate(c)) {
                sb.append(REPLACEMENT);
            } else if (c == '\n' || c == '\t' || !(Character.isISOControl(c) || c == '\uFEFF')) {
                sb.append(c);
            }
        }
        return Normalizer.normalize(sb, Normalizer.Form.NFC);
    }

    /** True when nothing but whitespace is left: such a document counts as empty. */
    public static boolean isBlank(String cleaned) {
        return cleaned.isBlank();
    }
}
