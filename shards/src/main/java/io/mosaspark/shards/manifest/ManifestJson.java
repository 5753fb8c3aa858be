package io.mosaspark.shards.manifest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads and writes the JSON files of a shard set (snake_case keys, stable key order). */
public final class ManifestJson {
    /** Sorted map keys and fixed record field order make the bytes reproducible. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestJson() {
    }

    public static void write(Object value, Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        try (OutputStream out = fs.create(file, true)) {
            out.write(MAPPER.writeValueAsBytes(value));
            out.write('\n');
        }
    }

    /**
     * Reads a manifest of any readable {@link Manifest#formatVersion}, in the current shape.
     *
     * @throws IOException naming the file when it is not JSON, not a manifest, or of a version this build
     *                     does not read
     */
    public static Manifest read(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        JsonNode json;
        try (InputStream in = fs.open(file)) {
            json = MAPPER.readTree(in);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getOriginalMessage(), e);
        }
        if (!(json instanceof ObjectNode object)) {
            throw new IOException(file + " is not a valid manifest: expected a JSON object");
        }
        int version = object.path("format_version").asInt(-1);
        if (!Manifest.readable(version)) {
            throw new IOException(file + ": manifest format_version " + object.path("format_version")
                    + " is not supported (this build reads " + Manifest.OLDEST_READABLE_VERSION + " to "
                    + Manifest.FORMAT_VERSION + "; a newer set needs a newer mosa)");
        }
        try {
            return MAPPER.treeToValue(version == ManifestV1.VERSION ? ManifestV1.upgrade(object) : object,
                    Manifest.class);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getOriginalMessage(), e);
        }
    }
}
