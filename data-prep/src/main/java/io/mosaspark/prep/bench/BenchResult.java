package io.mosaspark.prep.bench;

import java.util.Map;

/**
 * One benchmark outcome, printed as one JSON object.
 *
 * @param suite    {@code tokenize} or {@code bpe-train}
 * @param metric   what {@code value} measures
 * @param value    the measurement, in {@code unit}
 * @param baseline the same-run baseline in the same unit (or the target when there is no baseline)
 * @param ratio    value / baseline (for times: baseline / value), so that higher is better
 * @param target   the ratio the issue asks for
 * @param pass     ratio &gt;= target
 * @param details  the other figures of the run (throughputs, sizes, timings)
 */
public record BenchResult(String suite, String metric, String unit, double value, double baseline, double ratio,
                          double target, boolean pass, Map<String, Object> details) {
}
