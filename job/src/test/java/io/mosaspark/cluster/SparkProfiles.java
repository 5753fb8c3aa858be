package io.mosaspark.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The checkout's {@code conf/spark/} files, read as spark-submit's {@code --properties-file} reads them. */
final class SparkProfiles {

    private SparkProfiles() {
    }

    /** The checkout's {@code conf/spark} directory (tests run in the module directory, job/). */
    static Path directory() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return module.resolveSibling("conf").resolve("spark");
    }

    /** Profile {@code name} ({@code conf/spark/NAME.conf}): its keys and values, trimmed. */
    static Map<String, String> load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(directory().resolve(name + ".conf"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }
}
