package io.mosaspark.prep.read;

import io.airlift.compress.zstd.ZstdCodec;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.io.compress.GzipCodec;

/**
 * Chooses the decompression codec of an input file by its extension (.gz, .bz2, .zst, .deflate).
 *
 * <p>Hadoop 3.3's own ZStandardCodec needs the native libhadoop, which Spark distributions and this
 * build do not ship, so {@code .zst} is mapped to aircompressor's pure-Java, Hadoop-compatible
 * {@link ZstdCodec} (aircompressor is already on Spark's classpath). Codecs registered later in
 * {@code io.compression.codecs} win the extension, so ours is appended last.
 */
public final class CompressionCodecs {
    public static final String CODECS_KEY = "io.compression.codecs";

    private CompressionCodecs() {
    }

    /** Adds the codecs we rely on to {@code conf} (idempotent), keeping any the user configured. */
    public static Configuration register(Configuration conf) {
        Set<String> codecs = new LinkedHashSet<>();
        String existing = conf.get(CODECS_KEY, "");
        for (String c : existing.split(",")) {
            if (!c.isBlank()) {
                codecs.add(c.trim());
            }
        }
        codecs.add(GzipCodec.class.getName());
        codecs.add(BZip2Codec.class.getName());
        codecs.add(DefaultCodec.class.getName());
        codecs.remove(ZstdCodec.class.getName());
        codecs.add(ZstdCodec.class.getName());
        conf.set(CODECS_KEY, String.join(",", codecs));
        return conf;
    }

    /** The codec for {@code file}, or null when it is not compressed. */
    public static CompressionCodec forFile(Configuration conf, Path file) {
        return new CompressionCodecFactory(conf).getCodec(file);
    }
}
