package io.mosaspark.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the code that made an artifact: the Maven version plus the git commit, from the
 * {@code io/mosaspark/git.properties} resource that git-commit-id-maven-plugin writes at build time (root pom).
 * A build without {@code .git} (a source tarball) has no commit; it then says so rather than failing.
 *
 * @param version the Maven project version, or "unknown" when the resource is missing (classes not built by Maven)
 * @param commit  full git commit id, or null when unknown
 * @param dirty   whether the working tree had uncommitted changes at build time
 */
public record CodeVersion(String version, String commit, boolean dirty) {
    public static final String RESOURCE = "/io/mosaspark/git.properties";

    private static final CodeVersion CURRENT = load();

    /** The version of the running code (read once per JVM). */
    public static CodeVersion current() {
        return CURRENT;
    }

    static CodeVersion from(Properties git) {
        String commit = git.getProperty("git.commit.id");
        return new CodeVersion(git.getProperty("git.build.version", "unknown"),
                commit == null || commit.isBlank() ? null : commit,
                Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
    }

    private static CodeVersion load() {
        Properties git = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the classpath", e);
        }
        return from(git);
    }

    /** E.g. {@code mosa-spark 0.1.0 (git 57c5a96f…, dirty)}: the form written to manifests. */
    @Override
    public String toString() {
        String git = commit == null ? "git commit unknown" : "git " + commit + (dirty ? ", dirty" : "");
        return "mosa-spark " + version + " (" + git + ")";
    }
}
