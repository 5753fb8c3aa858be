package io.mosaspark.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file under deploy/ names only what the build has (classes, the jar and where the image keeps it,
 * Spark settings, profiles, presets, commands and their options), and each checker, given a copy of a
 * file with one deliberate mistake, reports that mistake: a checker that cannot fail proves nothing.
 */
class DeployFilesTest {

    static final BuildReferences BUILD = BuildReferences.ofCheckout();
    static final Path DEPLOY = BUILD.repo().resolve("deploy");

    @TempDir
    Path tmp;

    static Stream<Path> manifests() throws IOException {
        try (Stream<Path> s = Files.list(DEPLOY.resolve("k8s"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void eachKubernetesManifestParsesAndNamesWhatTheBuildHas(Path manifest) throws IOException {
        assertFalse(SparkOperatorManifestCheck.documents(manifest).isEmpty(), manifest + " has no documents");
        assertEquals(List.of(), new SparkOperatorManifestCheck(BUILD).problems(manifest));
    }

    @Test
    void theOneRunAndTheScheduledRetrainAskForTheSameExecutors() throws IOException {
        var run = SparkOperatorManifestCheck.map(SparkOperatorManifestCheck.documents(DEPLOY.resolve("k8s/train-gpu.yaml")).get(0).get("spec"), "spec");
        var scheduled = SparkOperatorManifestCheck.map(SparkOperatorManifestCheck.map(
                SparkOperatorManifestCheck.documents(DEPLOY.resolve("k8s/retrain-scheduled.yaml")).get(0).get("spec"), "spec").get("template"), "template");
        for (String field : List.of("image", "sparkVersion", "mainClass", "mainApplicationFile", "driver", "executor")) {
            assertEquals(run.get(field), scheduled.get(field), field + " differs between train-gpu.yaml and retrain-scheduled.yaml");
        }
        var runConf = SparkOperatorManifestCheck.map(run.get("sparkConf"), "sparkConf");
        SparkOperatorManifestCheck.map(scheduled.get("sparkConf"), "sparkConf").forEach((k, v) ->
                assertEquals(runConf.get(k), v, k + " differs between train-gpu.yaml and retrain-scheduled.yaml"));
    }

    @Test
    void theAirflowDagRunsTheRetrainingCycleWithCommandsOfTheBuild() throws Exception {
        assertEquals(List.of(), new AirflowDagCheck(BUILD).problems(DEPLOY.resolve("airflow/mosa_retrain.py")));
    }

    @Test
    void theDockerfileCopiesTheJarTheBuildMakesWhereTheManifestsRunIt() throws IOException {
        assertEquals(List.of(), new DockerfileCheck(BUILD).problems(DEPLOY.resolve("docker/Dockerfile")));
    }

    @Test
    void theYarnSubmitScriptUsesAProfileSettingsAndACommandOfTheBuild() throws IOException {
        assertEquals(List.of(), new LauncherScriptCheck(BUILD).problems(DEPLOY.resolve("yarn/train-gpu.sh")));
    }

    // --- each checker catches a mistake: a copy of the real file with one thing wrong ---

    @Test
    void aManifestWithAWrongClassKeyFieldOptionOrPresetIsReported() throws IOException {
        String original = Files.readString(DEPLOY.resolve("k8s/train-gpu.yaml"));
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "io.mosaspark.cli.Mosa", "io.mosaspark.cli.Mosaa",
                "class io.mosaspark.cli.Mosaa is not in the build");
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "spark.driver.maxResultSize:", "spark.driver.maxResultSise:",
                "'spark.driver.maxResultSise' is not a Spark setting");
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "    - --local-steps=50", "    - --local-step=50",
                "--local-step=50");
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "--preset=tiny", "--preset=tiney", "tiney");
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "  memoryOverhead: 10g", "  memoryOverhed: 10g",
                "memoryOverhed is not a field");
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "local:///opt/mosa-spark/lib/mosa-job-spark.jar",
                "local:///opt/mosa/mosa-job.jar", "the image has the job at local:///opt/mosa-spark/lib/mosa-job-spark.jar");
        assertReported(new SparkOperatorManifestCheck(BUILD)::problems, original, "EnvironmentVariableCredentialsProvider",
                "EnvironmentCredentialsProvider", "com.amazonaws.auth.EnvironmentCredentialsProvider is not in the build");
    }

    @Test
    void aManifestContradictingItsProfileOrNamingAFileConfLacksIsReported() throws IOException {
        // a checkout of its own, whose k8s-gpu profile gives executors less overhead than the manifest
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("conf/spark"));
        Files.copy(BUILD.repo().resolve("conf/spark/gpu-discovery.sh"), repo.resolve("conf/spark/gpu-discovery.sh"));
        Files.createDirectories(repo.resolve("conf/spark/layers"));
        Files.writeString(repo.resolve("conf/spark/profiles"), "k8s-gpu  gpu\n");
        Files.writeString(repo.resolve("conf/spark/layers/gpu.conf"), "spark.executor.memoryOverhead  6g\nspark.task.resource.gpu.amount 1\n");
        SparkOperatorManifestCheck check = new SparkOperatorManifestCheck(new BuildReferences(repo));
        String original = Files.readString(DEPLOY.resolve("k8s/train-gpu.yaml"));
        Path copy = Files.writeString(tmp.resolve("mirror.yaml"), original);
        List<String> problems = check.problems(copy);
        assertTrue(problems.stream().anyMatch(p -> p.endsWith("(SparkApplication mosa-train): spark.executor.memoryOverhead is 10g"
                + " here but 6g in profile k8s-gpu (conf/spark/layers)")), problems.toString());
        assertFalse(problems.stream().anyMatch(p -> p.contains("spark.task.resource.gpu.amount")), "equal values agree: " + problems);
        assertReported(check::problems, original, "conf/spark/gpu-discovery.sh", "conf/spark/gpu-discover.sh",
                "names /opt/mosa-spark/conf/spark/gpu-discover.sh, but conf/spark/gpu-discover.sh does not exist");
        assertReported(check::problems, original, "mosa-spark/profile: k8s-gpu", "mosa-spark/profile: k8s-gpus",
                "Spark profile 'k8s-gpus' does not exist");
    }

    @Test
    void aDagWithAWrongClassOptionProfileOrOrderIsReported() throws IOException {
        String original = Files.readString(DEPLOY.resolve("airflow/mosa_retrain.py"));
        Checker dag = f -> {
            try {
                return new AirflowDagCheck(BUILD).problems(f);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        assertReported(dag, original, "MAIN_CLASS = \"io.mosaspark.cli.Mosa\"", "MAIN_CLASS = \"io.mosaspark.Mosa\"",
                "class io.mosaspark.Mosa is not in the build");
        assertReported(dag, original, "\"--out\", SHARDS", "\"--output-dir\", SHARDS", "--output-dir");
        assertReported(dag, original, "conf=profile(\"yarn\"),\n        # --overwrite", "conf=profile(\"yarn-cpu\"),\n        # --overwrite",
                "Spark profile 'yarn-cpu' does not exist");
        assertReported(dag, original, "prepare >> retrain >> evaluate >> promote", "prepare >> evaluate >> retrain >> promote",
                "the cycle is");
        assertReported(dag, original, "def profile(", "def profile(:", "does not parse as Python");
    }

    @Test
    void aDockerfileCopyingAnotherJarOrDownloadingAnotherS3aJarIsReported() throws IOException {
        Path dockerfile = DEPLOY.resolve("docker/Dockerfile");
        String original = Files.readString(dockerfile);
        Files.copy(dockerfile.resolveSibling("Dockerfile.dockerignore"), tmp.resolve("Dockerfile.dockerignore"));
        String version = BUILD.sparkJarName().replace("mosa-job-", "").replace("-spark.jar", "");
        assertReported(new DockerfileCheck(BUILD)::problems, original, "ARG MOSA_VERSION=" + version, "ARG MOSA_VERSION=0.0.9",
                "copies job/target/mosa-job-0.0.9-spark.jar, but the build makes job/target/" + BUILD.sparkJarName());
        assertReported(new DockerfileCheck(BUILD)::problems, original, "/opt/mosa-spark/lib/mosa-job-spark.jar", "/opt/mosa-spark/mosa.jar",
                "the manifests run /opt/mosa-spark/lib/mosa-job-spark.jar");
        assertReported(new DockerfileCheck(BUILD)::problems, original, "hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar", "hadoop-aws/3.3.6/hadoop-aws-3.3.6.jar",
                "hadoop-aws-3.3.6.jar, which is not on the build's classpath");
        assertReported(new DockerfileCheck(BUILD)::problems, original, "sha256:53f9ae03", "sha256:63f9ae03", "the build's copy has sha256:53f9ae03");
        assertReported(new DockerfileCheck(BUILD)::problems, original, "3.5.7-scala2.12", "3.4.1-scala2.12", "is not the build's Spark");
    }

    @Test
    void aYarnScriptWithAWrongProfileKeyOrCommandIsReported() throws IOException {
        String original = Files.readString(DEPLOY.resolve("yarn/train-gpu.sh"));
        assertReported(new LauncherScriptCheck(BUILD)::problems, original, "--profile yarn-gpu", "--profile yarn-gpus",
                "Spark profile 'yarn-gpus' does not exist");
        assertReported(new LauncherScriptCheck(BUILD)::problems, original, "spark.yarn.queue=", "spark.yarn.queues=",
                "'spark.yarn.queues' is not a Spark setting");
        assertReported(new LauncherScriptCheck(BUILD)::problems, original, "  train \"$@\"", "  trian \"$@\"",
                "`mosa trian` is not a mosa command");
    }

    interface Checker {
        List<String> problems(Path file) throws IOException;
    }

    /** Writes {@code original} with {@code from} replaced by {@code to} and asserts a problem mentions {@code expected}. */
    private void assertReported(Checker checker, String original, String from, String to, String expected) throws IOException {
        assertTrue(original.contains(from), "the real file no longer has '" + from + "': update this test");
        Path copy = tmp.resolve(original.startsWith("# syntax") ? "Dockerfile" : "copy-" + Math.abs(from.hashCode()) + extension(original));
        Files.writeString(copy, original.replace(from, to));
        List<String> problems = checker.problems(copy);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "changing '" + from + "' to '" + to + "' was not reported as '" + expected + "'; reported: " + problems);
    }

    private static String extension(String content) {
        if (content.startsWith("#!")) return ".sh";
        if (content.startsWith("\"\"\"")) return ".py";
        return ".yaml";
    }
}
