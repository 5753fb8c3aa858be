package io.mosaspark.cluster;

import org.apache.spark.deploy.SparkSubmitArguments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./mosa} launcher itself, run as a user runs it: the spark-submit line it builds for every
 * profile ({@code --dry-run}), read back by a shell to the arguments it stands for; the same arguments
 * reach a spark-submit when it runs; and its one-line refusals.
 */
class LauncherTest {

    private static final Path REPO = SparkProfiles.directory().getParent().getParent();
    private static final String JAR = "/opt/mosa-spark/lib/mosa-job-spark.jar";
    /** Arguments a shell would split or expand if the line did not quote them. */
    private static final List<String> COMMAND = List.of("train", "--data", "file:///data/my shards", "--set",
            "learning_rate=3e-4", "--out", "runs/it's $HOME *");

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    static Stream<String> profiles() {
        return SparkProfileTest.names();
    }

    static String masterOf(String profile) {
        return profile.startsWith("standalone") ? "spark://127.0.0.1:7077" : profile.startsWith("k8s") ? "k8s://https://127.0.0.1:6443" : null;
    }

    /** Runs ./mosa with {@code args}, no Spark installation on the PATH unless {@code sparkHome} is given. */
    Result mosa(List<String> args, Path sparkHome) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("mosa").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        env.remove("SPARK_HOME");
        env.remove("SPARK_SUBMIT_OPTS");
        env.put("PATH", "/usr/bin:/bin");
        env.put("MOSA_SPARK_JAR", JAR);
        env.put("MOSA_PROFILE_DIR", tmp.resolve("profiles").toString());
        if (sparkHome != null) env.put("SPARK_HOME", sparkHome.toString());
        Path out = tmp.resolve("stdout"), err = tmp.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "./mosa did not finish");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The words a shell reads from {@code line}. */
    static List<String> words(String line) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "eval \"set -- $LINE\"; printf '%s\\0' \"$@\"");
        pb.environment().put("LINE", line);
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return Arrays.asList(out.split("\0"));
    }

    static List<String> launcherArgs(String profile) {
        List<String> args = new ArrayList<>(List.of("--profile", profile));
        if (masterOf(profile) != null) args.addAll(List.of("--master", masterOf(profile)));
        args.addAll(List.of("--conf", "spark.executor.memory=16g"));
        if (profile.startsWith("k8s")) args.addAll(List.of("--conf", "spark.kubernetes.container.image=registry.example/mosa:1"));
        return args;
    }

    /** What the line must say after the environment: spark-submit, the merged profile, our class, the jar, the command. */
    void assertSubmitLine(String profile, List<String> argv) throws IOException {
        int submit = argv.indexOf("spark-submit") >= 0 ? argv.indexOf("spark-submit") : indexEndingWith(argv, "/bin/spark-submit");
        List<String> env = argv.subList(0, submit);
        assertEquals("env", env.get(0));
        assertTrue(env.containsAll(List.of("OMP_NUM_THREADS=1", "SD_MAX_THREADS=1", "SD_MASTER_THREADS=1")), env.toString());
        Path log4j = REPO.resolve("conf").resolve("log4j2.properties");
        assertTrue(env.contains("SPARK_SUBMIT_OPTS=-Dlog4j2.configurationFile=" + log4j), "the driver logs with our log4j2.properties: " + env);

        List<String> expected = new ArrayList<>(List.of("--properties-file", tmp.resolve("profiles").resolve(profile + ".conf").toString()));
        if (masterOf(profile) != null) expected.addAll(List.of("--master", masterOf(profile)));
        expected.addAll(List.of("--conf", "spark.executor.memory=16g"));
        if (profile.startsWith("k8s")) expected.addAll(List.of("--conf", "spark.kubernetes.container.image=registry.example/mosa:1"));
        expected.addAll(List.of("--class", "io.mosaspark.cli.Mosa", JAR));
        expected.addAll(COMMAND);
        assertEquals(expected, argv.subList(submit + 1, argv.size()), profile);
        // the properties file is the profile's layers merged, as the profile tests read them
        assertEquals(SparkProfiles.load(profile), SparkProfiles.read(tmp.resolve("profiles").resolve(profile + ".conf")), profile);
    }

    private static int indexEndingWith(List<String> argv, String suffix) {
        for (int i = 0; i < argv.size(); i++) if (argv.get(i).endsWith(suffix)) return i;
        throw new AssertionError("no " + suffix + " in " + argv);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void dryRunPrintsTheSparkSubmitLineOfEveryProfile(String profile) throws Exception {
        List<String> args = launcherArgs(profile);
        args.add("--dry-run");
        args.addAll(COMMAND);
        Result r = mosa(args, null);
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, "one line: " + r.out());
        assertSubmitLine(profile, words(lines[0]));
    }

    /** Spark's own spark-submit argument parser reads the line as meant: our class, jar and arguments, the profile's settings. */
    @ParameterizedTest
    @MethodSource("profiles")
    void sparkSubmitsOwnParserReadsTheLine(String profile) throws Exception {
        List<String> args = launcherArgs(profile);
        args.add("--dry-run");
        args.addAll(COMMAND);
        Result r = mosa(args, null);
        assertEquals(0, r.exit(), r.err());
        List<String> argv = words(r.out().strip());
        List<String> submitArgs = argv.subList(argv.indexOf("spark-submit") + 1, argv.size());
        // YARN's master needs a Hadoop configuration directory to be named; any will do for parsing
        scala.collection.immutable.Map<String, String> env = scala.collection.immutable.Map$.MODULE$.<String, String>empty()
                .$plus(new scala.Tuple2<>("HADOOP_CONF_DIR", tmp.toString()));
        SparkSubmitArguments parsed = new SparkSubmitArguments(
                scala.collection.JavaConverters.asScalaBuffer(new ArrayList<>(submitArgs)).toList(), env);
        assertEquals("io.mosaspark.cli.Mosa", parsed.mainClass());
        assertTrue(parsed.primaryResource().endsWith(JAR), parsed.primaryResource());
        assertEquals(COMMAND, new ArrayList<>(scala.collection.JavaConverters.bufferAsJavaList(parsed.childArgs())));
        Map<String, String> properties = new java.util.TreeMap<>(scala.collection.JavaConverters.mapAsJavaMap(parsed.sparkProperties()));
        Map<String, String> expected = new java.util.TreeMap<>(SparkProfiles.load(profile));
        expected.put("spark.executor.memory", "16g"); // --conf wins over the profile
        if (profile.startsWith("k8s")) expected.put("spark.kubernetes.container.image", "registry.example/mosa:1");
        assertEquals(expected, properties, profile);
        String master = masterOf(profile) != null ? masterOf(profile) : expected.get("spark.master");
        assertEquals(master, parsed.master(), profile);
    }

    /** The line --dry-run prints is what runs: a spark-submit under SPARK_HOME gets the same arguments. */
    @Test
    void withoutDryRunSparkSubmitGetsTheSameArguments() throws Exception {
        Path home = tmp.resolve("spark");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\nprintf '%s\\0' \"$0\" \"$@\" > \"$(dirname \"$0\")/argv\"\n"
                + "printf '%s' \"$SPARK_SUBMIT_OPTS\" > \"$(dirname \"$0\")/opts\"\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> args = launcherArgs("standalone-gpu");
        args.addAll(COMMAND);
        Result r = mosa(args, home);
        assertEquals(0, r.exit(), r.err());
        List<String> argv = Arrays.asList(Files.readString(bin.resolve("argv")).split("\0"));
        List<String> printed = new ArrayList<>(List.of("env", "OMP_NUM_THREADS=1", "SD_MAX_THREADS=1", "SD_MASTER_THREADS=1",
                "SPARK_SUBMIT_OPTS=" + Files.readString(bin.resolve("opts"))));
        printed.addAll(argv);
        assertSubmitLine("standalone-gpu", printed);

        args.add(args.indexOf("train"), "--dry-run");
        Result dry = mosa(args, home);
        assertEquals(printed, words(dry.out().strip()));
    }

    @Test
    void theProfileFollowsTheMastersScheme() throws Exception {
        Result r = mosa(List.of("--master", "spark://h:7077", "--dry-run", "inspect", "/data"), null);
        assertEquals(0, r.exit(), r.err());
        assertTrue(words(r.out().strip()).contains(tmp.resolve("profiles").resolve("standalone.conf").toString()), r.out());
    }

    @Test
    void refusalsAreOneLineNamingTheFix() throws Exception {
        Result noSpark = mosa(List.of("--profile", "yarn", "train"), null);
        assertRefused(noSpark, "spark-submit is not on PATH and SPARK_HOME is unset", "SPARK_HOME");
        assertRefused(mosa(List.of("--profile", "standalone", "--dry-run", "train"), null), "needs the cluster's URL", "--master spark://");
        assertRefused(mosa(List.of("--profile", "cluster-cpu", "train"), null), "no Spark profile 'cluster-cpu'",
                String.join(", ", SparkProfileTest.NAMES));
        assertRefused(mosa(List.of("--profile", "k8s", "--master", "k8s://https://h:6443", "train"), null),
                "spark.kubernetes.container.image is the placeholder", "--conf spark.kubernetes.container.image=");
        assertRefused(mosa(List.of("--conf", "spark.executor.memory", "train"), null), "--conf needs KEY=VALUE", "--conf spark.");
        assertRefused(mosa(List.of("--master", "mesos://h:5050", "train"), null), "cannot tell the profile", "--profile");
    }

    private static void assertRefused(Result r, String what, String fix) {
        assertEquals(2, r.exit(), "a launcher refusal is a usage error (exit 2): " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("mosa: ") && r.err().contains(what) && r.err().contains(fix), r.err());
    }
}
