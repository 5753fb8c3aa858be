package io.mosaspark.bench.prep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a prep suite: one figure against its same-run baseline and the target ratio.
 *
 * @param metric   what {@code value} measures
 * @param value    the measurement, in {@code unit}
 * @param baseline the same-run baseline in the same unit (or the target when there is no baseline)
 * @param ratio    value / baseline (for times: baseline / value), so that higher is better
 * @param target   the ratio the issue asks for
 * @param pass     ratio &gt;= target
 * @param details  the other figures of the run (throughputs, sizes, timings)
 */
record BenchResult(String metric, String unit, double value, double baseline, double ratio, double target, boolean pass,
                   Map<String, Object> details) {

    /** The fields of the report's result entry: the figures first, then the details, flat like every suite's. */
    Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("unit", unit);
        m.put("value", value);
        m.put("baseline", baseline);
        m.put("ratio", ratio);
        m.put("target", target);
        m.put("pass", pass);
        m.putAll(details);
        return m;
    }
}
