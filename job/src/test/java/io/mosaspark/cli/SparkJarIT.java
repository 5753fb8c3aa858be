package io.mosaspark.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The spark-submit jar as `mvn package` built it (this runs in the integration-test phase): our commands
 * without the benchmarks, and {@code mosa bench} on it says where they run instead of failing.
 */
class SparkJarIT {

    private static final String JAR_PROPERTY = "mosa.spark.jar";
    private static Path jar;

    /** Set by the integration-test execution (job/pom.xml); a -Dtest run in the test phase has no jar yet. */
    @BeforeAll
    static void findTheJar() {
        assumeTrue(System.getProperty(JAR_PROPERTY) != null, JAR_PROPERTY + " is set in the integration-test phase only");
        jar = Path.of(System.getProperty(JAR_PROPERTY));
    }

    @Test
    void theJarCarriesTheCommandsButNotTheBenchmarks() throws IOException {
        assertTrue(Files.isRegularFile(jar), jar + " was not built");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertTrue(names.contains("io/mosaspark/cli/Mosa.class"), "Mosa is the jar's entry point");
            assertTrue(names.contains("io/mosaspark/cli/ParityCommand.class"));
            assertTrue(names.contains("io/mosaspark/demo/LocalDemo.class"));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("io/mosaspark/model/checkpoint/")), "the model library is in");
            // mosa train writes the report at its end, on the cluster too: the page's script and the PNG library
            assertTrue(names.contains("io/mosaspark/report/RunReport.class"));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("META-INF/resources/webjars/chart.js/") && n.endsWith("/chart.umd.js")));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("org/knowm/xchart/")), "XChart is in");
            List<String> bench = names.stream().filter(n -> n.startsWith("io/mosaspark/bench/")).toList();
            assertEquals(List.of(), bench, "benchmark classes in " + jar);
        }
    }

    /** Runs the jar's Mosa with what a cluster adds (Spark and its libraries), none of our own modules. */
    @Test
    void benchOnTheJarSaysWhereBenchmarksRun() throws Exception {
        Path root = Path.of(System.getProperty("mosa.repo.root")).toAbsolutePath().normalize();
        String cluster = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().startsWith(root))
                .filter(entry -> !entry.contains("io" + File.separator + "mosaspark" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        Path log = Files.createTempFile("spark-jar-bench", ".log");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar + File.pathSeparator + cluster, Mosa.class.getName(), "bench", "throughput", "--out", "x.json")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mosa bench on the jar did not finish");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), out);
            assertTrue(out.contains(CheckoutOnly.BENCH_NOT_CARRIED), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
