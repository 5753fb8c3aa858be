package io.mosaspark.report;

import io.mosaspark.train.report.RoundRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunHistoryTest {
    @TempDir
    java.nio.file.Path tmp;

    private static String round(int r, double loss) {
        return "{\"kind\":\"round\",\"round\":" + r + ",\"global_step\":" + 2 * r + ",\"tokens_seen\":" + 64 * r
                + ",\"train_loss\":" + loss + ",\"round_s\":1.0,\"elapsed_s\":" + r + "}\n";
    }

    @Test
    void aResumedRunReplacesWhatCameAfterItsCheckpointAndACutLastLineIsDropped() throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), round(1, 5) + round(2, 4) + round(3, 3.5));
        // the run crashed after round 3 and resumed from round 2's checkpoint, then was killed mid-line
        Files.writeString(tmp.resolve("metrics-resume-2.jsonl"), round(3, 3) + round(4, 2) + "{\"kind\":\"rou");
        RunHistory h = RunHistory.read(FileSystem.getLocal(new Configuration()), new Path(tmp.toUri()));
        assertEquals(List.of(1, 2, 3, 4), h.rounds().stream().map(RoundRecord::round).toList());
        assertEquals(3.0, h.rounds().get(2).trainLoss(), "round 3 as the resumed run trained it");
        assertNull(h.summary());
        assertNull(h.routing());
    }

    @Test
    void aRunResumedIntoADirectoryWithOnlyItsCheckpointsHasOnlyResumedLines() throws Exception {
        Files.writeString(tmp.resolve("metrics-resume-1.jsonl"), round(2, 4));
        RunHistory h = RunHistory.read(FileSystem.getLocal(new Configuration()), new Path(tmp.toUri()));
        assertEquals(List.of(2), h.rounds().stream().map(RoundRecord::round).toList());
    }

    @Test
    void aBrokenLineInsideTheFileIsAnErrorNamingIt() throws Exception {
        Files.writeString(tmp.resolve("metrics.jsonl"), "not json\n" + round(1, 5));
        var e = assertThrows(IllegalArgumentException.class,
                () -> RunHistory.read(FileSystem.getLocal(new Configuration()), new Path(tmp.toUri())));
        assertTrue(e.getMessage().contains("metrics.jsonl line 1"), e.getMessage());
    }

    @Test
    void tokensReadAsText() {
        assertEquals("␣the↵", TokenNames.visible(" the\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("<0xE2><0x82>", TokenNames.visible(new byte[]{(byte) 0xE2, (byte) 0x82}), "part of €");
    }
}
