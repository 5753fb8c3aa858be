package io.mosaspark.deploy;

import io.mosaspark.cli.Mosa;
import io.mosaspark.cluster.SparkProfiles;
import io.mosaspark.model.preset.Presets;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the deployment files may name, answered by the build itself: classes on the classpath, Spark's
 * own configuration keys, the {@code mosa} command line (picocli's model of {@link Mosa}), the Spark
 * profiles in {@code conf/spark}, the presets, and the name of the jar the job's pom makes. Each check
 * returns the problem as one line (empty when there is none), so that a checker can list every problem
 * of a file at once.
 */
final class BuildReferences {

    /** Where the images keep the job's Spark jar (the contract between deploy/docker and every manifest). */
    static final String IMAGE_JAR = "/opt/mosa-spark/lib/mosa-job-spark.jar";

    /**
     * Keys of Spark's YARN and Kubernetes modules, which the build does not carry (the cluster's Spark
     * does): those the files use, spelled as Spark's "Running on YARN" and "Running on Kubernetes" pages
     * document them.
     */
    private static final Set<String> CLUSTER_MANAGER_KEYS = Set.of(
            "spark.yarn.queue", "spark.yarn.resourceGpuDeviceName", "spark.yarn.dist.files",
            "spark.yarn.maxAppAttempts", "spark.kubernetes.executor.deleteOnTermination",
            "spark.kubernetes.namespace", "spark.kubernetes.container.image",
            "spark.kubernetes.authenticate.driver.serviceAccountName");
    /** Families whose names are the user's: environment variables, Hadoop settings, resource names. */
    private static final List<Pattern> KEY_FAMILIES = List.of(
            Pattern.compile("spark\\.executorEnv\\.[A-Za-z_][A-Za-z0-9_]*"),
            Pattern.compile("spark\\.kubernetes\\.driverEnv\\.[A-Za-z_][A-Za-z0-9_]*"),
            Pattern.compile("spark\\.hadoop\\.[a-z0-9.-]+"),
            // ResourceUtils' spark.{driver,executor,worker}.resource.NAME.{amount,discoveryScript,vendor}, and the task's amount
            Pattern.compile("spark\\.(driver|executor|worker)\\.resource\\.[a-z0-9]+\\.(amount|discoveryScript|vendor)"),
            Pattern.compile("spark\\.task\\.resource\\.[a-z0-9]+\\.amount"));
    /** Keys whose value is a class the application or its filesystem loads. */
    private static final Pattern CLASS_VALUED = Pattern.compile(
            "spark\\.serializer|spark\\.kryo\\.registrator|spark\\.hadoop\\..*\\.(credentials\\.provider|impl)");

    private final Path repo;

    BuildReferences(Path repo) {
        this.repo = repo;
    }

    /** The checkout these tests run in (they run in the module directory, job/). */
    static BuildReferences ofCheckout() {
        return new BuildReferences(Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent());
    }

    Path repo() {
        return repo;
    }

    /** Whether {@code name} is a class of the build. */
    Optional<String> className(String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("class " + name + " is not in the build");
        }
    }

    /** Whether {@code key} is a Spark setting: one of Spark's own config entries, or of a documented family. */
    Optional<String> sparkKey(String key, String value) {
        if (!knownSparkKey(key)) {
            return Optional.of("'" + key + "' is not a Spark setting (no such config entry in Spark "
                    + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")");
        }
        if (CLASS_VALUED.matcher(key).matches()) {
            for (String c : value.split(",")) {
                Optional<String> p = className(c.trim());
                if (p.isPresent()) return Optional.of(key + ": " + p.get());
            }
        }
        return Optional.empty();
    }

    private static boolean knownSparkKey(String key) {
        SparkConfigEntries.load();
        return SparkConfigEntries.exists(key) || CLUSTER_MANAGER_KEYS.contains(key)
                || KEY_FAMILIES.stream().anyMatch(p -> p.matcher(key).matches());
    }

    /** Whether {@code conf/spark/profiles} names profile {@code name} (the names users pass to ./mosa --profile). */
    Optional<String> profile(String name) {
        return SparkProfiles.profiles(sparkConf()).containsKey(name) ? Optional.empty()
                : Optional.of("Spark profile '" + name + "' does not exist (not in " + repo.relativize(sparkConf().resolve("profiles")) + ")");
    }

    /** Profile {@code name} merged from its layers, as ./mosa --profile submits it. */
    Map<String, String> profileSettings(String name) {
        try {
            return SparkProfiles.load(sparkConf(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path sparkConf() {
        return repo.resolve("conf/spark");
    }

    /**
     * Whether {@code args} is a command line {@code mosa} accepts: picocli parses it against the real
     * command tree (every subcommand exists, every option belongs to it, values convert), and a
     * {@code --preset} with its {@code --set} overrides loads.
     */
    Optional<String> command(List<String> args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = Mosa.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return Optional.of("`mosa " + String.join(" ", args) + "`: " + e.getMessage());
        }
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) leaf = leaf.subcommand();
        if (leaf == parsed) return Optional.of("`mosa " + String.join(" ", args) + "` names no command");
        if (leaf.hasMatchedOption("--preset")) {
            List<String> overrides = leaf.hasMatchedOption("--set") ? leaf.matchedOptionValue("--set", List.of()) : List.of();
            try {
                Presets.load(leaf.matchedOptionValue("--preset", ""), overrides);
            } catch (RuntimeException e) {
                return Optional.of("`mosa " + String.join(" ", args) + "`: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The subcommand path of a command line ({@code [registry, promote]}), as far as picocli knows it. */
    static List<String> commandPath(List<String> args) {
        List<String> path = new ArrayList<>();
        CommandLine at = Mosa.commandLine();
        for (String a : args) {
            CommandLine sub = at.getSubcommands().get(a);
            if (sub == null) break;
            path.add(a);
            at = sub;
        }
        return path;
    }

    /** The file name of the job's Spark jar, as job/pom.xml builds it: artifactId-version-classifier.jar. */
    String sparkJarName() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(repo.resolve("job/pom.xml").toFile());
            Element project = pom.getDocumentElement();
            String artifact = child(project, "artifactId");
            String version = Optional.ofNullable(child(project, "version")).orElse(child(first(project, "parent"), "version"));
            String classifier = pom.getElementsByTagName("shadedClassifierName").item(0).getTextContent().trim();
            return artifact + "-" + version + "-" + classifier + ".jar";
        } catch (Exception e) {
            throw new IllegalStateException("cannot read job/pom.xml: " + e, e);
        }
    }

    /** The Spark version of the build (the images and manifests must name the same). */
    static String sparkVersion() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    private static Element first(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static String child(Element parent, String name) {
        Element e = parent == null ? null : first(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    /** Spark's registry of config entries, filled as the objects that declare them are initialised. */
    private static final class SparkConfigEntries {
        private static volatile boolean loaded;

        static void load() {
            if (loaded) return;
            for (String holder : List.of("org.apache.spark.internal.config.package$", "org.apache.spark.sql.internal.SQLConf$",
                    "org.apache.spark.internal.config.History$", "org.apache.spark.internal.config.Worker$",
                    "org.apache.spark.internal.config.Deploy$", "org.apache.spark.internal.config.Kryo$",
                    "org.apache.spark.internal.config.UI$", "org.apache.spark.internal.config.Network$",
                    "org.apache.spark.internal.config.Python$", "org.apache.spark.internal.config.Status$")) {
                try {
                    Class.forName(holder, true, BuildReferences.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("Spark " + sparkVersion() + " has no " + holder + ": update this list", e);
                }
            }
            loaded = true;
        }

        static boolean exists(String key) {
            return org.apache.spark.internal.config.ConfigEntry.findEntry(key) != null;
        }
    }
}
