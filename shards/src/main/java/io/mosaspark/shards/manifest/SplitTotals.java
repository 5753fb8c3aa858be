package io.mosaspark.shards.manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sums over one split's shards. */
public record SplitTotals(int shards, long tokens, long documents, long bytes) {

    /** Split id → totals, for every split (an empty split has zero totals). */
    public static Map<String, SplitTotals> bySplit(List<ShardInfo> shards) {
        Map<String, SplitTotals> totals = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            List<ShardInfo> of = shards.stream().filter(i -> i.split().equals(s.id())).toList();
            totals.put(s.id(), new SplitTotals(of.size(), of.stream().mapToLong(ShardInfo::tokens).sum(),
                    of.stream().mapToLong(ShardInfo::documents).sum(), of.stream().mapToLong(ShardInfo::bytes).sum()));
        }
        return totals;
    }
}
