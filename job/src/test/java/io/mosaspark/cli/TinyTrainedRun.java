package io.mosaspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.cluster.TestCorpus;
import io.mosaspark.prep.SharedSpark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One small finished training run shared by the eval, generate and export tests (the test JVM is
 * reused across classes, so it is trained once): the job tests' corpus prepared with a 320-token BPE,
 * and a one-layer cpu-demo hybrid (4 dense + 25 MoSA heads, ρ 8, T 32) trained by 2 workers for 2
 * rounds, evaluated and checkpointed after each.
 */
public final class TinyTrainedRun {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static TinyTrainedRun shared;

    public final Path root;
    public final Path shards;
    public final Path run;

    /** What one {@code mosa} command printed. */
    public record Cli(int exit, String out, String err) {
        public java.util.List<String> errorLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private TinyTrainedRun(Path root) throws IOException {
        this.root = root;
        Path corpus = TestCorpus.write(Files.createDirectories(root.resolve("corpus")));
        SharedSpark.session(); // the commands borrow it
        shards = root.resolve("shards");
        Cli p = mosa("prepare", "--input", corpus.toUri().toString(), "--out", shards.toUri().toString(),
                "--format", "jsonl", "--tokenizer", "train:320", "--val-fraction", "0.1", "--shard-tokens", "4000",
                "--name", "e2e", "--seed", "7");
        assertEquals(0, p.exit(), p.err());
        run = root.resolve("run");
        Cli t = mosa("train", "--data", shards.toUri().toString(), "--out", run.toUri().toString(),
                "--set", "n_layers=1", "--set", "seq_len=32", "--batch", "2", "--workers", "2", "--local-steps", "1",
                "--rounds", "2", "--eval-every", "1", "--checkpoint-every", "1", "--eval-windows", "8");
        assertEquals(0, t.exit(), t.err());
    }

    public static synchronized TinyTrainedRun get() throws IOException {
        if (shared == null) {
            Path root = Files.createTempDirectory("mosa-tiny-run");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> org.apache.commons.io.FileUtils.deleteQuietly(root.toFile())));
            shared = new TinyTrainedRun(root);
        }
        return shared;
    }

    public static Cli mosa(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        picocli.CommandLine cli = Mosa.commandLine();
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int exit = cli.execute(args);
        return new Cli(exit, o.toString(), e.toString());
    }

    public JsonNode summary() throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    /** The validation loss the run logged after {@code round} (its eval line in metrics.jsonl). */
    public double loggedValLoss(int round) throws IOException {
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("kind").asText().equals("eval") && n.get("round").asInt() == round) return n.get("val_loss").asDouble();
        }
        throw new IllegalStateException("no eval line for round " + round + " in " + run.resolve("metrics.jsonl"));
    }

    public Path checkpoint(int round) {
        return run.resolve("checkpoints").resolve(String.format("round-%06d", round));
    }
}
