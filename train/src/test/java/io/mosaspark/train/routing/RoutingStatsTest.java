package io.mosaspark.train.routing;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingStatsTest {
    /** 1 layer, 2 heads, T = 8, k = 2, 4 position bins, 4 score bins. */
    private static final RoutingShape SMALL = new RoutingShape(1, 2, 8, 2, 4, 4, 8);

    @Test
    void oneSequenceCountedByHand() {
        RoutingStats s = new RoutingStats(SMALL);
        int[] selected = {0, 3, 3, 5};                       // head 0: {0, 3}; head 1: {3, 5}
        double[] logits = new double[8 * 2];                 // [T, Hm]: σ(0) = 0.5 everywhere …
        logits[3 * 2] = 10;                                  // … but token 3 under head 0: σ ≈ 1
        int[][] inputs = {{7, 7, 7, 42, 7, 9, 7, 7, 7}};
        s.addLayer(0, selected, logits, inputs);
        s.addStep(1);

        IntervalSummary.Layer layer = IntervalSummary.of(s, 1, 1).layers().get(0);
        assertArrayEquals(new long[]{5, 2, 1}, layer.headsPerToken(), "5 tokens unselected, 2 by one head, 1 by both");
        assertEquals(5.0 / 8, layer.uncoveredShare());
        assertEquals(1.0 / 3, layer.headOverlap(), 1e-15, "|{3}| / |{0, 3, 5}|");
        IntervalSummary.Head h0 = layer.heads().get(0), h1 = layer.heads().get(1);
        assertArrayEquals(new long[]{1, 1, 0, 0}, h0.positionHistogram());
        assertArrayEquals(new long[]{0, 1, 1, 0}, h1.positionHistogram());
        assertEquals(0.5, h0.firstPositionShare());
        assertEquals(0.0, h1.firstPositionShare());
        assertEquals(0.5, h0.loadEntropy(), 1e-15, "two of four bins, evenly: log 2 / log 4");
        assertArrayEquals(new long[]{0, 0, 1, 1}, h0.scoreSelected().histogram(), "0.5 and ≈ 1");
        assertArrayEquals(new long[]{0, 0, 7, 1}, h0.scoreAll().histogram());
        assertEquals(1, h0.topTokens().stream().filter(t -> t.token() == 42).findFirst().orElseThrow().count(),
                "token 42 once (position 3)");
        assertEquals(1, h0.topTokens().stream().filter(t -> t.token() == 7).findFirst().orElseThrow().count());
        assertEquals(2, h1.topTokens().size(), "tokens 42 and 9");
    }

    @Test
    void fixedStrideHasNoScores() {
        RoutingStats s = new RoutingStats(SMALL);
        s.addLayer(0, new int[]{0, 4, 0, 4}, null, new int[][]{{1, 2, 3, 4, 5, 6, 7, 8, 9}});
        IntervalSummary.Head h = IntervalSummary.of(s, 1, 1).layers().get(0).heads().get(0);
        assertNull(h.scoreSelected());
        assertEquals(1.0, IntervalSummary.of(s, 1, 1).layers().get(0).headOverlap());
    }

    @Test
    void aWrongShapeIsRefused() {
        RoutingStats s = new RoutingStats(SMALL);
        var e = assertThrows(IllegalArgumentException.class,
                () -> s.addLayer(0, new int[3], null, new int[][]{{1, 2, 3, 4, 5, 6, 7, 8, 9}}));
        assertTrue(e.getMessage().contains("expected B·Hm·k"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> RoutingStats.merge(new RoutingStats(SMALL),
                new RoutingStats(new RoutingShape(1, 2, 8, 2, 4, 4, 16))));
    }

    /** Random selections of 8 heads over T = 64 on a vocabulary of 500 (more ids than the sketch keeps). */
    private static RoutingStats random(long seed, int steps) {
        RoutingShape shape = new RoutingShape(2, 8, 64, 8, 16, 10, 16);
        RoutingStats s = new RoutingStats(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int step = 0; step < steps; step++) {
            int[][] inputs = new int[2][65];
            for (int[] row : inputs) for (int i = 0; i < row.length; i++) row[i] = r.nextInt(500);
            for (int l = 0; l < 2; l++) {
                int[] sel = new int[2 * 8 * 8];
                for (int row = 0; row < 16; row++) {
                    int[] p = r.ints(0, 64).distinct().limit(8).sorted().toArray();
                    System.arraycopy(p, 0, sel, row * 8, 8);
                }
                double[] logits = r.doubles(2L * 64 * 8, -4, 4).toArray();
                s.addLayer(l, sel, logits, inputs);
            }
            s.addStep(2);
        }
        return s;
    }

    @Test
    void mergingIsDeterministicAndGroupingKeepsTheCounts() throws Exception {
        RoutingStats left = RoutingStats.merge(RoutingStats.merge(random(1, 3), random(2, 3)), random(3, 3));
        RoutingStats again = RoutingStats.merge(RoutingStats.merge(random(1, 3), random(2, 3)), random(3, 3));
        assertEquals(left, again, "equal inputs merged in equal order: equal statistics");
        RoutingStats right = RoutingStats.merge(random(1, 3), RoutingStats.merge(random(2, 3), random(3, 3)));
        assertArrayEquals(left.positions, right.positions);
        assertArrayEquals(left.coverage, right.coverage);
        assertArrayEquals(left.scoreAll, right.scoreAll);
        assertEquals(9, left.steps());
        for (int l = 0; l < 2; l++) assertEquals(left.overlapSum[l], right.overlapSum[l], 1e-12);
        assertNotEquals(left, random(1, 9), "other data, other statistics");

        // fixed size: nine steps merged serialise to no more than one step (plus the sketches' few extra ids)
        int one = serialised(random(4, 1)).length, nine = serialised(left).length;
        assertTrue(nine < one * 1.5, "one step " + one + " bytes, nine merged " + nine);
        RoutingStats back = (RoutingStats) new ObjectInputStream(new ByteArrayInputStream(serialised(left))).readObject();
        assertEquals(left, back);
        assertEquals(RoutingFiles.JSON.writeValueAsString(IntervalSummary.of(left, 1, 9)),
                RoutingFiles.JSON.writeValueAsString(IntervalSummary.of(back, 1, 9)));
    }

    @Test
    void quantilesAreReadFromTheHistogram() {
        assertEquals(0.5, IntervalSummary.quantile(new long[]{0, 10, 10, 0}, 0.5), 1e-15);
        assertEquals(0.25 + 0.125, IntervalSummary.quantile(new long[]{0, 10, 10, 0}, 0.25), 1e-15);
        assertTrue(Double.isNaN(IntervalSummary.quantile(new long[4], 0.5)));
        assertEquals(1.0, IntervalSummary.entropy(new long[]{3, 3, 3, 3}), 1e-15);
        assertEquals(0.0, IntervalSummary.entropy(new long[]{0, 9, 0, 0}));
    }

    @Test
    void driftComparesEachWorkerWithTheGlobalSelections() {
        RoutingShape shape = new RoutingShape(1, 2, 8, 2, 4, 4, 8);
        int[] global = {0, 1, 2, 3};                               // 1 window: head 0 {0, 1}, head 1 {2, 3}
        var workers = new java.util.TreeMap<Integer, int[]>();
        workers.put(0, new int[]{0, 1, 2, 3});                     // the same
        workers.put(1, new int[]{0, 2, 4, 5});                     // head 0: 1/3, head 1: 0
        DriftRecord d = ReplicaDrift.compare(3, "averaging", shape, 1, global, workers);
        assertEquals(Arrays.asList(1.0, 1.0 / 6), d.workers());
        assertEquals((1 + 1.0 / 3) / 2, d.layerHeads().get(0).get(0), 1e-15);
        assertEquals(0.5, d.layerHeads().get(0).get(1), 1e-15);
        assertEquals((2 + 1.0 / 3) / 4, d.jaccard(), 1e-15);
    }

    private static byte[] serialised(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }
}
