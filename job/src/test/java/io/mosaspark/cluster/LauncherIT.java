package io.mosaspark.cluster;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./mosa --profile local prepare …} through a real spark-submit: Spark's own launcher
 * ({@code org.apache.spark.launcher.Main}, what {@code bin/spark-class} runs) builds the driver's java
 * command from the merged profile, and {@code SparkSubmit} runs the spark-submit jar's Mosa in local mode.
 * The Spark installation is made of the jars Spark ships (this test's classpath without our modules), laid
 * out as a Spark distribution. Runs in the integration-test phase, after `package` built the jar.
 */
class LauncherIT {

    /** bin/spark-submit as Spark's distribution has it, in short: the launcher prints the command, then it runs. */
    private static final String SPARK_SUBMIT = """
            #!/usr/bin/env bash
            set -euo pipefail
            export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)" SPARK_SCALA_VERSION=2.12
            cmd=()
            while IFS= read -r -d '' arg; do arg="${arg#$'\\n'}"; [[ -n "$arg" ]] && cmd+=("$arg"); done \\
              < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@")
            printf '%s\\0' "${cmd[@]}" > "$SPARK_HOME/driver-command"
            exec "${cmd[@]}"
            """;

    private static Path jar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findTheJar() {
        assumeTrue(System.getProperty("mosa.spark.jar") != null, "mosa.spark.jar is set in the integration-test phase only");
        jar = Path.of(System.getProperty("mosa.spark.jar"));
    }

    private Path sparkHome() throws Exception {
        Path home = tmp.resolve("spark");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Path root = Path.of(System.getProperty("mosa.repo.root")).toAbsolutePath().normalize();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (p.startsWith(root) || !entry.endsWith(".jar") || entry.contains("io" + File.separator + "mosaspark")) continue;
            Path link = jars.resolve(p.getFileName());
            if (!Files.exists(link)) Files.createSymbolicLink(link, p);
        }
        Files.writeString(home.resolve("RELEASE"), "Spark 3.5 (the jars of the mosa-spark build)\n");
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, SPARK_SUBMIT);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void prepareRunsThroughSparkSubmitWithTheLocalProfile() throws Exception {
        Path home = sparkHome();
        Path in = tmp.resolve("in.jsonl"), out = tmp.resolve("shards"), log = tmp.resolve("log");
        Files.writeString(in, "{\"text\":\"The committee met on Tuesday to discuss the report.\"}\n"
                + "{\"text\":\"Parliament adopted the resolution by a large majority.\"}\n");
        Path repo = SparkProfiles.directory().getParent().getParent();
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("mosa").toString(), "--profile", "local",
                "prepare", "--input", in.toUri().toString(), "--out", out.toUri().toString(), "--tokenizer", "r50k_base")
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("MOSA_SPARK_JAR", jar.toString());
        env.put("MOSA_PROFILE_DIR", tmp.resolve("profiles").toString());
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + "/usr/bin:/bin");
        env.remove("SPARK_SUBMIT_OPTS");
        Process p = pb.start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "./mosa --profile local prepare did not finish");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")), output);
        // the driver logged with conf/log4j2.properties: its pattern, and Spark's INFO lines kept out
        assertTrue(output.lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d INFO PrepareCorpus: .*")), output);
        assertTrue(output.lines().noneMatch(l -> l.contains("INFO SparkContext")), output);

        // the same shards read back by the local path: one JVM from the build, no Spark installation,
        ProcessBuilder local = new ProcessBuilder("bash", repo.resolve("mosa").toString(), "inspect", out.toString()).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        local.environment().remove("SPARK_HOME");
        local.environment().put("PATH", env.get("PATH"));
        Process q = local.start();
        assertTrue(q.waitFor(120, TimeUnit.SECONDS), "./mosa inspect did not finish");
        String inspected = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, q.exitValue(), inspected);
        assertTrue(inspected.contains("documents 2") && inspected.strip().endsWith("VALID"), inspected);

        List<String> command = Arrays.asList(Files.readString(home.resolve("driver-command")).split("\0"));
        assertTrue(command.contains("-Dlog4j2.configurationFile=" + repo.resolve("conf").resolve("log4j2.properties")), command.toString());
        List<String> opens = Arrays.asList(SparkProfiles.load("local").get("spark.driver.defaultJavaOptions").split(" "));
        assertTrue(Collections.indexOfSubList(command, opens) >= 0, "the driver JVM has the profile's Java 17 options: " + command);
    }

    /** Without a profile: one local JVM from the build's classpath, the profile's Java 17 options, --conf as -D. */
    @Test
    void withoutAProfileTheCommandRunsInOneLocalJvm() throws Exception {
        Path repo = SparkProfiles.directory().getParent().getParent();
        Path log = tmp.resolve("log");
        Process p = new ProcessBuilder("bash", repo.resolve("mosa").toString(), "--dry-run", "--conf", "spark.ui.enabled=true",
                "inspect", "my shards").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String line = Files.readString(log, StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), line);
        List<String> words = LauncherTest.words(line);
        List<String> opens = Arrays.asList(SparkProfiles.load("local").get("spark.driver.defaultJavaOptions").split(" "));
        assertTrue(Collections.indexOfSubList(words, opens) >= 0, words.toString());
        assertTrue(words.contains("-Dspark.ui.enabled=true"), words.toString());
        assertTrue(words.contains("-Dlog4j2.configurationFile=" + repo.resolve("conf").resolve("log4j2.properties")), words.toString());
        assertEquals(List.of("io.mosaspark.cli.Mosa", "inspect", "my shards"), words.subList(words.size() - 3, words.size()));
    }
}
