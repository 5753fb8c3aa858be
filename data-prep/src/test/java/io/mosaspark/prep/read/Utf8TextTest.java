package io.mosaspark.prep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lean decoding gives the text and count the JDK decoder gives when it replaces as it goes. */
class Utf8TextTest {

    /** The reference: the JDK decoder replacing each malformed sequence with one U+FFFD. */
    private static String replacedByDecoder(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b)).toString();
    }

    @Test
    void randomBytesDecodeAsTheJdkDecoderReplacesAndEveryReplacementIsCounted() throws Exception {
        Random random = new Random(3);
        // valid multi-byte sequences, their fragments, overlong forms, encoded surrogates, bytes past U+10FFFF
        byte[][] parts = {{'a'}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC},
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82},
                {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xFF}};
        for (int trial = 0; trial < 2000; trial++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = random.nextInt(40); i > 0; i--) {
                out.write(parts[random.nextInt(parts.length)]);
            }
            byte[] b = out.toByteArray();
            Utf8Text.Decoded d = Utf8Text.decode(b, 0, b.length);
            assertEquals(replacedByDecoder(b), d.text());
            // no part encodes U+FFFD itself, so every U+FFFD is a replacement of >= 1 counted byte, and the
            // rest of the bytes re-encode as they were
            long replacements = d.text().chars().filter(c -> c == 0xFFFD).count();
            assertTrue(d.malformedBytes() >= replacements);
            assertEquals(b.length - d.malformedBytes() + 3 * replacements,
                    d.text().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void anOffsetAndLengthDecodeOnlyThatRange() {
        byte[] b = {(byte) 0xFF, 'o', 'k', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF};
        Utf8Text.Decoded d = Utf8Text.decode(b, 1, 4);
        assertEquals("oké", d.text());
        assertEquals(0, d.malformedBytes());
        assertEquals(1, Utf8Text.decode(b, 1, 3).malformedBytes(), "a sequence cut by the range end");
    }
}
