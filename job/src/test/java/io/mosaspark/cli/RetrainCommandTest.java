package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.cluster.TestCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.mosaspark.cli.TinyTrainedRun.JSON;
import static io.mosaspark.cli.TinyTrainedRun.mosa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mosa retrain} and {@code mosa registry} in local mode, one registry through its life: a fresh first
 * model, a warm start on a second shard set, evaluation and the margin, rollback, a shard set of another
 * tokenizer, and a retrain JVM killed while it trains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainCommandTest {
    /** The tiny run's model (1 layer, T 32), trained briefly but long enough to learn the corpus' 15 words. */
    static final List<String> TRAIN = List.of("--set", "n_layers=1", "--set", "seq_len=32", "--batch", "2", "--workers", "2",
            "--eval-windows", "8", "--routing-every", "0", "--checkpoint-every", "0", "--warmup", "2");
    static TinyTrainedRun t;
    static Path registry;
    static Path shardsB;

    @BeforeAll
    static void shardSets() throws IOException {
        t = TinyTrainedRun.get();
        registry = t.root.resolve("registry");
        // a later batch of documents, prepared with the first shard set's tokenizer
        Path corpus = TestCorpus.write(Files.createDirectories(t.root.resolve("corpus-b")), 43);
        shardsB = t.root.resolve("shards-b");
        TinyTrainedRun.Cli p = mosa("prepare", "--input", corpus.toUri().toString(), "--out", shardsB.toUri().toString(),
                "--format", "jsonl", "--tokenizer", t.shards.resolve("tokenizer").toString(), "--val-fraction", "0.1",
                "--shard-tokens", "4000", "--name", "b", "--seed", "7");
        assertEquals(0, p.exit(), p.err());
    }

    /** A retrain without the report (charts cost seconds on 2 cores); the first one writes it. */
    static String[] retrain(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of(retrainWithReport(data, more)));
        a.add("--no-report");
        return a.toArray(String[]::new);
    }

    static String[] retrainWithReport(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("retrain", "--registry", registry.toUri().toString(), "--data",
                data.toUri().toString()));
        a.addAll(TRAIN);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static String[] registry(String command, String... more) {
        List<String> a = new ArrayList<>(List.of("registry", command, "--registry", registry.toUri().toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static JsonNode json(TinyTrainedRun.Cli c) throws IOException {
        assertEquals(0, c.exit(), c.err());
        return JSON.readTree(c.out());
    }

    static String current() throws IOException {
        return Files.readString(registry.resolve("CURRENT")).strip();
    }

    static JsonNode metricsLine(String id, String kind, int round) throws IOException {
        for (String line : Files.readAllLines(registry.resolve("models").resolve(id).resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("kind").asText().equals(kind) && n.get("round").asInt() == round) return n;
        }
        throw new IllegalStateException("no " + kind + " line for round " + round + " of " + id);
    }

    @Test
    @Order(1)
    void theFirstRetrainStartsFreshAndIsPromoted() throws Exception {
        JsonNode e = json(mosa(retrainWithReport(t.shards, "--rounds", "15", "--local-steps", "2")));
        assertEquals("v0001", e.get("id").asText());
        assertEquals("fresh", e.get("start").asText());
        assertTrue(e.get("start_reason").asText().contains("no promoted model"), e.toString());
        assertTrue(e.get("decision").get("promoted").asBoolean(), e.toString());
        assertEquals("v0001", current());
        // the candidate's loss in the registry's evaluation is its run's final validation, exactly
        assertEquals(e.get("val_loss").asDouble(), e.get("evaluation").get("candidate_loss").asDouble(), 0.0);
        assertTrue(Files.exists(registry.resolve("models/v0001/model.safetensors")));
        assertTrue(Files.exists(registry.resolve("models/v0001/report.html")), "the report is written as mosa train writes it");
        assertFalse(Files.exists(registry.resolve("models/v0001/checkpoints")), "the registry keeps the model, not checkpoints");
        try (Stream<Path> staging = Files.list(registry.resolve("staging"))) {
            assertEquals(0, staging.count(), "nothing left in staging");
        }
    }

    @Test
    @Order(2)
    void aWarmStartBeginsWhereThePromotedModelIs() throws Exception {
        JsonNode e = json(mosa(retrain(shardsB, "--rounds", "3", "--local-steps", "1", "--no-promote")));
        assertEquals("v0002", e.get("id").asText());
        assertEquals("warm", e.get("start").asText());
        assertEquals("v0001", e.get("parent").asText());
        assertTrue(e.get("evaluation") == null && e.get("decision") == null, "--no-promote stops after registering");
        assertEquals("v0001", current());

        double promotedVal = JSON.readTree(registry.resolve("models/v0001/summary.json").toFile()).get("val_loss").asDouble();
        double freshFirst = metricsLine("v0001", "round", 1).get("train_loss").asDouble();
        double warmFirst = metricsLine("v0002", "round", 1).get("train_loss").asDouble();
        // the first step's loss is the promoted model's (new documents of the same kind), far below a fresh model's
        assertTrue(Math.abs(warmFirst - promotedVal) < 0.25, "warm first-step loss " + warmFirst + " vs v0001's val loss " + promotedVal);
        assertTrue(warmFirst < freshFirst - 1.0, "warm first-step loss " + warmFirst + " vs a fresh model's " + freshFirst);
        String from = JSON.readTree(registry.resolve("models/v0002/summary.json").toFile()).get("init_from").asText();
        assertTrue(from.startsWith("registry ") && from.endsWith(" v0001"), from);
    }

    @Test
    @Order(3)
    void evaluateThenPromoteByTheMarginBothWays() throws Exception {
        TinyTrainedRun.Cli unevaluated = mosa(registry("promote", "--candidate", "v0002"));
        assertEquals(2, unevaluated.exit(), unevaluated.err());
        assertTrue(unevaluated.err().contains("has not been evaluated"), unevaluated.err());

        JsonNode ev = json(mosa(registry("evaluate"))).get("evaluation");
        assertEquals("v0001", ev.get("baseline").asText());
        double cand = ev.get("candidate_loss").asDouble(), base = ev.get("baseline_loss").asDouble();
        JsonNode v2 = JSON.readTree(registry.resolve("models/v0002/entry.json").toFile());
        assertEquals(v2.get("val_loss").asDouble(), cand, 0.0, "same windows, same tree as its run's validation");
        assertTrue(cand < base, "3 more rounds on new documents improved on v0001: " + cand + " vs " + base);

        JsonNode kept = json(mosa(registry("promote", "--candidate", "latest", "--margin", "0.5")));
        assertFalse(kept.get("promoted").asBoolean(), kept.toString());
        assertEquals("v0001", current());
        JsonNode promoted = json(mosa(registry("promote", "--margin", "0")));
        assertTrue(promoted.get("promoted").asBoolean(), promoted.toString());
        assertEquals("v0002", current());
        assertEquals("v0002", promoted.get("current").asText());
    }

    @Test
    @Order(4)
    void listShowAndRollback() throws Exception {
        JsonNode list = json(mosa(registry("list", "--json")));
        assertEquals("v0002", list.get("current").asText());
        assertEquals(2, list.get("models").size());
        assertEquals("v0001", list.get("models").get(0).get("id").asText());
        TinyTrainedRun.Cli table = mosa(registry("list"));
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("*  v0002") && l.endsWith("promoted")), table.out());

        JsonNode rolled = json(mosa(registry("rollback")));
        assertEquals("v0002", rolled.get("previous").asText());
        assertEquals("v0001", rolled.get("current").asText());
        assertEquals("v0001", current());
        JsonNode show = json(mosa(registry("show", "v0002", "--json")));
        assertFalse(show.get("current").asBoolean());
        assertEquals("warm", show.get("entry").get("start").asText());
        assertTrue(show.get("history").findValuesAsText("event").containsAll(List.of("registered", "evaluated", "kept", "promoted")),
                show.toString());
        JsonNode showCurrent = json(mosa(registry("show", "--json")));
        assertEquals("v0001", showCurrent.get("id").asText());
        // v0001 was the first promoted model: nothing before it
        TinyTrainedRun.Cli again = mosa(registry("rollback"));
        assertEquals(2, again.exit(), again.err());
        assertTrue(again.err().contains("first promoted model"), again.err());
        json(mosa(registry("rollback", "--to", "v0002")));
        assertEquals("v0002", current());
        TinyTrainedRun.Cli missing = mosa(registry("show", "v0042"));
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("has no model 'v0042'") && missing.err().contains("[v0001, v0002]"), missing.err());
    }

    @Test
    @Order(5)
    void anotherTokenizerStartsFreshAndIsNotComparedLossForLoss() throws Exception {
        Path corpus = t.root.resolve("corpus");
        Path shardsC = t.root.resolve("shards-c");
        TinyTrainedRun.Cli p = mosa("prepare", "--input", corpus.toUri().toString(), "--out", shardsC.toUri().toString(),
                "--format", "jsonl", "--tokenizer", "train:300", "--val-fraction", "0.1", "--shard-tokens", "4000",
                "--name", "c", "--seed", "7");
        assertEquals(0, p.exit(), p.err());
        JsonNode e = json(mosa(retrain(shardsC, "--rounds", "1", "--local-steps", "1")));
        assertEquals("fresh", e.get("start").asText());
        assertTrue(e.get("start_reason").asText().contains("tokenizer"), e.get("start_reason").asText());
        assertTrue(e.get("evaluation").get("baseline_note").asText().contains("another tokenizer"), e.toString());
        assertFalse(e.get("decision").get("promoted").asBoolean(), "an incomparable candidate needs --force");
        assertEquals("v0002", current());
    }

    @Test
    @Order(6)
    void aRetrainKilledWhileTrainingLeavesTheRegistryAsItWas() throws Exception {
        Map<String, String> before = snapshot();
        Path log = t.root.resolve("killed-retrain.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk")).toList());
        cmd.addAll(List.of("-Xmx1g", "-cp", io.mosaspark.cluster.StandaloneSparkCluster.testClasspath(), Mosa.class.getName()));
        cmd.addAll(List.of(retrain(shardsB, "--rounds", "500", "--local-steps", "1")));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && System.nanoTime() < deadline && !trainingStarted()) Thread.sleep(50);
            assertTrue(trainingStarted(), "the child retrain got to training; log: " + Files.readString(log));
        } finally {
            child.destroyForcibly().waitFor(); // kill -9
        }
        assertEquals(before, snapshot(), "CURRENT, models/ and history.jsonl are byte for byte as before");
        assertTrue(Files.exists(registry.resolve("LOCK")), "the killed JVM's lock is left behind");

        TinyTrainedRun.Cli busy = mosa(retrain(shardsB, "--rounds", "1", "--local-steps", "1"));
        assertEquals(1, busy.exit(), busy.err());
        assertTrue(busy.err().contains("is locked by mosa retrain") && busy.err().contains("pid " + child.pid()), busy.err());

        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
        JsonNode e;
        try {
            e = json(mosa(retrain(shardsB, "--rounds", "1", "--local-steps", "1", "--stale-lock", "1", "--lock-wait", "60",
                    "--no-promote")));
        } finally {
            System.setErr(err);
        }
        String said = progress.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("took over a stale lock of mosa retrain") && said.contains("pid " + child.pid()), said);
        assertTrue(said.contains("removed a crashed retrain's leftover"), said);
        assertEquals("v0004", e.get("id").asText(), "the killed run took no id");
        assertEquals("warm", e.get("start").asText());
        try (Stream<Path> staging = Files.list(registry.resolve("staging"))) {
            assertEquals(0, staging.count(), "the leftovers were removed");
        }
        assertNotEquals(before, snapshot());
    }

    private static boolean trainingStarted() throws IOException {
        Path staging = registry.resolve("staging");
        if (!Files.exists(staging)) return false;
        try (Stream<Path> runs = Files.list(staging)) {
            for (Path run : runs.toList()) {
                Path m = run.resolve("metrics.jsonl");
                if (Files.exists(m) && Files.size(m) > 0) return true;
            }
        }
        return false;
    }

    /** SHA-256 of every file in the registry but the lock and staging/. */
    private static Map<String, String> snapshot() throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(registry)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = registry.relativize(f).toString();
                if (rel.equals("LOCK") || rel.startsWith("staging")) continue;
                m.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return m;
    }
}
