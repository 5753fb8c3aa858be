package io.mosaspark.prep.read;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that never throws: each malformed sequence becomes U+FFFD and its bytes are
 * counted, so the manifest can report how much of the corpus was not valid UTF-8. The text comes from
 * {@code new String(bytes, UTF_8)}, which replaces exactly the sequences the JDK decoder reports, and
 * allocates only the String: decoding through a char buffer first would hold the text twice, which a
 * record of tens of megabytes cannot afford. The count is a second pass over the bytes that keeps no
 * output, skipped for pure ASCII.
 */
public final class Utf8Text {
    /** Enough for any code point; the counting pass discards what it decodes. */
    private static final int SCRATCH_CHARS = 8192;

    /** Decoded text and the number of bytes that were invalid. */
    public record Decoded(String text, int malformedBytes) {
    }

    private Utf8Text() {
    }

    public static Decoded decode(byte[] bytes, int offset, int length) {
        return new Decoded(new String(bytes, offset, length, StandardCharsets.UTF_8),
                malformedBytes(bytes, offset, length));
    }

    /** How many bytes the decoder replaces: the lengths of the malformed sequences it reports. */
    static int malformedBytes(byte[] bytes, int offset, int length) {
        int firstNonAscii = offset;
        int end = offset + length;
        while (firstNonAscii < end && bytes[firstNonAscii] >= 0) {
            firstNonAscii++;
        }
        if (firstNonAscii == end) {
            return 0;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, firstNonAscii, end - firstNonAscii);
        CharBuffer scratch = CharBuffer.allocate(Math.min(SCRATCH_CHARS, Math.max(2, end - firstNonAscii)));
        int malformed = 0;
        while (true) {
            CoderResult r = decoder.decode(in, scratch, true);
            if (r.isUnderflow()) {
                return malformed;
            }
            if (r.isOverflow()) {
                scratch.clear();
            } else {
                malformed += r.length();
                in.position(in.position() + r.length());
            }
        }
    }
}
