package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.cli.TinyTrainedRun;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.mosaspark.cli.TinyTrainedRun.JSON;
import static io.mosaspark.cli.TinyTrainedRun.mosa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled retraining end to end on a real standalone cluster ({@link SharedCluster}: two executor JVMs),
 * every step a {@code mosa} command borrowing the cluster session, as a scheduler would run them: prepare
 * shard set A → retrain → v0001 promoted; prepare B with A's tokenizer → retrain warm-starts from v0001,
 * evaluates both models on B's val split in one job and promotes or keeps v0001 by the margin; then the
 * registry's list, show and rollback.
 */
class RetrainOnStandaloneClusterTest {
    static final List<String> TRAIN = List.of("--set", "n_layers=1", "--set", "seq_len=32", "--batch", "2", "--workers", "2",
            "--eval-windows", "8", "--routing-every", "0", "--checkpoint-every", "0", "--warmup", "2", "--local-steps", "2", "--no-report");
    @TempDir
    static Path dir;
    static SparkSession session;

    @BeforeAll
    static void joinTheCluster() throws Exception {
        session = SharedCluster.driverSession("retrain-on-cluster");
    }

    @AfterAll
    static void leaveTheCluster() {
        SharedCluster.leave(session);
    }

    static JsonNode ok(String... args) throws Exception {
        TinyTrainedRun.Cli c = mosa(args);
        assertEquals(0, c.exit(), String.join(" ", args) + ": " + c.err());
        return c.out().isBlank() || !c.out().strip().startsWith("{") ? null : JSON.readTree(c.out());
    }

    static String[] retrain(Path registry, Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("retrain", "--registry", registry.toUri().toString(), "--data",
                data.toUri().toString()));
        a.addAll(TRAIN);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static void prepare(Path corpus, Path out, String tokenizer, String name) throws Exception {
        ok("prepare", "--input", corpus.toUri().toString(), "--out", out.toUri().toString(), "--format", "jsonl",
                "--tokenizer", tokenizer, "--val-fraction", "0.1", "--shard-tokens", "4000", "--name", name, "--seed", "7");
    }

    @Test
    void twoSuccessiveShardSetsThroughTheRegistry() throws Exception {
        assertTrue(session.sparkContext().master().startsWith("spark://"), session.sparkContext().master());
        Path registry = dir.resolve("registry");
        String reg = registry.toUri().toString();
        Path a = dir.resolve("shards-a"), b = dir.resolve("shards-b");
        prepare(TestCorpus.write(Files.createDirectories(dir.resolve("corpus-a")), 42), a, "train:320", "a");

        JsonNode v1 = ok(retrain(registry, a, "--rounds", "10"));
        assertEquals("v0001", v1.get("id").asText());
        assertEquals("fresh", v1.get("start").asText());
        assertTrue(v1.get("decision").get("promoted").asBoolean(), v1.toString());
        assertEquals("v0001", Files.readString(registry.resolve("CURRENT")).strip());

        prepare(TestCorpus.write(Files.createDirectories(dir.resolve("corpus-b")), 43), b, a.resolve("tokenizer").toString(), "b");
        JsonNode v2 = ok(retrain(registry, b, "--rounds", "2"));
        assertEquals("v0002", v2.get("id").asText());
        assertEquals("warm", v2.get("start").asText());
        assertEquals("v0001", v2.get("parent").asText());
        JsonNode ev = v2.get("evaluation");
        assertEquals("v0001", ev.get("baseline").asText());
        assertTrue(ev.get("data").asText().endsWith("shards-b"), ev.toString());
        assertEquals(v2.get("val_loss").asDouble(), ev.get("candidate_loss").asDouble(), 0.0,
                "scored on the executors exactly as its run's own validation was");
        double margin = v2.get("decision").get("margin").asDouble();
        boolean better = ev.get("candidate_loss").asDouble() < ev.get("baseline_loss").asDouble() * (1 - margin);
        assertEquals(better, v2.get("decision").get("promoted").asBoolean(), v2.get("decision").toString());
        String current = Files.readString(registry.resolve("CURRENT")).strip();
        assertEquals(better ? "v0002" : "v0001", current);
        if (!better) ok("registry", "promote", "--registry", reg, "--force");

        JsonNode list = ok("registry", "list", "--registry", reg, "--json");
        assertEquals("v0002", list.get("current").asText());
        assertEquals(List.of("v0001", "v0002"), list.get("models").findValuesAsText("id"));
        JsonNode show = ok("registry", "show", "--registry", reg, "v0002", "--json");
        assertTrue(show.get("current").asBoolean());
        assertTrue(show.get("entry").get("data").get("source").asText().endsWith("shards-b"), show.toString());
        JsonNode back = ok("registry", "rollback", "--registry", reg);
        assertEquals("v0001", back.get("current").asText());
        assertEquals("v0001", Files.readString(registry.resolve("CURRENT")).strip());
        List<String> events = ok("registry", "show", "--registry", reg, "v0001", "--json").get("history").findValuesAsText("event");
        assertEquals(List.of("registered", "evaluated", "promoted", "rolled_back"), events);
    }
}
