package io.mosaspark.prep.tokenize;

/**
 * GPT-2's byte-to-unicode table (Hugging Face's ByteLevel): printable bytes map to themselves, the
 * other 68 to U+0100.. in byte order, so that every token is a visible string without spaces.
 */
final class GptByteLevelAlphabet {

    private static final char[] CHAR_OF_BYTE = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHAR_OF_BYTE[b] = (char) (printable ? b : next++);
        }
    }

    private GptByteLevelAlphabet() {
    }

    static String spell(byte[] token) {
        char[] chars = new char[token.length];
        for (int i = 0; i < token.length; i++) {
            chars[i] = CHAR_OF_BYTE[token[i] & 0xFF];
        }
        return new String(chars);
    }
}
