package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.harness.Timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens/s of the trainer with 1 and with 2 workers, one core each ({@code local[N]}, one ND4J/OpenBLAS
 * thread per task), steady-state rounds only. The two runs of a pair go back to back, in alternating
 * order, and the ratio is the median of the per-pair ratios: this VM's speed drifts between runs.
 */
final class TrainScalingSuite implements Suite {
    static final double TARGET = 1.7;
    static final int WORKERS = 2;

    private final ProbeRunner runner;
    private final TrainRunPlan plan;
    private final int pairs;
    private final double quietWaitS;

    /** @param quietWaitS how long to wait for a quiet host before each pair ({@link HostLoad}) */
    TrainScalingSuite(ProbeRunner runner, TrainRunPlan plan, int pairs, double quietWaitS) {
        if (pairs < 1) throw new IllegalArgumentException("--pairs = " + pairs + ": must be >= 1");
        this.runner = runner;
        this.plan = plan;
        this.pairs = pairs;
        this.quietWaitS = quietWaitS;
    }

    @Override
    public String name() {
        return "train-scaling";
    }

    @Override
    public void run(BenchReport report) {
        List<SteadyRounds> one = new ArrayList<>(), two = new ArrayList<>();
        Map<String, Object> threadEnv = null;
        long parameters = 0;
        List<Double> busy = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            busy.add(HostLoad.waitForQuiet(quietWaitS));
            for (int workers : p % 2 == 0 ? List.of(1, WORKERS) : List.of(WORKERS, 1)) {
                Map<String, Object> run = runner.run(TrainRunProbe.NAME, plan.spec(workers).asMap());
                threadEnv = castMap(run.get("thread_env"));
                parameters = ((Number) run.get("parameters")).longValue();
                (workers == 1 ? one : two).add(SteadyRounds.of(run, plan.warmupRounds()));
            }
        }
        report.emit(name(), "1-worker", workerFields(1, one, parameters, threadEnv));
        report.emit(name(), WORKERS + "-workers", workerFields(WORKERS, two, parameters, threadEnv));

        List<Double> ratios = new ArrayList<>(), computeRatios = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            ratios.add(two.get(p).tokensPerSecond() / one.get(p).tokensPerSecond());
            computeRatios.add(two.get(p).computeTokensPerSecond() / one.get(p).computeTokensPerSecond());
        }
        Map<String, Object> r = new LinkedHashMap<>(plan.fields());
        double ratio = Timing.median(ratios);
        r.put("pairs", pairs);
        r.put("host_busy_before_pairs", busy);
        r.put("speedup_pairs", ratios);
        r.put("speedup", ratio);
        r.put("efficiency", ratio / WORKERS);
        // the same ratio on compute time alone: below the speedup's shortfall, the workers slow each other down
        r.put("compute_speedup_pairs", computeRatios);
        r.put("compute_speedup", Timing.median(computeRatios));
        r.put("target", TARGET);
        r.put("target_met", ratio >= TARGET);
        report.emit(name(), "speedup", r);
    }

    private Map<String, Object> workerFields(int workers, List<SteadyRounds> runs, long parameters,
                                             Map<String, Object> threadEnv) {
        Map<String, Object> m = new LinkedHashMap<>(plan.fields());
        m.put("workers", workers);
        m.put("spark_master", plan.layout().master(workers));
        m.put("processes", plan.layout().describe(workers));
        m.put("thread_env", threadEnv);
        m.put("parameters", parameters);
        m.put("tokens_per_s_pairs", runs.stream().map(SteadyRounds::tokensPerSecond).toList());
        m.put("tokens_per_s_median", Timing.median(runs.stream().map(SteadyRounds::tokensPerSecond).toList()));
        m.put("compute_tokens_per_s_median", Timing.median(runs.stream().map(SteadyRounds::computeTokensPerSecond).toList()));
        m.put("overhead_share_median", Timing.median(runs.stream().map(SteadyRounds::overheadShare).toList()));
        m.put("runs", runs.stream().map(SteadyRounds::fields).toList());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
