package io.mosaspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.train.data.InMemoryTokens;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.round.FaultPlan;
import io.mosaspark.train.routing.DriftRecord;
import io.mosaspark.train.routing.IntervalSummary;
import io.mosaspark.train.routing.RoutingFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing statistics collected during training: what they record, and that they change nothing trained. */
class TrainerRoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** 2 workers × 2 steps × 3 rounds, validation (and so an interval) every round, one checkpoint at the end. */
    private static TrainConfig config(OuterConfig outer, int routingEvery) {
        return TinyRuns.config(2, 2, 3, outer, "float32").withCadence(1, 8, 0, 2).withRoutingEvery(routingEvery);
    }

    private static RoutingFiles.Contents routing(Path run) throws Exception {
        return RoutingFiles.read(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(run.resolve(RoutingFiles.DIRECTORY).toUri()));
    }

    @Test
    void statisticsOnOrOffTrainTheSameParametersAndOnlyOnRecordsThem() throws Exception {
        for (OuterConfig outer : new OuterConfig[]{OuterConfig.averaging(), OuterConfig.diloco()}) {
            InMemoryTokens data = TinyRuns.data(2);
            Path off = tmp.resolve("off-" + outer.rule()), on = tmp.resolve("on-" + outer.rule());
            Trainer.Result a = Trainer.train(SharedSpark.context(), config(outer, 0), data, TinyRuns.options(off, false, null));
            Trainer.Result b = Trainer.train(SharedSpark.context(), config(outer, 1), data, TinyRuns.options(on, false, null));
            assertEquals(a.state().params(), b.state().params(), outer.rule() + ": max |diff| "
                    + a.state().params().maxAbsDifference(b.state().params()));
            assertEquals(a.validation().loss(), b.validation().loss());
            assertFalse(Files.exists(off.resolve(RoutingFiles.DIRECTORY)), "no statistics asked for, none written");

            RoutingFiles.Contents c = routing(on);
            assertEquals(3, c.intervals().size(), "one interval per validation");
            for (IntervalSummary s : c.intervals()) {
                assertEquals(s.fromRound(), s.toRound());
                assertEquals(2 * 2, s.steps(), "both workers' two steps");
                IntervalSummary.Layer layer = s.layers().get(0);
                int k = TinyRuns.model().attention().selectedTokens(TinyRuns.SEQ);
                long sequences = s.sequences();
                for (IntervalSummary.Head h : layer.heads()) {
                    assertEquals(sequences * k, h.selections(), "k per head and sequence");
                    assertEquals(sequences * TinyRuns.SEQ, java.util.Arrays.stream(h.scoreAll().histogram()).sum());
                    assertFalse(h.topTokens().isEmpty());
                }
                assertEquals(sequences * TinyRuns.SEQ, java.util.Arrays.stream(layer.headsPerToken()).sum());
            }
            assertEquals(List.of(1, 2, 3), c.drift().stream().map(DriftRecord::round).toList());
            for (DriftRecord d : c.drift()) {
                assertEquals(2, d.workers().size());
                assertTrue(d.jaccard() > 0 && d.jaccard() <= 1, "drift " + d.jaccard());
            }
            for (String f : List.of("heads.csv", "positions.csv", "tokens.csv", "layers.csv", "drift.csv")) {
                List<String> lines = Files.readAllLines(on.resolve(RoutingFiles.DIRECTORY).resolve(f));
                assertTrue(lines.size() > 1, f + " has a header and rows");
            }
            assertEquals("round,rule,layer,head,jaccard", Files.readAllLines(on.resolve("routing/drift.csv")).get(0));

            Path checkpoint = on.resolve(Trainer.CHECKPOINTS).resolve("round-000003");
            JsonNode state = JSON.readTree(checkpoint.resolve("state.json").toFile());
            assertTrue(state.get("files").toString().contains("routing/routing.json"), state.get("files").toString());
            assertEquals(Files.readString(on.resolve("routing/routing.json")),
                    Files.readString(checkpoint.resolve("routing/routing.json")), "the checkpoint keeps the statistics");

            String metrics = Files.readString(on.resolve("metrics.jsonl"));
            assertTrue(metrics.contains("\"replica_drift_jaccard\""), metrics);
        }
    }

    @Test
    void aRetriedTaskGivesTheSameStatistics() throws Exception {
        InMemoryTokens data = TinyRuns.data(2);
        Path clean = tmp.resolve("clean"), faulty = tmp.resolve("faulty");
        Trainer.train(SharedSpark.context(), config(OuterConfig.averaging(), 1), data, TinyRuns.options(clean, false, null));
        Trainer.train(SharedSpark.context(), config(OuterConfig.averaging(), 1), data,
                TinyRuns.options(faulty, false, new FaultPlan(1, 1)));
        assertEquals(Files.readString(clean.resolve("routing/routing.json")), Files.readString(faulty.resolve("routing/routing.json")));
    }

    @Test
    void aResumedRunContinuesTheStatisticsFromItsCheckpoint() throws Exception {
        TrainConfig c = TinyRuns.config(2, 2, 4, OuterConfig.averaging(), "float32").withCadence(1, 8, 1, 4)
                .withRoutingEvery(1);
        InMemoryTokens data = TinyRuns.data(2);
        Path full = tmp.resolve("full"), crashed = tmp.resolve("crashed");
        Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(full, false, null));
        // a crash after round 2's checkpoint, and the run directory's own routing/ lost with it
        org.apache.commons.io.FileUtils.copyDirectory(full.resolve("checkpoints/round-000002").toFile(),
                crashed.resolve("checkpoints/round-000002").toFile());
        Trainer.train(SharedSpark.context(), c, data, TinyRuns.options(crashed, true, null));
        assertEquals(Files.readString(full.resolve("routing/routing.json")), Files.readString(crashed.resolve("routing/routing.json")),
                "rounds 1-2 from the checkpoint, 3-4 trained again: the undisturbed run's statistics");
    }

    @Test
    void everyNthStepObservesFewerSteps() throws Exception {
        Path run = tmp.resolve("every2");
        Trainer.train(SharedSpark.context(), config(OuterConfig.averaging(), 2), TinyRuns.data(2),
                TinyRuns.options(run, false, null));
        // global steps 0, 2, 4 of 0 … 5, on both workers
        assertEquals(2 * 3, routing(run).intervals().stream().mapToLong(IntervalSummary::steps).sum());
    }
}
