package io.mosaspark.cli;

import io.mosaspark.cluster.TestCorpus;
import io.mosaspark.prep.SharedSpark;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mosa train} given bad input, as a user would: each is refused with exit code 2 and one error
 * line naming the file or key, before anything is trained or written to {@code --out}.
 */
class TrainCommandTest {
    @TempDir
    static Path tmp;
    /** A shard set with train and val splits, BPE vocabulary 320. */
    static Path shards;
    /** The same corpus prepared with no validation share. */
    static Path noVal;

    /** What a run of {@code mosa train} printed and left behind. */
    record Run(int exit, String out, String err, Path dir) {
        List<String> errorLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        /** The model and summary a finished run writes are not in --out. */
        void leftNoModel() {
            assertFalse(Files.exists(dir.resolve("summary.json")), dir + " has a summary.json");
            assertFalse(Files.exists(dir.resolve("model.safetensors")), dir + " has a model.safetensors");
        }
    }

    @BeforeAll
    static void prepare() throws IOException {
        Path corpus = TestCorpus.write(Files.createDirectories(tmp.resolve("corpus")));
        SharedSpark.session(); // `mosa prepare` and `mosa train` borrow it
        shards = tmp.resolve("shards");
        noVal = tmp.resolve("no-val");
        for (Path out : List.of(shards, noVal)) {
            assertEquals(0, Mosa.commandLine().execute("prepare", "--input", corpus.toUri().toString(),
                    "--out", out.toUri().toString(), "--format", "jsonl", "--tokenizer", "train:320",
                    "--val-fraction", out == noVal ? "0" : "0.1", "--shard-tokens", "4000", "--name", "e2e", "--seed", "7"));
        }
    }

    /** {@code mosa train} on a one-layer cpu-demo hybrid, one round of one step: {@code extra} adds or overrides. */
    static Run train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toUri().toString(), "--out", out.toUri().toString(),
                "--set", "n_layers=1", "--set", "seq_len=32", "--batch", "2", "--workers", "2", "--local-steps", "1",
                "--rounds", "1", "--eval-windows", "4"));
        args.addAll(List.of(extra));
        StringWriter o = new StringWriter(), e = new StringWriter();
        CommandLine cli = Mosa.commandLine();
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Run(exit, o.toString(), e.toString(), out);
    }

    static void assertRefused(Run r, String... mentions) {
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.errorLines();
        assertEquals(1, lines.size(), "one error line, no usage text or stack trace:\n" + r.err());
        for (String m : mentions) assertTrue(lines.get(0).contains(m), "'" + m + "' missing from: " + lines.get(0));
        r.leftNoModel();
    }

    @Test
    void anEmptyValidationSplitIsRefused() {
        assertRefused(train(noVal, tmp.resolve("run-no-val")), "val split", noVal.toString(), "0 tokens", "--val-fraction");
    }

    @Test
    void aVocabularySmallerThanTheTokenizersIsRefused() {
        assertRefused(train(shards, tmp.resolve("run-vocab"), "--set", "vocab_size=16"),
                "model.vocab_size = 16", "320");
    }

    @Test
    void aSequenceLengthLeavingFewerWindowsThanWorkersIsRefused() {
        // 22,021 train tokens hold one window of 16,001: two workers need two
        assertRefused(train(shards, tmp.resolve("run-seq-len"), "--seq-len", "16000"), "seq_len = 16000",
                "workers = 2", "train split of", shards.toString());
    }

    @Test
    void aMissingShardIsRefusedNamingIt() throws IOException {
        Path broken = tmp.resolve("missing-shard");
        FileUtils.copyDirectory(shards.toFile(), broken.toFile());
        Path shard = broken.resolve("e2e_train_000002.bin");
        Files.delete(shard);
        Run r = train(broken, tmp.resolve("run-missing"));
        assertEquals(2, r.exit(), r.err());
        // the shard set lists each problem on a line of its own: here exactly one, naming the file
        assertTrue(r.errorLines().get(0).contains(broken.toString()), r.err());
        assertEquals(1, r.errorLines().stream().filter(l -> l.contains("e2e_train_000002.bin")).count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        r.leftNoModel();
    }

    @Test
    void resumingACheckpointOfAnotherConfigIsRefusedAndLeavesTheRunDirectoryAlone() throws IOException {
        Path made = tmp.resolve("run-one-layer");
        Run first = train(shards, made, "--checkpoint-every", "1");
        assertEquals(0, first.exit(), first.err());
        // a run that crashed after its checkpoint: only the checkpoint is left
        Path crashed = tmp.resolve("run-crashed");
        FileUtils.copyDirectory(made.resolve("checkpoints").toFile(), crashed.resolve("checkpoints").toFile());
        List<Path> before = listing(crashed);

        Run r = train(shards, crashed, "--set", "n_layers=2", "--resume");
        assertRefused(r, "checkpoints/round-000001", "model.n_layers", "1", "2");
        assertEquals(before, listing(crashed), "the refused resume wrote into the run directory");

        Run same = train(shards, crashed, "--resume");
        assertEquals(0, same.exit(), "the checkpoint's own config resumes it: " + same.err());
        assertTrue(Files.exists(crashed.resolve("metrics-resume-1.jsonl")));
        assertTrue(Files.exists(crashed.resolve("summary.json")));
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(dir::relativize).sorted().toList();
        }
    }
}
