package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static io.mosaspark.cli.TinyTrainedRun.JSON;
import static io.mosaspark.cli.TinyTrainedRun.mosa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mosa eval} on a finished tiny run, its checkpoints, and input it must refuse. */
class EvalCommandTest {
    static TinyTrainedRun t;

    @BeforeAll
    static void train() throws IOException {
        t = TinyTrainedRun.get();
    }

    static JsonNode eval(String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "--data", t.shards.toUri().toString()));
        args.addAll(List.of(extra));
        TinyTrainedRun.Cli r = mosa(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return JSON.readTree(r.out());
    }

    static void assertRefused(TinyTrainedRun.Cli r, String... mentions) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.errorLines().size(), "one error line:\n" + r.err());
        for (String m : mentions) assertTrue(r.errorLines().get(0).contains(m), "'" + m + "' missing from: " + r.err());
    }

    @Test
    void aFinishedRunScoresExactlyItsOwnFinalValidation() throws IOException {
        Path out = t.root.resolve("eval.json");
        JsonNode e = eval("--checkpoint", t.run.toString(), "--out", out.toString());
        JsonNode summary = t.summary();
        assertEquals(summary.get("val_loss").asDouble(), e.get("loss").asDouble(), 1e-12);
        assertEquals(summary.get("val_loss").asDouble(), e.get("loss").asDouble(), 0.0, "same windows, same sums, same order");
        assertEquals(summary.get("val_perplexity").asDouble(), e.get("perplexity").asDouble(), 1e-12);
        assertEquals(summary.get("val_tokens").asLong(), e.get("tokens").asLong());
        assertEquals("final model", e.get("weights").asText());
        assertEquals(8, e.get("windows").asLong(), "the run's --eval-windows");
        assertEquals(e, JSON.readTree(out.toFile()), "--out holds what stdout printed");
    }

    @Test
    void aCheckpointDirectoryScoresWhatTheRunLoggedForItsRound() throws IOException {
        JsonNode e = eval("--checkpoint", t.checkpoint(1).toString());
        double logged = t.loggedValLoss(1);
        assertEquals(logged, e.get("loss").asDouble(), 0.0);
        assertEquals(1, e.get("round").asInt());
        assertNotEquals(t.summary().get("val_loss").asDouble(), e.get("loss").asDouble(), "round 1 is not the final model");
    }

    @Test
    void aRunThatDidNotFinishIsScoredFromItsNewestCheckpoint() throws IOException {
        Path crashed = t.root.resolve("crashed-run");
        if (!Files.exists(crashed)) {
            FileUtils.copyDirectory(t.run.resolve("checkpoints").toFile(), crashed.resolve("checkpoints").toFile());
        }
        JsonNode e = eval("--checkpoint", crashed.toString());
        assertEquals("checkpoint", e.get("weights").asText());
        assertEquals(2, e.get("round").asInt(), "the newest of round-000001 and round-000002");
        assertTrue(e.get("checkpoint").asText().endsWith("round-000002"), e.toString());
        assertEquals(t.summary().get("val_loss").asDouble(), e.get("loss").asDouble(), 0.0,
                "the last checkpoint holds the final parameters");
    }

    @Test
    void windowsAndSplitChooseWhatIsScored() throws IOException {
        JsonNode two = eval("--checkpoint", t.run.toString(), "--windows", "2");
        assertEquals(2, two.get("windows").asLong());
        assertEquals(2 * 32, two.get("tokens").asLong());
        JsonNode train = eval("--checkpoint", t.run.toString(), "--split", "train", "--windows", "8");
        assertEquals("train", train.get("split").asText());
        assertNotEquals(t.summary().get("val_loss").asDouble(), train.get("loss").asDouble());
        JsonNode all = eval("--checkpoint", t.run.toString(), "--windows", "0");
        assertTrue(all.get("windows").asLong() > 8, all.toString());
    }

    @Test
    void shardsOfAnotherTokenizerAreRefusedNamingBoth() throws IOException {
        Path other = otherTokenizerShards();
        assertRefused(mosa("eval", "--checkpoint", t.run.toString(), "--data", other.toUri().toString()),
                "tokenizer mismatch", other.toString(), t.run.toString(), "vocab 300", "vocab 320");
    }

    @Test
    void aTokenizerOtherThanTheRecordedOneIsNeverUsed() throws IOException {
        Path other = otherTokenizerShards();
        var model = io.mosaspark.train.checkpoint.TrainedModel.open(t.run.toString(), new org.apache.hadoop.conf.Configuration());
        String dir = other.resolve("tokenizer").toString();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.mosaspark.prep.tokenize.TokenizerLocator.find(model.tokenizer(), List.of(dir), new org.apache.hadoop.conf.Configuration()));
        assertTrue(e.getMessage().contains(model.tokenizer().sha256()) && e.getMessage().contains(dir), e.getMessage());
    }

    @Test
    void anIncompleteCheckpointIsRefused() throws IOException {
        Path copy = t.root.resolve("incomplete/checkpoints/round-000001");
        FileUtils.copyDirectory(t.checkpoint(1).toFile(), copy.toFile());
        Files.delete(copy.resolve("_COMPLETE"));
        assertRefused(mosa("eval", "--checkpoint", copy.toString(), "--data", t.shards.toString()),
                copy.toString(), "incomplete", "_COMPLETE");
    }

    @Test
    void aCheckpointOfAnotherFormatVersionIsRefused() throws Exception {
        Path copy = t.root.resolve("future/checkpoints/round-000001");
        FileUtils.copyDirectory(t.checkpoint(1).toFile(), copy.toFile());
        Path state = copy.resolve("state.json");
        Files.writeString(state, Files.readString(state).replace("\"format_version\" : 1", "\"format_version\" : 99"));
        // re-seal it, as a later version would have: the hashes are right, only the format is unknown
        StringBuilder sums = new StringBuilder();
        for (String line : Files.readAllLines(copy.resolve("SHA256SUMS"))) {
            String name = line.substring(66);
            sums.append(sha256(copy.resolve(name))).append("  ").append(name).append('\n');
        }
        Files.writeString(copy.resolve("SHA256SUMS"), sums.toString());
        Files.writeString(copy.resolve("_COMPLETE"), sha256(copy.resolve("SHA256SUMS")) + "\n");
        try (var hidden = Files.list(copy)) { // Hadoop's local checksums of the old contents
            for (Path crc : hidden.filter(f -> f.getFileName().toString().endsWith(".crc")).toList()) Files.delete(crc);
        }
        assertRefused(mosa("eval", "--checkpoint", copy.toString(), "--data", t.shards.toString()),
                copy.toString(), "v99", "another version");
    }

    @Test
    void aDirectoryThatIsNoRunIsRefused() {
        assertRefused(mosa("eval", "--checkpoint", t.shards.toString(), "--data", t.shards.toString()),
                t.shards.toString(), "neither a run directory");
    }

    /** The same corpus prepared with a 300-token BPE. */
    private static synchronized Path otherTokenizerShards() {
        Path other = t.root.resolve("shards-bpe300");
        if (!Files.exists(other)) {
            TinyTrainedRun.Cli p = mosa("prepare", "--input", t.root.resolve("corpus").toUri().toString(),
                    "--out", other.toUri().toString(), "--format", "jsonl", "--tokenizer", "train:300",
                    "--val-fraction", "0.1", "--shard-tokens", "4000", "--name", "e2e", "--seed", "7");
            assertEquals(0, p.exit(), p.err());
        }
        return other;
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
