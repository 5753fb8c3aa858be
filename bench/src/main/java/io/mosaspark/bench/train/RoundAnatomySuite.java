package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.harness.Timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a round's time goes. (1) At the plan's H, with 2 workers: the share of averaging + scheduling in
 * the steady rounds' time (target ≤ 10%). (2) The round's data movement alone ({@link AggregateProbe}),
 * by model size and worker count, and a straight-line fit of its time against the bytes each worker
 * sends: the intercept is the fixed cost of a round (job and task launch), the slope its cost per byte.
 * Worker counts above the cores (local[4] on 2 cores) still measure the aggregation's cost: the tasks
 * only copy and serialise, and the driver merges their sums one after another.
 */
final class RoundAnatomySuite implements Suite {
    static final double TARGET_OVERHEAD_SHARE = 0.10;

    private final ProbeRunner trainer;
    private final ProbeRunner aggregation;
    private final TrainRunPlan plan;
    private final int runs;
    private final AggregateSpec aggregate;

    /**
     * @param trainer     runs the trainer (one core per worker)
     * @param aggregation runs the aggregation sweep (a child with room for Tiny-sized sums)
     */
    RoundAnatomySuite(ProbeRunner trainer, ProbeRunner aggregation, TrainRunPlan plan, int runs, AggregateSpec aggregate) {
        if (runs < 1) throw new IllegalArgumentException("--pairs = " + runs + ": must be >= 1");
        this.trainer = trainer;
        this.aggregation = aggregation;
        this.plan = plan;
        this.runs = runs;
        this.aggregate = aggregate;
    }

    @Override
    public String name() {
        return "round-anatomy";
    }

    @Override
    public void run(BenchReport report) {
        List<SteadyRounds> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            measured.add(SteadyRounds.of(trainer.run(TrainRunProbe.NAME, plan.spec(TrainScalingSuite.WORKERS).asMap()),
                    plan.warmupRounds()));
        }
        Map<String, Object> shares = new LinkedHashMap<>(plan.fields());
        shares.put("workers", TrainScalingSuite.WORKERS);
        shares.put("runs", measured.stream().map(SteadyRounds::fields).toList());
        for (String k : List.of("compute_share", "averaging_share", "scheduling_share", "overhead_share")) {
            shares.put(k + "_median", Timing.median(measured.stream().map(s -> (Double) s.fields().get(k)).toList()));
        }
        double overhead = (Double) shares.get("overhead_share_median");
        shares.put("target_overhead_share", TARGET_OVERHEAD_SHARE);
        shares.put("target_met", overhead <= TARGET_OVERHEAD_SHARE);
        report.emit(name(), "round-shares", shares);

        Map<String, Object> sweep = aggregation.run(AggregateProbe.NAME, aggregate.asMap());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) sweep.get("results");
        for (Map<String, Object> p : points) report.emit(name(), "aggregate", p);
        for (int workers : aggregate.workers()) report.emit(name(), "aggregate-growth-by-size", bySize(points, workers));
        for (NamedModel m : aggregate.models()) report.emit(name(), "aggregate-growth-by-workers", byWorkers(points, m.name()));
    }

    /** At one worker count: round data time against bytes per worker, fitted by a line. */
    static Map<String, Object> bySize(List<Map<String, Object>> points, int workers) {
        List<Map<String, Object>> at = points.stream().filter(p -> num(p, "workers") == workers).toList();
        List<Double> bytes = at.stream().map(p -> num(p, "bytes_per_worker")).toList();
        List<Double> seconds = at.stream().map(p -> num(p, "round_data_s_median")).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workers", workers);
        m.put("models", at.stream().map(p -> p.get("model")).toList());
        m.put("bytes_per_worker", bytes);
        m.put("round_data_s", seconds);
        if (at.size() >= 2) {
            double[] line = Line.fit(bytes, seconds);
            m.put("fixed_s", line[0]);
            m.put("s_per_mb_per_worker", line[1] * 1e6);
            m.put("mb_per_s_per_worker", line[1] > 0 ? 1e-6 / line[1] : Double.NaN);
        }
        return m;
    }

    /** For one model: round data time against the worker count, and relative to one worker. */
    static Map<String, Object> byWorkers(List<Map<String, Object>> points, String model) {
        List<Map<String, Object>> at = points.stream().filter(p -> model.equals(p.get("model"))).toList();
        List<Double> seconds = at.stream().map(p -> num(p, "round_data_s_median")).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("bytes_per_worker", at.isEmpty() ? 0 : at.get(0).get("bytes_per_worker"));
        m.put("workers", at.stream().map(p -> p.get("workers")).toList());
        m.put("round_data_s", seconds);
        m.put("relative_to_first", seconds.stream().map(s -> s / seconds.get(0)).toList());
        if (at.size() >= 2) {
            double[] line = Line.fit(at.stream().map(p -> num(p, "workers")).toList(), seconds);
            m.put("s_per_extra_worker", line[1]);
        }
        return m;
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** Least squares y = a + b·x. */
    static final class Line {
        private Line() {
        }

        static double[] fit(List<Double> x, List<Double> y) {
            int n = x.size();
            double mx = x.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double my = y.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double sxy = 0, sxx = 0;
            for (int i = 0; i < n; i++) {
                sxy += (x.get(i) - mx) * (y.get(i) - my);
                sxx += (x.get(i) - mx) * (x.get(i) - mx);
            }
            double b = sxx == 0 ? 0 : sxy / sxx;
            return new double[] {my - b * mx, b};
        }
    }
}
