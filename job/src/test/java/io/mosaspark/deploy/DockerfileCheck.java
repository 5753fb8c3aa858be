package io.mosaspark.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks deploy/docker/Dockerfile against the build: the jar it copies is the one job/pom.xml makes and
 * lands where the manifests look for it ({@link BuildReferences#IMAGE_JAR}), the files it copies exist and
 * pass its .dockerignore, its Spark is the build's Spark, and the S3A jars it downloads are the build's own
 * (same version, same SHA-256). There is no maintained Dockerfile parser for Java (Docker's own is Go
 * code), so {@link #instructions} reads the subset of the syntax these files use: line continuations,
 * comments, parser directives, ARG defaults and ${VAR} substitution.
 */
final class DockerfileCheck {

    /** One instruction: its keyword, its words (flags such as --chmod=644 included), its first line. */
    record Instruction(String keyword, List<String> words, int line) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern MAVEN_URL = Pattern.compile(
            "https://repo1\\.maven\\.org/maven2/(.+)/([^/]+)/([^/]+)/\\2-\\3\\.jar");

    private final BuildReferences build;

    DockerfileCheck(BuildReferences build) {
        this.build = build;
    }

    static List<Instruction> instructions(Path dockerfile) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = 0, n = 0;
        for (String raw : Files.readAllLines(dockerfile)) {
            n++;
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) continue; // comments and directives
            if (!pending.isEmpty() && line.startsWith("#")) continue; // a comment inside a continued instruction
            if (pending.isEmpty()) start = n;
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String[] words = pending.toString().trim().split("\\s+");
            out.add(new Instruction(words[0].toUpperCase(), List.of(words).subList(1, words.length), start));
            pending.setLength(0);
        }
        return out;
    }

    List<String> problems(Path dockerfile) throws IOException {
        List<String> problems = new ArrayList<>();
        String where = build.repo().relativize(dockerfile.toAbsolutePath()).toString();
        Map<String, String> args = new LinkedHashMap<>();
        boolean jarCopied = false;
        List<String> ignore = dockerignore(dockerfile);
        for (Instruction i : instructions(dockerfile)) {
            String at = where + ":" + i.line() + ": ";
            switch (i.keyword()) {
                case "ARG" -> {
                    String[] kv = i.words().get(0).split("=", 2);
                    args.put(kv[0], kv.length > 1 ? substitute(kv[1], args) : "");
                }
                case "FROM" -> {
                    String image = substitute(i.words().get(0), args);
                    if (image.contains("spark:") && !image.contains(":" + BuildReferences.sparkVersion() + "-")) {
                        problems.add(at + "Spark image " + image + " is not the build's Spark " + BuildReferences.sparkVersion());
                    }
                }
                case "COPY" -> {
                    List<String> words = i.words().stream().filter(w -> !w.startsWith("--")).map(w -> substitute(w, args)).toList();
                    if (i.words().stream().anyMatch(w -> w.startsWith("--from="))) continue; // from another stage
                    String dest = words.get(words.size() - 1);
                    for (String source : words.subList(0, words.size() - 1)) {
                        if (source.endsWith(".jar")) {
                            jarCopied = true;
                            String expected = "job/target/" + build.sparkJarName();
                            if (!source.equals(expected)) {
                                problems.add(at + "copies " + source + ", but the build makes " + expected + " (job/pom.xml)");
                            }
                            if (!dest.equals(BuildReferences.IMAGE_JAR)) {
                                problems.add(at + "puts the jar at " + dest + ", the manifests run " + BuildReferences.IMAGE_JAR);
                            }
                        } else if (!Files.exists(build.repo().resolve(source))) {
                            problems.add(at + "copies " + source + ", which the repository does not have");
                        }
                        if (!ignore.isEmpty() && !passes(source, ignore)) {
                            problems.add(at + "copies " + source + ", which the .dockerignore leaves out of the context");
                        }
                    }
                }
                case "ADD" -> problems.addAll(download(at, i, args));
                default -> {
                }
            }
        }
        if (!jarCopied) problems.add(where + ": copies no job jar");
        return problems;
    }

    /** An ADD of a Maven Central jar: the build must have that very jar (version and SHA-256). */
    private List<String> download(String at, Instruction i, Map<String, String> args) throws IOException {
        String url = i.words().stream().filter(w -> w.startsWith("https://")).findFirst().map(w -> substitute(w, args)).orElse("");
        String checksum = i.words().stream().filter(w -> w.startsWith("--checksum=sha256:")).findFirst()
                .map(w -> w.substring("--checksum=sha256:".length())).orElse(null);
        Matcher m = MAVEN_URL.matcher(url);
        if (!m.matches()) return List.of(at + "downloads " + url + ", not a Maven Central jar this check can compare");
        if (checksum == null) return List.of(at + "downloads " + url + " without --checksum=sha256:...");
        String fileName = m.group(2) + "-" + m.group(3) + ".jar";
        Path local = classpathJar(fileName);
        if (local == null) return List.of(at + "downloads " + fileName + ", which is not on the build's classpath (another version?)");
        String actual = sha256(local);
        return actual.equals(checksum) ? List.of()
                : List.of(at + fileName + ": --checksum sha256:" + checksum + " but the build's copy has sha256:" + actual);
    }

    private static Path classpathJar(String fileName) {
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName() != null && p.getFileName().toString().equals(fileName)) return p;
        }
        return null;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Dockerfile's own ignore file (BuildKit reads NAME.dockerignore next to it), as glob patterns. */
    private static List<String> dockerignore(Path dockerfile) throws IOException {
        Path f = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        if (!Files.exists(f)) return List.of();
        return Files.readAllLines(f).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Docker's rule: the last pattern that matches decides; "!" patterns re-include. */
    private static boolean passes(String source, List<String> patterns) {
        String path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        boolean included = true;
        for (String p : patterns) {
            boolean negate = p.startsWith("!");
            String glob = (negate ? p.substring(1) : p).replaceAll("/$", "");
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (m.matches(Path.of(path))) included = negate;
        }
        return included;
    }

    private static String substitute(String s, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
        }
        return m.appendTail(out).toString();
    }
}
