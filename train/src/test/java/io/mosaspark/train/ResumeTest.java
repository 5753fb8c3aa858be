package io.mosaspark.train;

import io.mosaspark.train.data.InMemoryTokens;
import io.mosaspark.train.outer.OuterConfig;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints: resuming from any of them gives the undisturbed run's parameters. */
class ResumeTest {

    @TempDir
    Path tmp;

    private static TrainConfig config(OuterConfig outer, int keep) {
        TrainConfig c = TinyRuns.config(2, 2, 4, outer, "float32");
        return c.withCadence(c.evalEvery(), c.evalWindows(), 1, keep);
    }

    /** A run directory holding only the given checkpoints of {@code from}, as a crash after them leaves it. */
    private Path crashedAfter(Path from, String name, int... rounds) throws IOException {
        Path dir = tmp.resolve(name);
        for (int r : rounds) {
            String cp = String.format("checkpoints/round-%06d", r);
            FileUtils.copyDirectory(from.resolve(cp).toFile(), dir.resolve(cp).toFile());
        }
        return dir;
    }

    @Test
    void resumingFromACheckpointGivesTheUndisturbedRunsParameters() throws Exception {
        for (OuterConfig outer : List.of(OuterConfig.averaging(), OuterConfig.diloco())) {
            TrainConfig c = config(outer, 4);
            InMemoryTokens data = TinyRuns.data(2);
            Path full = tmp.resolve("full-" + outer.rule());
            Trainer.Result undisturbed = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(full, false, null));

            Path crashed = crashedAfter(full, "crashed-" + outer.rule(), 1, 2);
            Trainer.Result resumed = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(crashed, true, null));

            assertEquals(undisturbed.state().params(), resumed.state().params(), outer.rule() + ": max |diff| "
                    + undisturbed.state().params().maxAbsDifference(resumed.state().params()));
            assertEquals(2, resumed.records().stream().filter(r -> r.kind().equals("round")).count(),
                    "the resumed run trains rounds 3 and 4 only");
            assertTrue(Files.exists(crashed.resolve("metrics-resume-2.jsonl")));
        }
    }

    @Test
    void aCorruptNewestCheckpointIsSkippedForTheOneBefore() throws Exception {
        TrainConfig c = config(OuterConfig.averaging(), 4);
        InMemoryTokens data = TinyRuns.data(2);
        Path full = tmp.resolve("full");
        Trainer.Result undisturbed = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(full, false, null));

        Path crashed = crashedAfter(full, "corrupt", 2, 3);
        try (RandomAccessFile f = new RandomAccessFile(crashed.resolve("checkpoints/round-000003/model.safetensors").toFile(), "rw")) {
            f.seek(f.length() - 5);
            int b = f.read();
            f.seek(f.length() - 5);
            f.write(b ^ 0x40);
        }
        Trainer.Result resumed = Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(crashed, true, null));
        assertEquals(undisturbed.state().params(), resumed.state().params());
        assertEquals(2, resumed.records().stream().filter(r -> r.kind().equals("round")).count(),
                "resumed from round 2, not the corrupt round 3");
    }

    @Test
    void aCheckpointOfAnotherConfigIsRefusedNamingTheKey() throws Exception {
        TrainConfig c = config(OuterConfig.averaging(), 4);
        InMemoryTokens data = TinyRuns.data(2);
        Path full = tmp.resolve("full");
        Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(full, false, null));
        Path crashed = crashedAfter(full, "other", 2);

        TrainConfig other = c.withTraining(c.training().withLearningRate(2e-2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(SharedSpark.context(), other, data, TinyRuns.options(crashed, true, null)));
        assertTrue(e.getMessage().contains("training.learning_rate: the checkpoint has 0.01, this run has 0.02"), e.getMessage());
        assertTrue(e.getMessage().contains("round-000002"), e.getMessage());
        assertFalse(Files.exists(crashed.resolve("config.json")), "the refused run wrote its config into the run directory");
    }

    @Test
    void onlyTheLastKCheckpointsAreKeptAndNoTemporaryIsLeft() throws Exception {
        TrainConfig c = config(OuterConfig.diloco(), 2);
        Path out = tmp.resolve("keep");
        Trainer.train(SharedSpark.context(), c, TinyRuns.data(2), TinyRuns.options(out, false, null));
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("round-000003", "round-000004"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.exists(out.resolve("checkpoints/round-000004/_COMPLETE")));
        assertTrue(Files.exists(out.resolve("checkpoints/round-000004/inner/worker-00001.bin")));
        try (Stream<Path> s = Files.list(out.resolve("inner"))) {
            assertEquals(List.of("round-000004"), s.map(p -> p.getFileName().toString()).toList(),
                    "inner states of finished rounds are deleted");
        }
        for (String f : List.of("model.safetensors", "model.zip", "summary.json", "config.json", "metrics.jsonl")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertFalse(Files.readString(out.resolve("summary.json")).isBlank());
    }
}
