package io.mosaspark.prep.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ZipfTextTest {

    @Test
    void generatedTextIsDeterministicAndTextLike() {
        ZipfText a = ZipfText.english(5);
        String doc = a.document(42, 2000);
        assertEquals(doc, ZipfText.english(5).document(42, 2000));
        assertNotEquals(doc, a.document(43, 2000));
        assertTrue(doc.length() >= 1900 && doc.contains(" ") && Character.isUpperCase(doc.charAt(0)), doc);
    }
}
