package io.mosaspark.prep.tokenize;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Splits text into the pieces BPE merges never cross, with the same regex flags JTokkit compiles
 * its own patterns with, so that training and encoding split identically.
 */
public final class PreTokenizer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** GPT-2's split (tiktoken's r50k_base spelling); Hugging Face's ByteLevel pre-tokenizer uses the same. */
    public static final String GPT2_PATTERN =
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** cl100k_base's split: numbers in groups of at most 3 digits, case-insensitive contractions. */
    public static final String CL100K_PATTERN =
            "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*"
                    + "|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

    /**
     * Text every usable pattern must cover completely: a piece of text the pattern skips would be
     * silently dropped by encoding.
     */
    private static final String COVERAGE_PROBE =
            "Hello, world! It's 2024: 3.14159 \u00e9t\u00e9 \u4e2d\u6587 \u05e9\u05dc\u05d5\u05dd \ud83d\udc68\u200d\ud83d\udc69"
                    + "\t\n\n  x\u0000y \u0301a\r\n<|endoftext|>   ";

    private final String regex;
    private transient Pattern pattern;

    /** @param nameOrRegex {@code gpt2}, {@code cl100k} or a regular expression */
    public PreTokenizer(String nameOrRegex) {
        this.regex = resolvePattern(nameOrRegex);
        this.pattern = compile(regex);
    }

    /** {@code gpt2}, {@code cl100k} or a regular expression. */
    public static String resolvePattern(String nameOrRegex) {
        return switch (nameOrRegex) {
            case "gpt2" -> GPT2_PATTERN;
            case "cl100k" -> CL100K_PATTERN;
            default -> nameOrRegex;
        };
    }

    /** JTokkit's flags: \p{..} and \s follow Unicode. */
    static Pattern compile(String regex) {
        if (regex == null || regex.isEmpty()) {
            throw new IllegalArgumentException("pattern: must be a non-empty regular expression (or 'gpt2' / 'cl100k')");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a valid Java regular expression: " + e.getMessage(), e);
        }
        String probe = repairSurrogates(COVERAGE_PROBE);
        StringBuilder covered = new StringBuilder();
        Matcher m = compiled.matcher(probe);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            covered.append(m.group());
            end = m.end();
        }
        if (!covered.toString().equals(probe)) {
            throw new IllegalArgumentException("pattern: must match every character of the text (else encoding "
                    + "drops text); it leaves a gap at offset " + covered.length() + " of the probe text "
                    + "near '" + probe.substring(covered.length(), Math.min(probe.length(), covered.length() + 8))
                    + "'. Use 'gpt2' or 'cl100k' or add a catch-all alternative such as '|\\s+|.'");
        }
        return compiled;
    }

    public String regex() {
        return regex;
    }

    Pattern pattern() {
        if (pattern == null) {
            pattern = compile(regex);
        }
        return pattern;
    }

    /** The pieces of {@code text} in order; their concatenation is {@code repairSurrogates(text)}. */
    public List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        forEachPiece(text, pieces::add);
        return pieces;
    }

    /** As {@link #split} without building the list (the word count's hot loop). */
    public void forEachPiece(String text, Consumer<String> action) {
        Matcher m = pattern().matcher(repairSurrogates(text));
        while (m.find()) {
            if (m.end() > m.start()) {
                action.accept(m.group());
            }
        }
    }

    /** UTF-8 bytes of {@code piece}. */
    static byte[] utf8(String piece) {
        return piece.getBytes(UTF_8);
    }

    /**
     * Replaces each lone UTF-16 surrogate with U+FFFD. Java's UTF-8 encoder would silently turn
     * it into '?', a real character; U+FFFD says "something unrepresentable was here".
     */
    public static String repairSurrogates(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i += 2;
            } else if (Character.isSurrogate(c)) {
                break;
            } else {
                i++;
            }
        }
        if (i == n) {
            return text;
        }
        StringBuilder repaired = new StringBuilder(n).append(text, 0, i);
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                repaired.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                repaired.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return repaired.toString();
    }
}
