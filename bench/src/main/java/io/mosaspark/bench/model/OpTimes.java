package io.mosaspark.bench.model;

import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.profiler.data.StringAggregator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Total time and call count per ND4J op name, fed by ND4J's {@link org.nd4j.linalg.profiler.OpProfiler}
 * (installed in place of its class aggregator, whose own totals are not public).
 */
final class OpTimes extends StringAggregator {

    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    @Override
    public void putTime(String key, Op op, long timeSpentNanos) {
        add(op.opName(), timeSpentNanos);
    }

    @Override
    public void putTime(String key, CustomOp op, long timeSpentNanos) {
        add(op.opName(), timeSpentNanos);
    }

    @Override
    public void putTime(String key, long timeSpentNanos) {
        add(key, timeSpentNanos);
    }

    private void add(String name, long ns) {
        nanos.computeIfAbsent(name, k -> new LongAdder()).add(ns);
        calls.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    double totalSeconds() {
        return nanos.values().stream().mapToLong(LongAdder::sum).sum() / 1e9;
    }

    /** The {@code top} ops by total time: name, seconds, calls, share of all op time. */
    List<Map<String, Object>> top(int top) {
        double total = totalSeconds();
        List<Map<String, Object>> rows = new ArrayList<>();
        nanos.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .limit(top)
                .forEach(e -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    double s = e.getValue().sum() / 1e9;
                    r.put("op", e.getKey());
                    r.put("seconds", s);
                    r.put("calls", calls.get(e.getKey()).sum());
                    r.put("share_of_op_time", s / total);
                    rows.add(r);
                });
        return rows;
    }
}
