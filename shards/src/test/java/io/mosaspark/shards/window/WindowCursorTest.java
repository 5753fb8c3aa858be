package io.mosaspark.shards.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.shards.ShardSets;
import io.mosaspark.shards.format.InvalidShardException;
import io.mosaspark.shards.format.TokenWidth;
import io.mosaspark.shards.manifest.Split;
import io.mosaspark.shards.set.ShardSet;
import io.mosaspark.shards.set.SplitShards;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's windows over a split whose token at stream position p is p (+ a base), so a window's first
 * token names where it starts: 1000 tokens in shards of 97, windows of W = 11 (T = 10), M = 99 windows.
 */
class WindowCursorTest {
    private static final Configuration CONF = new Configuration();
    private static final int TOKENS = 1000;
    private static final int W = 11;
    @TempDir
    Path tmp;

    private SplitShards train(String name, int vocab, int base) throws IOException {
        Path dir = tmp.resolve(name);
        ShardSets.write(dir, vocab, base, 97, ShardSets.positions(TOKENS, base), new int[0]);
        return ShardSet.open(dir.toString(), CONF, true).split(Split.TRAIN);
    }

    private static List<int[]> read(WindowCursor cursor, int n) throws IOException {
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] w = new int[W];
            cursor.next(w);
            windows.add(w);
        }
        return windows;
    }

    @Test
    void ranksAreDisjointEqualAndCoverTheEpochButItsLastIncompleteGroup() throws IOException {
        WindowPlan plan = new WindowPlan(train("set", TOKENS, 0), W, 4, 42);
        assertEquals(99, plan.windows());
        assertEquals(24, plan.windowsPerRank());
        List<int[]> epochOrder;
        try (WindowCursor alone = WindowCursor.open(new WindowPlan(plan.shards(), W, 1, 42), 0, CONF)) {
            epochOrder = read(alone, 99);
        }
        Set<Integer> starts = new HashSet<>();
        for (int rank = 0; rank < 4; rank++) {
            try (WindowCursor cursor = WindowCursor.open(plan, rank, CONF)) {
                List<int[]> windows = read(cursor, 24);
                for (int k = 0; k < windows.size(); k++) {
                    int[] w = windows.get(k);
                    assertEquals(0, w[0] % 10, "windows start at multiples of T: " + Arrays.toString(w));
                    assertArrayEquals(ShardSets.positions(W, w[0]), w, "a window is W consecutive stream tokens");
                    assertArrayEquals(epochOrder.get(k * 4 + rank), w, "rank " + rank + " takes positions r + kN");
                    assertTrue(starts.add(w[0]), "window at " + w[0] + " read twice");
                }
                assertEquals(new WindowPosition(1, 0), cursor.position());
            }
        }
        assertEquals(96, starts.size(), "all 99 windows but the 99 mod 4 = 3 of the incomplete last group");
    }

    @Test
    void windowsCrossShardBoundariesAndEqualTheConcatenatedStream() throws IOException {
        WindowPlan plan = new WindowPlan(train("set", TOKENS, 0), W, 1, 3);
        int crossing = 0;
        try (WindowCursor cursor = WindowCursor.open(plan, 0, CONF)) {
            for (int[] w : read(cursor, 99)) {
                assertArrayEquals(ShardSets.positions(W, w[0]), w);
                crossing += w[0] / 97 != w[W - 1] / 97 ? 1 : 0;
            }
        }
        assertTrue(crossing >= 5, crossing + " windows crossed a shard boundary");
    }

    @Test
    void uint16AndUint32ShardsGiveTheSameWindows() throws IOException {
        int base = 70_000; // ids above 16 bits force the uint32 layout
        SplitShards narrow = train("u16", TOKENS, 0);
        SplitShards wide = train("u32", base + TOKENS, base);
        assertEquals(TokenWidth.UINT32, TokenWidth.forVocabSize(base + TOKENS));
        try (WindowCursor a = WindowCursor.open(new WindowPlan(narrow, W, 2, 9), 1, CONF);
             WindowCursor b = WindowCursor.open(new WindowPlan(wide, W, 2, 9), 1, CONF)) {
            for (int i = 0; i < 60; i++) {
                int[] x = new int[W];
                int[] y = new int[W];
                a.next(x);
                b.next(y);
                assertArrayEquals(x, Arrays.stream(y).map(t -> t - base).toArray());
            }
        }
    }

    @Test
    void twoCursorsOfOnePlanAgreeAndEpochsReorderTheSameWindows() throws IOException {
        WindowPlan plan = new WindowPlan(train("set", TOKENS, 0), W, 1, 11);
        List<int[]> first;
        List<int[]> again;
        try (WindowCursor a = WindowCursor.open(plan, 0, CONF); WindowCursor b = WindowCursor.open(plan, 0, CONF)) {
            first = read(a, 198);
            again = read(b, 198);
        }
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), again.get(i), "window " + i);
        }
        int[] epoch0 = first.subList(0, 99).stream().mapToInt(w -> w[0]).toArray();
        int[] epoch1 = first.subList(99, 198).stream().mapToInt(w -> w[0]).toArray();
        assertFalse(Arrays.equals(epoch0, epoch1), "each epoch has its own order");
        assertArrayEquals(Arrays.stream(epoch0).sorted().toArray(), Arrays.stream(epoch1).sorted().toArray());

        try (WindowCursor other = WindowCursor.open(new WindowPlan(plan.shards(), W, 1, 12), 0, CONF)) {
            assertFalse(Arrays.equals(epoch0, read(other, 99).stream().mapToInt(w -> w[0]).toArray()));
        }
    }

    @Test
    void resumingFromASavedPositionContinuesExactly() throws Exception {
        WindowPlan plan = new WindowPlan(train("set", TOKENS, 0), W, 4, 5);
        List<int[]> straight;
        WindowPosition saved;
        try (WindowCursor cursor = WindowCursor.open(plan, 2, CONF)) {
            read(cursor, 17);
            saved = cursor.position();
            straight = read(cursor, 20); // runs into epoch 1 after 24 windows
        }
        assertEquals(new WindowPosition(0, 17), saved);
        WindowPlan shipped = roundTrip(plan);
        try (WindowCursor resumed = WindowCursor.open(shipped, 2, CONF).at(roundTrip(saved))) {
            int[][] batch = resumed.nextBatch(20);
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(straight.get(i), batch[i], "window " + i + " after the saved position");
            }
            assertEquals(new WindowPosition(1, 13), resumed.position());
        }
    }

    @Test
    void invalidPlansAndPositionsAreRefusedSayingWhatToChange() throws IOException {
        SplitShards small = train("small", TOKENS, 0);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> new WindowPlan(small, 400, 4, 1));
        assertEquals("train split of " + small.dir() + " has 2 windows of 400 tokens; need at least 1 per worker"
                + " (N=4): lower seq_len or workers, or prepare more data", few.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> new WindowPlan(small, 1, 1, 1));
        assertTrue(length.getMessage().startsWith("window_length must be >= 2"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WindowPlan(small, W, 0, 1));

        WindowPlan plan = new WindowPlan(small, W, 4, 1);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> WindowCursor.open(plan, 4, CONF));
        assertEquals("rank must be in [0, workers=4), got 4", rank.getMessage());
        try (WindowCursor cursor = WindowCursor.open(plan, 0, CONF)) {
            IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                    () -> cursor.at(new WindowPosition(0, 24)));
            assertTrue(past.getMessage().contains("past the 24 windows per rank"), past.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cursor.next(new int[W + 1]));
        }
    }

    @Test
    void aShardChangedAfterValidationIsNamedWhenTheCursorReachesIt() throws IOException {
        SplitShards shards = train("changed", TOKENS, 0);
        ShardSets.writeShard(Path.of(shards.path(0).toUri().getPath()), TokenWidth.UINT16, 0, ShardSets.positions(50, 0));
        try (WindowCursor cursor = WindowCursor.open(new WindowPlan(shards, W, 1, 1), 0, CONF)) {
            InvalidShardException e = assertThrows(InvalidShardException.class, () -> read(cursor, 99));
            assertTrue(e.getMessage().contains("t_train_000000.bin: holds 50 tokens but the manifest lists 97"),
                    e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
