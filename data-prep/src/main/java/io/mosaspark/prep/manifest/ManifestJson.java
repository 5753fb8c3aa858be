package io.mosaspark.prep.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

    public static Manifest read(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        try (InputStream in = fs.open(file)) {
            return MAPPER.readValue(in, Manifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getOriginalMessage(), e);
        }
    }
}
