package io.mosaspark.shards.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardFormatTest {
    @TempDir
    Path tmp;

    private Path write(TokenWidth width, int[] tokens, int eot) throws IOException {
        Path file = tmp.resolve("s_" + width + ".bin");
        try (OutputStream out = Files.newOutputStream(file);
             ShardWriter w = new ShardWriter(out, file.toString(), width, tokens.length, eot)) {
            w.write(tokens, 0, 3);
            w.write(tokens, 3, tokens.length);
            ShardWriter.Written done = w.finish();
            assertEquals(tokens.length, done.tokens());
            assertEquals(Arrays.stream(tokens).filter(t -> t == eot).count(), done.documents());
        }
        return file;
    }

    @Test
    void uint16ShardFollowsLlmcLayoutAndRoundTrips() throws IOException {
        int[] tokens = {50256, 15496, 995, 50256, 0, 65535, 7};
        Path file = write(TokenWidth.UINT16, tokens, 50256);
        assertEquals(1024 + 2 * tokens.length, Files.size(file));
        LlmcShardFile independent = LlmcShardFile.read(file);
        assertEquals(20240520, independent.magic());
        assertEquals(1, independent.version());
        assertArrayEquals(tokens, independent.tokens());
        try (ShardReader r = ShardReader.open(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())) {
            int[] mid = new int[3];
            r.read(2, mid);
            assertArrayEquals(new int[] {995, 50256, 0}, mid);
        }
    }

    @Test
    void uint32VariantUsesLlama3MagicAndVersion() throws IOException {
        int[] tokens = {199999, 70000, 1, 199998};
        Path file = write(TokenWidth.UINT32, tokens, 199999);
        LlmcShardFile independent = LlmcShardFile.read(file);
        assertEquals(20240801, independent.magic());
        assertEquals(7, independent.version());
        assertArrayEquals(tokens, independent.tokens());
        assertEquals(TokenWidth.UINT32, TokenWidth.forVocabSize(65_536));
        assertEquals(TokenWidth.UINT16, TokenWidth.forVocabSize(65_535));
    }

    @Test
    void tokenTooLargeForUint16IsRefused() throws IOException {
        Path file = tmp.resolve("big.bin");
        try (OutputStream out = Files.newOutputStream(file);
             ShardWriter w = new ShardWriter(out, "big.bin", TokenWidth.UINT16, 1, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new int[] {70000}, 0, 1));
            assertTrue(e.getMessage().contains("70000") && e.getMessage().contains("uint16"), e.getMessage());
        }
    }

    @Test
    void writingFewerTokensThanPlannedFails() throws IOException {
        Path file = tmp.resolve("short.bin");
        try (OutputStream out = Files.newOutputStream(file);
             ShardWriter w = new ShardWriter(out, "short.bin", TokenWidth.UINT16, 5, 0)) {
            w.write(new int[] {1, 2}, 0, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class, w::finish);
            assertTrue(e.getMessage().contains("wrote 2 tokens, planned 5"), e.getMessage());
        }
    }

    @Test
    void badMagicTruncatedAndShortFilesAreRefusedNamingTheFile() throws IOException {
        Path good = write(TokenWidth.UINT16, new int[] {1, 2, 3, 4}, 0);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1));
        InvalidShardException e1 = assertThrows(InvalidShardException.class, () -> open(truncated));
        assertTrue(e1.getMessage().contains("truncated.bin") && e1.getMessage().contains("truncated"), e1.getMessage());

        Path magic = tmp.resolve("magic.bin");
        byte[] bad = bytes.clone();
        bad[0] ^= 1;
        Files.write(magic, bad);
        InvalidShardException e2 = assertThrows(InvalidShardException.class, () -> open(magic));
        assertTrue(e2.getMessage().contains("magic.bin") && e2.getMessage().contains("bad magic"), e2.getMessage());

        Path version = tmp.resolve("version.bin");
        byte[] badVersion = bytes.clone();
        badVersion[4] = 7;
        Files.write(version, badVersion);
        InvalidShardException e3 = assertThrows(InvalidShardException.class, () -> open(version));
        assertTrue(e3.getMessage().contains("version 7"), e3.getMessage());

        Path tiny = tmp.resolve("tiny.bin");
        Files.write(tiny, new byte[10]);
        InvalidShardException e4 = assertThrows(InvalidShardException.class, () -> open(tiny));
        assertTrue(e4.getMessage().contains("shorter"), e4.getMessage());
    }

    private static void open(Path p) throws IOException {
        ShardReader.open(new org.apache.hadoop.fs.Path(p.toUri()), new Configuration()).close();
    }

    @Test
    void bulkReadsLandAtTheirOffsetAndSpanTheReadersChunks() throws IOException {
        int[] narrow = new int[ShardReader.MAX_CHUNK_BYTES / 2 + 1000];
        Arrays.setAll(narrow, i -> (i * 7919) & 0xFFFF);
        int[] wide = new int[ShardReader.MAX_CHUNK_BYTES / 4 + 1000];
        Arrays.setAll(wide, i -> i * 104_729 & 0x7FFF_FFFF);
        for (TokenWidth width : TokenWidth.values()) {
            int[] tokens = width == TokenWidth.UINT16 ? narrow : wide;
            Path file = write(width, tokens, -1);
            try (ShardReader r = ShardReader.open(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())) {
                int[] all = new int[tokens.length + 2];
                r.read(0, all, 1, tokens.length);
                assertArrayEquals(tokens, Arrays.copyOfRange(all, 1, tokens.length + 1), width.dtype());
                assertEquals(0, all[0]);
                int[] tail = new int[5];
                r.read(tokens.length - 5, tail);
                assertArrayEquals(Arrays.copyOfRange(tokens, tokens.length - 5, tokens.length), tail);
                assertThrows(IndexOutOfBoundsException.class, () -> r.read(tokens.length - 4, tail));
            }
        }
    }
}
