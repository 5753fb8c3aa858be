package io.mosaspark.prep.clean;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a cleaned document's UTF-8 bytes: the identity used for exact deduplication and the split. */
public final class ContentHash {
    private ContentHash() {
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    /** The first 8 bytes of a hex digest as a long, the raw material of the split and the order. */
    public static long prefixLong(String hexDigest) {
        return Long.parseUnsignedLong(hexDigest.substring(0, 16), 16);
    }
}
