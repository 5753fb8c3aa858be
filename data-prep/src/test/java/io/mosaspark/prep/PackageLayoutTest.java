package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package layout true: PrepareCorpus and PrepConfig sit in the root package and use the leaf
 * packages, never the other way round, and no two packages depend on each other through any path.
 * Dependencies are every mention of an {@code io.mosaspark.prep} type in main sources (imports and
 * fully qualified names).
 */
class PackageLayoutTest {
    private static final String ROOT = "io.mosaspark.prep";
    private static final Path SOURCES = Path.of("src/main/java/io/mosaspark/prep");
    private static final Pattern MENTION = Pattern.compile("\\bio\\.mosaspark\\.prep((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    /** Package (relative to ROOT, "" for ROOT itself) → packages its classes mention. */
    static Map<String, Set<String>> dependencies() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the data-prep module directory: " + SOURCES.toAbsolutePath());
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> used = deps.computeIfAbsent(pkg, p -> new TreeSet<>());
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = MENTION.matcher(line);
                    while (m.find()) {
                        String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                        if (!target.equals(pkg)) {
                            used.add(target);
                        }
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void noPackageUsesAPackageAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        dependencies().forEach((pkg, used) -> used.stream()
                .filter(target -> !pkg.isEmpty() && (target.isEmpty() || pkg.startsWith(target + ".")))
                .forEach(target -> upward.add(name(pkg) + " → " + name(target))));
        assertEquals(List.of(), upward);
    }

    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertTrue(deps.size() > 5, "found the packages: " + deps.keySet());
        Set<String> done = new TreeSet<>();
        for (String pkg : deps.keySet()) {
            List<String> cycle = cycleFrom(pkg, deps, new ArrayList<>(), done);
            assertEquals(List.of(), cycle, "package cycle");
        }
    }

    /** Depth-first; returns the packages of a cycle through {@code path}, or an empty list. */
    private static List<String> cycleFrom(String pkg, Map<String, Set<String>> deps, List<String> path,
                                          Set<String> done) {
        int seen = path.indexOf(pkg);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(pkg);
            return cycle.stream().map(PackageLayoutTest::name).toList();
        }
        if (done.contains(pkg)) {
            return List.of();
        }
        path.add(pkg);
        for (String next : deps.getOrDefault(pkg, Set.of())) {
            List<String> cycle = cycleFrom(next, deps, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.add(pkg);
        return List.of();
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? ROOT : ROOT + "." + pkg;
    }
}
