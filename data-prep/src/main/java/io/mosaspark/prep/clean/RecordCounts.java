package io.mosaspark.prep.clean;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;

/** Counts of cleaned records by outcome and rejection reason, in one pass. */
public record RecordCounts(long read, long kept, long empty, long rejected, Map<String, Long> rejectedReasons,
                           long malformedUtf8Bytes) implements Serializable {

    public static RecordCounts of(JavaRDD<CleanedRecord> records) {
        return records.aggregate(new RecordCounts(0, 0, 0, 0, Map.of(), 0), RecordCounts::add, RecordCounts::merge);
    }

    private static RecordCounts add(RecordCounts c, CleanedRecord r) {
        Map<String, Long> reasons = c.rejectedReasons;
        if (r.outcome() == CleanedRecord.Outcome.REJECTED) {
            reasons = new TreeMap<>(reasons);
            reasons.merge(r.reject().code(), 1L, Long::sum);
        }
        return new RecordCounts(c.read + 1, c.kept + (r.outcome() == CleanedRecord.Outcome.KEPT ? 1 : 0),
                c.empty + (r.outcome() == CleanedRecord.Outcome.EMPTY ? 1 : 0),
                c.rejected + (r.outcome() == CleanedRecord.Outcome.REJECTED ? 1 : 0), reasons,
                c.malformedUtf8Bytes + r.malformedBytes());
    }

    private static RecordCounts merge(RecordCounts a, RecordCounts b) {
        Map<String, Long> reasons = new TreeMap<>(a.rejectedReasons);
        b.rejectedReasons.forEach((k, v) -> reasons.merge(k, v, Long::sum));
        return new RecordCounts(a.read + b.read, a.kept + b.kept, a.empty + b.empty, a.rejected + b.rejected,
                reasons, a.malformedUtf8Bytes + b.malformedUtf8Bytes);
    }
}
