package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.cli.Mosa;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

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
        cluster = StandaloneSparkCluster.start(Files.createDirectories(dir.resolve("cluster")), 2, 2048);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @Test
    void clusterAndLocalRunsAgreeByteForByte() throws Exception {
        Path corpus = writeCorpus(Files.createDirectories(dir.resolve("corpus")));
        Path local = dir.resolve("out-local");
        Path remote = dir.resolve("out-cluster");
        String[] common = {"--input", corpus.toUri().toString(), "--format", "jsonl", "--tokenizer", "train:320",
                "--val-fraction", "0.1", "--shard-tokens", "4000", "--name", "e2e", "--seed", "7"};

        assertEquals(0, run(concat(new String[]{"prepare", "--master", "local[2]", "--output", local.toUri().toString()}, common)));

        System.setProperty("spark.executor.extraClassPath", StandaloneSparkCluster.testClasspath());
        System.setProperty("spark.executor.memory", "1g");
        System.setProperty("spark.cores.max", "2");
        System.setProperty("spark.executorEnv.OMP_NUM_THREADS", "1");
        try {
            assertEquals(0, run(concat(new String[]{"prepare", "--master", cluster.masterUrl(), "--output", remote.toUri().toString()}, common)),
                    "cluster run failed; logs in " + cluster.home());
        } finally {
            Stream.of("spark.executor.extraClassPath", "spark.executor.memory", "spark.cores.max", "spark.executorEnv.OMP_NUM_THREADS")
                    .forEach(System::clearProperty);
        }

        assertTrue(Files.exists(remote.resolve("_SUCCESS")));
        assertTrue(executorsRanInWorkerJvms(), "no executor of the cluster run was found under " + cluster.home());
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
        assertEquals(DOCS + 1, rec.path("documents_read").asLong(), rec.toString()); // + the broken line
        assertEquals(DUPLICATES, rec.path("duplicates").asLong(), rec.toString());
        assertEquals(1, rec.path("rejected").asLong(), rec.toString());
        assertEquals(DOCS - DUPLICATES, rec.path("documents_written").asLong(), rec.toString());

        assertEquals(0, run("inspect", remote.toString()));
    }

    /**
     * The Worker gives every executor JVM it forks a directory work/app-…/N holding that process's
     * stdout and stderr; their presence proves the tasks ran outside this JVM.
     */
    static boolean executorsRanInWorkerJvms() throws IOException {
        try (Stream<Path> s = Files.walk(cluster.home().resolve("work"))) {
            return s.filter(p -> p.getFileName().toString().equals("stderr"))
                    .anyMatch(p -> p.getParent().getParent().getFileName().toString().startsWith("app-"));
        }
    }

    static final int DOCS = 400;
    static final int DUPLICATES = 40;

    /** Two gzip'd JSON Lines files: DOCS documents of which DUPLICATES repeat earlier ones, and one broken line. */
    static Path writeCorpus(Path d) throws IOException {
        Random rnd = new Random(42);
        String[] words = "the of sparse attention head token expert routing selects dense model cluster spark shard data".split(" ");
        ObjectMapper json = new ObjectMapper();
        List<String> docs = new java.util.ArrayList<>();
        for (int i = 0; i < DOCS - DUPLICATES; i++) {
            StringBuilder sb = new StringBuilder("doc ").append(i).append(':');
            for (int w = 0, n = 20 + rnd.nextInt(80); w < n; w++) sb.append(' ').append(words[rnd.nextInt(words.length)]);
            docs.add(sb.toString());
        }
        for (int i = 0; i < DUPLICATES; i++) docs.add(docs.get(i * 3));
        for (int part = 0; part < 2; part++) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(d.resolve("part-" + part + ".jsonl.gz")));
                 Writer w = new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8)) {
                for (int i = part; i < docs.size(); i += 2) {
                    w.write(json.writeValueAsString(java.util.Map.of("text", docs.get(i))));
                    w.write('\n');
                }
                if (part == 1) w.write("{\"text\": \"unterminated\n");
            }
        }
        return d;
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
