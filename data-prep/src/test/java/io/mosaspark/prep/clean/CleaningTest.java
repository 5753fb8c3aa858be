package io.mosaspark.prep.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.read.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleaningTest {

    @Test
    void invalidUtf8IsReplacedAndCounted() {
        byte[] bytes = {'a', (byte) 0xFF, 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82};
        Utf8Text.Decoded d = Utf8Text.decode(bytes, 0, bytes.length);
        assertEquals("a\uFFFDbé\uFFFD", d.text());
        assertEquals(3, d.malformedBytes());
    }

    @Test
    void validUtf8CountsNothing() {
        byte[] bytes = "emoji 👩‍👩‍👧 and 中文".getBytes(StandardCharsets.UTF_8);
        Utf8Text.Decoded d = Utf8Text.decode(bytes, 0, bytes.length);
        assertEquals("emoji 👩‍👩‍👧 and 中文", d.text());
        assertEquals(0, d.malformedBytes());
    }

    @Test
    void cleanerNormalisesNfcLineEndingsControlsAndLoneSurrogates() {
        assertEquals("café", TextCleaner.clean("cafe\u0301"));
        assertEquals("a\nb\nc", TextCleaner.clean("a\r\nb\rc"));
        assertEquals("tab\tkept, bell gone", TextCleaner.clean("\uFEFFtab\tkept, \u0007bell gone\u0000"));
        assertEquals("x\uFFFDy\uFFFD", TextCleaner.clean("x\uD800y\uDC00"));
        assertEquals("😀", TextCleaner.clean("😀"));
        assertTrue(TextCleaner.isBlank(TextCleaner.clean(" \t\u0001\r\n")));
    }

    @Test
    void longDocumentsAreSplitNotDroppedAndPiecesReassemble() {
        String doc = "word ".repeat(500) + "x".repeat(3000);
        List<String> pieces = DocumentSplitter.split(doc, 1000);
        assertEquals(doc, String.join("", pieces));
        assertTrue(pieces.stream().allMatch(p -> p.length() <= 1000 && !p.isEmpty()));
        assertTrue(pieces.get(0).endsWith(" "), "first cut at whitespace");
        assertEquals(List.of("short"), DocumentSplitter.split("short", 1000));
    }

    @Test
    void splittingNeverSeparatesASurrogatePair() {
        String doc = "😀".repeat(10);
        for (int maxChars : new int[] {1, 2, 3}) { // 1: no cut fits inside the limit, so a piece keeps the pair
            List<String> pieces = DocumentSplitter.split(doc, maxChars);
            assertEquals(doc, String.join("", pieces));
            for (String p : pieces) {
                assertTrue(!Character.isLowSurrogate(p.charAt(0))
                        && !Character.isHighSurrogate(p.charAt(p.length() - 1)), maxChars + ": piece " + p);
            }
        }
    }
}
