package io.mosaspark.prep.read;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that never throws: each malformed sequence becomes U+FFFD and its bytes are
 * counted, so the manifest can report how much of the corpus was not valid UTF-8. The JDK decoder
 * with REPLACE would hide the count, hence the explicit loop.
 */
public final class Utf8Text {

    /** Decoded text and the number of bytes that were invalid. */
    public record Decoded(String text, int malformedBytes) {
    }

    private Utf8Text() {
    }

    public static Decoded decode(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length);
        int malformed = 0;
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) {
                break;
            }
            if (r.isError()) {
                malformed += r.length();
                in.position(in.position() + r.length());
                out.put('\uFFFD');
            } else {
                throw new IllegalStateException("UTF-8 decoder overflow with a buffer of one char per byte");
            }
        }
        decoder.flush(out);
        out.flip();
        return new Decoded(out.toString(), malformed);
    }
}
