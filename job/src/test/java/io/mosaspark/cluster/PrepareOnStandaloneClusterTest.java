package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.cli.Mosa;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end through the {@code mosa} command: the same corpus prepared in local mode and on a
 * standalone cluster of separate JVMs must give byte-identical shards and tokenizer files, with
 * every record accounted for. This is what proves the job survives real task serialisation.
 */
class PrepareOnStandaloneClusterTest {

    @TempDir
    static Path dir;
    static StandaloneSparkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        // `prepare` borrows a running session (as in a notebook): stop the one earlier test classes of this JVM
        // share, so that the cluster run starts its own context on the cluster's master
        for (var running : List.of(SparkSession.getDefaultSession(), SparkSession.getActiveSession())) {
            if (running.isDefined()) running.get().stop();
        }
        SharedCluster.boot(); // its JVMs start while the local run below works
    }

    @Test
    void clusterAndLocalRunsAgreeByteForByte() throws Exception {
        Path corpus = TestCorpus.write(Files.createDirectories(dir.resolve("corpus")));
        Path local = dir.resolve("out-local");
        Path remote = dir.resolve("out-cluster");
        String[] common = {"--input", corpus.toUri().toString(), "--format", "jsonl", "--tokenizer", "train:320",
                "--val-fraction", "0.1", "--shard-tokens", "4000", "--name", "e2e", "--seed", "7"};

        assertEquals(0, run(concat(new String[]{"prepare", "--master", "local[2]", "--out", local.toUri().toString()}, common)));

        cluster = SharedCluster.get();
        List<String> appsBefore = applications();
        System.setProperty("spark.executor.extraClassPath", StandaloneSparkCluster.testClasspath());
        System.setProperty("spark.executor.memory", "1g");
        System.setProperty("spark.cores.max", "2");
        System.setProperty("spark.executorEnv.OMP_NUM_THREADS", "1");
        try {
            assertEquals(0, run(concat(new String[]{"prepare", "--master", cluster.masterUrl(), "--out", remote.toUri().toString()}, common)),
                    "cluster run failed; logs in " + cluster.home());
        } finally {
            Stream.of("spark.executor.extraClassPath", "spark.executor.memory", "spark.cores.max", "spark.executorEnv.OMP_NUM_THREADS")
                    .forEach(System::clearProperty);
        }

        assertTrue(Files.exists(remote.resolve("_SUCCESS")));
        assertTrue(executorsRanInWorkerJvms(appsBefore), "no executor of the cluster run was found under " + cluster.home());
        List<Path> localFiles = dataFiles(local);
        List<Path> remoteFiles = dataFiles(remote);
        assertEquals(localFiles.stream().map(local::relativize).toList(), remoteFiles.stream().map(remote::relativize).toList());
        assertTrue(localFiles.stream().anyMatch(p -> p.getFileName().toString().startsWith("e2e_train_")), localFiles.toString());
        assertTrue(localFiles.stream().anyMatch(p -> p.getFileName().toString().startsWith("e2e_val_")), localFiles.toString());
        for (Path f : localFiles) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(remote.resolve(local.relativize(f))),
                    "differs between local and cluster runs: " + local.relativize(f));
        }

        JsonNode rec = new ObjectMapper().readTree(remote.resolve("manifest.json").toFile()).path("reconciliation");
        assertEquals(TestCorpus.DOCS + 1, rec.path("documents_read").asLong(), rec.toString()); // + the broken line
        assertEquals(TestCorpus.DUPLICATES, rec.path("duplicates").asLong(), rec.toString());
        assertEquals(1, rec.path("rejected").asLong(), rec.toString());
        assertEquals(TestCorpus.DOCS - TestCorpus.DUPLICATES, rec.path("documents_written").asLong(), rec.toString());

        assertEquals(0, run("inspect", remote.toString()));
    }

    /**
     * The Worker gives every executor JVM it forks a directory work/app-…/N holding that process's
     * stdout and stderr; their presence for an application started since {@code appsBefore} (the cluster
     * is shared) proves the tasks ran outside this JVM.
     */
    static boolean executorsRanInWorkerJvms(List<String> appsBefore) throws IOException {
        try (Stream<Path> s = Files.walk(cluster.home().resolve("work"))) {
            return s.filter(p -> p.getFileName().toString().equals("stderr"))
                    .map(p -> p.getParent().getParent().getFileName().toString())
                    .anyMatch(app -> app.startsWith("app-") && !appsBefore.contains(app));
        }
    }

    /** The applications that have had executors on the cluster so far. */
    static List<String> applications() throws IOException {
        try (Stream<Path> s = Files.list(cluster.home().resolve("work"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    static List<Path> dataFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".bin") || n.equals("tokenizer.tiktoken") || n.equals("tokenizer.json");
                    })
                    .sorted().toList();
        }
    }

    static int run(String... args) {
        return Mosa.commandLine().execute(args);
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
