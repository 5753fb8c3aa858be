package io.mosaspark.prep.read;

/**
 * The value of a JSON string literal, cut from the text it was parsed from. Jackson would build the
 * value in its own segmented buffer, join the segments and copy them into a String: three copies of
 * a text that can be tens of megabytes. Here the parser only validates and skips the literal, and
 * the value is one substring (or, with escapes, one builder) of the line. Escapes are exactly JSON's:
 * the parser has rejected any other.
 */
final class JsonStringLiteral {
    private JsonStringLiteral() {
    }

    /** The value of the literal whose opening quote is at {@code json[quote]}. */
    static String at(String json, int quote) {
        if (json.charAt(quote) != '"') {
            throw new IllegalStateException("no string literal at char " + quote + " of the line");
        }
        int from = quote + 1;
        int close = json.indexOf('"', from);
        int escape = json.indexOf('\\', from);
        if (escape < 0 || escape > close) {
            return json.substring(from, close);
        }
        StringBuilder value = new StringBuilder(close - from);
        int i = from;
        // Each search resumes where the last one stopped, so a long value with many escapes stays linear.
        while (escape >= 0 && escape < close) {
            value.append(json, i, escape);
            i = unescape(json, escape, value);
            if (close < i) {
                close = json.indexOf('"', i); // the quote found was an escaped one
            }
            escape = json.indexOf('\\', i);
        }
        return value.append(json, i, close).toString();
    }

    /** Appends the char the escape at {@code json[backslash]} stands for; returns the index after it. */
    private static int unescape(String json, int backslash, StringBuilder out) {
        char c = json.charAt(backslash + 1);
        switch (c) {
            case '"', '\\', '/' -> out.append(c);
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                out.append((char) Integer.parseInt(json, backslash + 2, backslash + 6, 16));
                return backslash + 6;
            }
            default -> throw new IllegalStateException("the parser passed an invalid escape \\" + c);
        }
        return backslash + 2;
    }
}
