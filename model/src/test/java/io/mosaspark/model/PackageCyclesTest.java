package io.mosaspark.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model library's packages depend on each other one way only (io and nn at the bottom, then config,
 * flops, attention, lm, checkpoint, preset, parity). A package that reaches back up to one that depends
 * on it fails this test, naming the cycle and the file that closes it.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/mosaspark/model");
    /** A reference to a class of another model package, in an import or written out in the code. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.mosaspark\\.model\\.([a-z][a-z0-9_]*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** One package's references to the others: target package → a file that makes it. */
    record Edges(Map<String, String> to) {
    }

    @Test
    void modelPackagesHaveNoCycles() {
        Map<String, Edges> graph = dependencies(SOURCES);
        assertTrue(graph.size() >= 8, "expected the model's packages under " + SOURCES.toAbsolutePath() + ", found " + graph.keySet());
        assertTrue(graph.get("lm").to().containsKey("attention"), "the parser sees imports: lm builds on attention " + graph);
        Optional<List<String>> cycle = findCycle(graph);
        assertTrue(cycle.isEmpty(), () -> "package cycle " + String.join(" -> ", cycle.get()) + describe(graph, cycle.get()));
    }

    @Test
    void aCycleIsFoundAndSpelledOut() {
        Map<String, Edges> graph = new TreeMap<>(Map.of(
                "config", new Edges(Map.of("flops", "config/Preset.java")),
                "flops", new Edges(Map.of("config", "flops/ModelFlops.java")),
                "nn", new Edges(Map.of())));
        assertEquals(Optional.of(List.of("config", "flops", "config")), findCycle(graph));
        assertEquals(Optional.empty(), findCycle(Map.of("lm", new Edges(Map.of("nn", "lm/Mlp.java")), "nn", new Edges(Map.of()))));
    }

    /** Every package under {@code root} (its first path segment) and the model packages its code refers to. */
    static Map<String, Edges> dependencies(Path root) {
        Map<String, Edges> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = root.relativize(file).getName(0).toString();
                Map<String, String> to = graph.computeIfAbsent(from, k -> new Edges(new TreeMap<>())).to();
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll("");
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(from)) to.putIfAbsent(m.group(1), root.relativize(file).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + root.toAbsolutePath(), e);
        }
        return graph;
    }

    /** The first cycle found by depth-first search, as a path that ends where it starts. */
    static Optional<List<String>> findCycle(Map<String, Edges> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            Optional<List<String>> c = visit(start, graph, new ArrayDeque<>(), done);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(String pkg, Map<String, Edges> graph, Deque<String> path, Set<String> done) {
        if (path.contains(pkg)) {
            List<String> onPath = new ArrayList<>(path);
            List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(pkg), onPath.size()));
            cycle.add(pkg);
            return Optional.of(cycle);
        }
        if (!done.add(pkg)) return Optional.empty();
        path.addLast(pkg);
        for (String next : graph.getOrDefault(pkg, new Edges(Map.of())).to().keySet()) {
            Optional<List<String>> c = visit(next, graph, path, done);
            if (c.isPresent()) return c;
        }
        path.removeLast();
        return Optional.empty();
    }

    private static String describe(Map<String, Edges> graph, List<String> cycle) {
        StringBuilder sb = new StringBuilder(":");
        for (int i = 0; i + 1 < cycle.size(); i++) {
            sb.append("\n  ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(" in ")
                    .append(graph.get(cycle.get(i)).to().get(cycle.get(i + 1)));
        }
        return sb.toString();
    }
}
