package io.mosaspark.shards.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An independent reader of llm.c token shards written straight from llm.c's data_common.py layout
 * (256 int32 header: magic, version, count; then uint16 or uint32 tokens), sharing no code with
 * the production reader so that a layout bug cannot hide in both.
 */
public record LlmcShardFile(int magic, int version, int count, int[] tokens) {

    public static LlmcShardFile read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] header = new int[256];
        for (int i = 0; i < 256; i++) {
            header[i] = b.getInt();
        }
        boolean gpt2 = header[0] == 20240520 && header[1] == 1;
        boolean llama3 = header[0] == 20240801 && header[1] == 7;
        if (!gpt2 && !llama3) {
            throw new IOException(file + ": not an llm.c shard header " + header[0] + "/" + header[1]);
        }
        int count = header[2];
        int width = gpt2 ? 2 : 4;
        if (b.remaining() != (long) count * width) {
            throw new IOException(file + ": " + b.remaining() + " token bytes for " + count + " tokens");
        }
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = gpt2 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        }
        for (int i = 3; i < 256; i++) {
            if (header[i] != 0) {
                throw new IOException(file + ": reserved header int " + i + " not zero");
            }
        }
        return new LlmcShardFile(header[0], header[1], count, tokens);
    }
}
