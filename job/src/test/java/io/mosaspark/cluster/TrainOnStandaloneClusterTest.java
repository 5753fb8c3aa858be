package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.cli.Mosa;
import io.mosaspark.train.TrainKryoRegistrator;
import io.mosaspark.train.TrainLm;
import io.mosaspark.train.TrainRequest;
import io.mosaspark.train.Trainer;
import io.mosaspark.train.outer.OuterConfig;
import org.apache.commons.io.FileUtils;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mosa train}'s library entry point on a real standalone cluster ({@link SharedCluster}): a
 * Master, a Worker and two executor JVMs of one core each, so that the two workers of a round run in
 * different processes. The Worker offers two GPUs that do not exist (a fake discovery script), and the
 * application asks for one per executor and per task as the {@code standalone-gpu} profile does, Kryo
 * included.
 *
 * <p>Every run is compared with the same configuration trained in local mode in this JVM beforehand:
 * a worker's round is a pure function of the broadcast state and its rank, so where it ran (a thread
 * here, an executor JVM there, a relaunched executor, a resumed driver) must not change one bit.
 */
class TrainOnStandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 4;
    /** The round whose first task loses its executor: after the 2nd checkpoint, before the 3rd. */
    private static final int KILLED_ROUND = 3;
    private static final String FAKE_GPU = " (ignored: CPU backend)";

    @TempDir
    static Path dir;
    static String shards;
    static final Map<OuterConfig.Rule, Trainer.Result> LOCAL = new EnumMap<>(OuterConfig.Rule.class);
    static StandaloneSparkCluster cluster;
    static JavaSparkContext sc;

    @BeforeAll
    static void prepareTrainLocallyAndStartTheCluster() throws Exception {
        // one SparkContext per JVM: stop what earlier test classes left running
        for (var running : List.of(SparkSession.getDefaultSession(), SparkSession.getActiveSession())) {
            if (running.isDefined()) running.get().stop();
        }
        SharedCluster.boot(); // its JVMs start while this one prepares and trains the references
        SparkSession local = SparkSession.builder().master("local[2,2]").appName("train-reference")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            shards = prepare(); // borrows the session
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(local.sparkContext());
            for (OuterConfig.Rule rule : OuterConfig.Rule.values()) {
                LOCAL.put(rule, TrainLm.run(jsc, request(rule, dir.resolve("local-" + rule), false), quiet()));
            }
        } finally {
            local.stop();
            SparkSession.clearActiveSession(); // a stopped session is nothing for a later test to find
            SparkSession.clearDefaultSession();
        }
        cluster = SharedCluster.get();
        sc = new JavaSparkContext(clusterConf());
        awaitRegisteredExecutors(2);
    }

    @AfterAll
    static void stopTheApplication() {
        if (sc != null) sc.stop();
    }

    @ParameterizedTest
    @EnumSource(OuterConfig.Rule.class)
    void anExecutorKilledMidRoundIsReplacedAndTheModelIsUnchanged(OuterConfig.Rule rule) throws Exception {
        Trainer.Result local = LOCAL.get(rule);
        Path out = dir.resolve("killed-" + rule);
        String appId = sc.sc().applicationId();
        ExecutorKiller killer = new ExecutorKiller(cluster, appId, "round " + KILLED_ROUND + "/" + ROUNDS + ":");
        sc.sc().addSparkListener(killer);
        Trainer.Result killed;
        try {
            killed = TrainLm.run(sc, request(rule, out, false), quiet());
        } finally {
            sc.sc().removeSparkListener(killer);
        }

        StandaloneSparkCluster.Executor victim = killer.killed();
        assertNotNull(victim, "no task of round " + KILLED_ROUND + " started, so no executor was killed");
        assertFalse(victim.process().isAlive());
        assertTrue(killer.tasksLostWithExecutor() >= 1, "the kill hit no running task; logs in " + victim.workDir());
        assertEquals(local.state().params(), killed.state().params(),
                rule + ": max |diff| " + local.state().params().maxAbsDifference(killed.state().params()));
        assertEquals(valLoss(local.runDirectory()), valLoss(out));

        // a driver that died after the checkpoint before the kill: that checkpoint alone in a fresh run directory
        Path resumedOut = dir.resolve("resumed-" + rule);
        String checkpoint = String.format(Locale.ROOT, "checkpoints/round-%06d", KILLED_ROUND - 1);
        FileUtils.copyDirectory(out.resolve(checkpoint).toFile(), resumedOut.resolve(checkpoint).toFile());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Trainer.Result resumed = TrainLm.run(sc, request(rule, resumedOut, true), new PrintStream(progress, true));

        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("resuming from"), progress.toString());
        assertEquals(ROUNDS - KILLED_ROUND + 1, resumed.records().stream().filter(r -> r.kind().equals("round")).count());
        assertEquals(local.state().params(), resumed.state().params(),
                rule + " resumed: max |diff| " + local.state().params().maxAbsDifference(resumed.state().params()));
        assertEquals(valLoss(local.runDirectory()), valLoss(resumedOut));

        // meanwhile the Worker has forked a replacement for the killed JVM (the next test needs two executors)
        List<StandaloneSparkCluster.Executor> live = cluster.awaitExecutors(appId, 2, Duration.ofSeconds(90));
        assertFalse(live.stream().anyMatch(e -> e.executorId().equals(victim.executorId())), live.toString());
        awaitRegisteredExecutors(2);
    }

    @Test
    void eachTaskOfARoundRunsOnItsOwnFakeGpuAndTheModelIsUnchanged() throws Exception {
        Path out = dir.resolve("gpus");
        Trainer.Result r = TrainLm.run(sc, request(OuterConfig.Rule.AVERAGING, out, false), quiet());

        List<JsonNode> rounds = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode record = JSON.readTree(line);
            if (record.path("kind").asText().equals("round")) rounds.add(record);
        }
        assertEquals(ROUNDS, rounds.size());
        for (JsonNode round : rounds) {
            assertEquals(List.of("gpu 0" + FAKE_GPU, "gpu 1" + FAKE_GPU), strings(round.path("devices")),
                    "the two tasks of round " + round.path("round") + " got the Worker's two GPUs: " + round);
        }
        Trainer.Result local = LOCAL.get(OuterConfig.Rule.AVERAGING);
        JsonNode localRound = JSON.readTree(Files.readAllLines(local(local.runDirectory()).resolve("metrics.jsonl")).get(0));
        assertEquals(List.of("cpu"), strings(localRound.path("devices")), "no GPUs in local mode");
        assertEquals(local.state().params(), r.state().params(),
                "max |diff| " + local.state().params().maxAbsDifference(r.state().params()));
    }

    /**
     * A small mosa hybrid (cpu-demo's IsoFLOP hybrid at ρ 8, one layer, T 64, B 8), 2 workers, H = 2, float32,
     * a checkpoint every round. Sized so that a round's task computes for some tenths of a second: long
     * enough to be killed in the middle of it.
     */
    static TrainRequest request(OuterConfig.Rule rule, Path out, boolean resume) {
        OuterConfig outer = rule == OuterConfig.Rule.AVERAGING ? OuterConfig.averaging() : OuterConfig.diloco();
        return new TrainRequest(shards, "cpu-demo", "mosa", 8,
                List.of("n_layers=1", "seq_len=64", "batch_size=8", "warmup_steps=2"), 2, 2, ROUNDS, 0, outer, 0, 0, 1,
                3, "float32", false, out.toUri().toString(), resume, null);
    }

    /** The application's settings: the GPU profile's scheduling, environment and serializer, sized for this machine. */
    static SparkConf clusterConf() throws IOException {
        SparkConf conf = new SparkConf().setMaster(cluster.masterUrl()).setAppName("train-on-cluster")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.extraClassPath", StandaloneSparkCluster.testClasspath())
                .set("spark.executor.memory", "768m")
                .set("spark.cores.max", "2");
        for (var e : SparkProfiles.load("standalone-gpu").entrySet()) {
            String key = e.getKey();
            boolean scheduling = key.startsWith("spark.executor.resource.gpu.amount") || key.startsWith("spark.task.")
                    || key.equals("spark.executor.cores");
            if (scheduling || key.startsWith("spark.executorEnv.") || key.equals("spark.serializer")) {
                conf.set(key, e.getValue());
            }
        }
        TrainKryoRegistrator.configure(conf); // what `mosa train` does for the context it starts
        return conf;
    }

    /** Waits until the driver has {@code n} executors registered (a round started earlier would run on fewer). */
    static void awaitRegisteredExecutors(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (sc.sc().statusTracker().getExecutorInfos().length < n + 1) { // the driver is listed too
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fewer than " + n + " executors registered after 90 s; logs in "
                        + cluster.home());
            }
            Thread.sleep(200);
        }
    }

    /** A corpus prepared by {@code mosa prepare} in the running local session, with a BPE tokenizer trained on it. */
    static String prepare() throws IOException {
        Path corpus = TestCorpus.write(Files.createDirectories(dir.resolve("corpus")));
        Path out = dir.resolve("shards");
        int exit = Mosa.commandLine().execute("prepare", "--input", corpus.toUri().toString(),
                "--out", out.toUri().toString(), "--format", "jsonl", "--tokenizer", "train:320",
                "--val-fraction", "0.1", "--shard-tokens", "4000", "--name", "e2e", "--seed", "7");
        assertEquals(0, exit, "mosa prepare");
        return out.toUri().toString();
    }

    static double valLoss(Path runDirectory) throws IOException {
        return JSON.readTree(runDirectory.resolve("summary.json").toFile()).path("val_loss").asDouble();
    }

    static double valLoss(org.apache.hadoop.fs.Path runDirectory) throws IOException {
        return valLoss(local(runDirectory));
    }

    private static Path local(org.apache.hadoop.fs.Path file) {
        return Path.of(file.toUri());
    }

    private static List<String> strings(JsonNode array) {
        List<String> s = new ArrayList<>();
        array.forEach(v -> s.add(v.asText()));
        return s;
    }

    private static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
