package io.mosaspark.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The checkout's Spark profiles as {@code ./mosa --profile NAME} builds them: {@code conf/spark/profiles}
 * names each profile's layers ({@code conf/spark/layers/LAYER.conf}), merged in order into the one file
 * spark-submit's {@code --properties-file} reads. Public for other packages' tests that check profile
 * names and keys (deploy manifests).
 */
public final class SparkProfiles {

    private SparkProfiles() {
    }

    /** The checkout's {@code conf/spark} directory (tests run in the module directory, job/). */
    public static Path directory() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return module.resolveSibling("conf").resolve("spark");
    }

    /** Every profile name, in the order of {@code conf/spark/profiles}, with its layers. */
    public static Map<String, List<String>> profiles() {
        return profiles(directory());
    }

    /** The profiles of the {@code conf/spark} directory {@code dir} (another checkout's, in tests of checks). */
    public static Map<String, List<String>> profiles(Path dir) {
        Map<String, List<String>> profiles = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("profiles"), StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                List<String> words = Arrays.asList(s.split("\\s+"));
                profiles.put(words.get(0), List.copyOf(words.subList(1, words.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return profiles;
    }

    /** The layers of profile {@code name}. */
    public static List<String> layers(String name) {
        List<String> layers = profiles().get(name);
        if (layers == null) throw new IllegalArgumentException("no Spark profile " + name + " in " + directory().resolve("profiles"));
        return layers;
    }

    /** One layer's keys and values, trimmed, as {@link Properties} reads them. */
    public static Map<String, String> layer(String layer) throws IOException {
        return read(directory().resolve("layers").resolve(layer + ".conf"));
    }

    /** Profile {@code name} merged: its layers in order, a later layer's key winning (as in one properties file). */
    public static Map<String, String> load(String name) throws IOException {
        return load(directory(), name);
    }

    /** Profile {@code name} of the {@code conf/spark} directory {@code dir}, merged as {@link #load(String)}. */
    public static Map<String, String> load(Path dir, String name) throws IOException {
        List<String> layers = profiles(dir).get(name);
        if (layers == null) throw new IllegalArgumentException("no Spark profile " + name + " in " + dir.resolve("profiles"));
        Map<String, String> m = new TreeMap<>();
        for (String layer : layers) m.putAll(read(dir.resolve("layers").resolve(layer + ".conf")));
        return m;
    }

    /** A properties file's keys and values, trimmed. */
    public static Map<String, String> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }
}
