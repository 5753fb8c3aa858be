package io.mosaspark.train.routing;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Each worker's selections on the probe batch at the end of its local steps, by rank: probe windows ×
 * layers × heads × k positions per worker. Merging is a union, so the driver gets one entry per worker
 * (small next to the parameters: 4 · 2 · 25 · 16 ints for cpu-demo's MoSA hybrid).
 */
public final class ProbeSelections implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final TreeMap<Integer, int[]> byRank;

    private ProbeSelections(TreeMap<Integer, int[]> byRank) {
        this.byRank = byRank;
    }

    public static ProbeSelections of(int rank, int[] selections) {
        TreeMap<Integer, int[]> m = new TreeMap<>();
        m.put(rank, selections);
        return new ProbeSelections(m);
    }

    /** a ∪ b (into a); a rank present in both is an error: each worker reports once per round. */
    public static ProbeSelections merge(ProbeSelections a, ProbeSelections b) {
        if (a == null) return b;
        if (b == null) return a;
        for (var e : b.byRank.entrySet()) {
            if (a.byRank.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalStateException("worker " + e.getKey() + " reported its probe selections twice in one round");
            }
        }
        return a;
    }

    public SortedMap<Integer, int[]> byRank() {
        return Collections.unmodifiableSortedMap(byRank);
    }
}
