package io.mosaspark.prep.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol on the local filesystem: stale work of crashed runs, refusal, replacement. */
class OutputCommitTest {
    @TempDir
    Path tmp;

    @Test
    void aRerunRemovesTheWorkDirectoryACrashedRunLeftButNothingElse() throws IOException {
        Path crashed = Files.createDirectories(tmp.resolve(".out._temporary-dead-run"));
        Files.writeString(crashed.resolve("corpus_train_000000.bin"), "half a shard");
        Path notOurs = Files.createDirectories(tmp.resolve(".out._temporary-odd"));
        Files.writeString(notOurs.resolve(OutputCommit.SUCCESS), "");
        Path otherOutput = Files.createDirectories(tmp.resolve(".out2._temporary-running"));
        Path movedAside = Files.createDirectories(tmp.resolve(".out._replaced-interrupted"));

        OutputCommit commit = OutputCommit.begin(tmp.resolve("out").toString(), false, new Configuration());

        assertFalse(Files.exists(crashed), "the crashed run's work directory is removed");
        assertTrue(Files.exists(notOurs), "a directory holding _SUCCESS is never removed");
        assertTrue(Files.exists(otherOutput), "work of another output is not touched");
        assertTrue(Files.exists(movedAside), "an old output moved aside is data: warned about, kept");
        commit.commit();
        assertTrue(Files.exists(tmp.resolve("out").resolve(OutputCommit.SUCCESS)));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(4, left.count(), "out, the _SUCCESS-holding directory, .out2 work and the moved-aside output");
        }
    }

    @Test
    void anExistingOutputIsRefusedUnlessOverwritingAndThenReplaced() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "old");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutputCommit.begin(out.toString(), false, new Configuration()));
        assertTrue(e.getMessage().contains(out.getFileName().toString()) && e.getMessage().contains("--overwrite"),
                e.getMessage());

        OutputCommit commit = OutputCommit.begin(out.toString(), true, new Configuration());
        Files.writeString(Path.of(commit.workDir().toUri()).resolve("new.txt"), "new");
        commit.commit();
        assertFalse(Files.exists(out.resolve("old.txt")));
        assertEquals("new", Files.readString(out.resolve("new.txt")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(1, left.count(), "nothing but the output is left");
        }
    }
}
