package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.harness.Timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What routing statistics cost: the trainer on a MoSA hybrid with statistics (every n-th step, and the
 * replica-drift probe every round) against the same run without, 2 workers, steady rounds only. The two
 * runs of a pair go back to back in alternating order, each in a fresh JVM; the overhead is the median
 * over pairs of (round time on / round time off − 1). Target: at most 3% of round time.
 *
 * <p>On a shared host two runs minutes apart can differ by far more than 3% (other builds come and go),
 * so the suite also reports the share measured inside each "on" run, where both parts see the same
 * load: (a worker's time reading the selections and running the probe + the driver's drift pass) /
 * round time. It leaves out only the layers' copy of the router logits inside the steps.
 */
final class RoutingOverheadSuite implements Suite {
    static final double TARGET = 0.03;
    static final int WORKERS = 2;

    private final ProbeRunner runner;
    private final TrainRunPlan plan;
    private final int routingEvery;
    private final int pairs;
    private final double quietWaitS;

    RoutingOverheadSuite(ProbeRunner runner, TrainRunPlan plan, int routingEvery, int pairs, double quietWaitS) {
        if (plan.model().attention().mosaHeads() == 0) {
            throw new IllegalArgumentException("routing-overhead needs MoSA heads: --routing-rho gave a dense model");
        }
        if (routingEvery < 1) throw new IllegalArgumentException("--routing-every = " + routingEvery + ": must be >= 1");
        if (pairs < 1) throw new IllegalArgumentException("--pairs = " + pairs + ": must be >= 1");
        this.runner = runner;
        this.plan = plan;
        this.routingEvery = routingEvery;
        this.pairs = pairs;
        this.quietWaitS = quietWaitS;
    }

    @Override
    public String name() {
        return "routing-overhead";
    }

    @Override
    public void run(BenchReport report) {
        List<SteadyRounds> off = new ArrayList<>(), on = new ArrayList<>();
        List<Double> busy = new ArrayList<>(), routingS = new ArrayList<>(), inRun = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            busy.add(HostLoad.waitForQuiet(quietWaitS));
            for (int every : p % 2 == 0 ? List.of(0, routingEvery) : List.of(routingEvery, 0)) {
                Map<String, Object> run = runner.run(TrainRunProbe.NAME, plan.spec(WORKERS, every).asMap());
                SteadyRounds steady = SteadyRounds.of(run, plan.warmupRounds());
                (every == 0 ? off : on).add(steady);
                if (every > 0) {
                    routingS.add(driverRoutingSeconds(run, plan.warmupRounds()));
                    inRun.add(inRunShare(run, plan.warmupRounds()));
                }
            }
        }
        List<Double> overhead = new ArrayList<>(), computeOverhead = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            overhead.add(meanRound(on.get(p)) / meanRound(off.get(p)) - 1);
            computeOverhead.add(meanCompute(on.get(p)) / meanCompute(off.get(p)) - 1);
        }
        Map<String, Object> r = new LinkedHashMap<>(plan.fields());
        r.put("workers", WORKERS);
        r.put("routing_every", routingEvery);
        r.put("pairs", pairs);
        r.put("host_busy_before_pairs", busy);
        r.put("round_s_median_off", Timing.median(off.stream().map(SteadyRounds::fields).map(f -> (Double) f.get("round_s_median")).toList()));
        r.put("round_s_median_on", Timing.median(on.stream().map(SteadyRounds::fields).map(f -> (Double) f.get("round_s_median")).toList()));
        r.put("overhead_pairs", overhead);
        r.put("overhead", Timing.median(overhead));
        // the workers' share (statistics inside the H steps) and the driver's drift pass, apart
        r.put("compute_overhead_pairs", computeOverhead);
        r.put("compute_overhead", Timing.median(computeOverhead));
        r.put("driver_routing_s_median", Timing.median(routingS));
        r.put("in_run_share_pairs", inRun);
        r.put("in_run_share", Timing.median(inRun));
        r.put("runs_off", off.stream().map(SteadyRounds::fields).toList());
        r.put("runs_on", on.stream().map(SteadyRounds::fields).toList());
        r.put("target", TARGET);
        r.put("target_met", Timing.median(overhead) <= TARGET);
        r.put("target_met_in_run", Timing.median(inRun) <= TARGET);
        report.emit(name(), "overhead", r);
    }

    private static double meanRound(SteadyRounds s) {
        return s.roundSeconds().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double meanCompute(SteadyRounds s) {
        return s.computeSeconds().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Median over the steady rounds of (a worker's + the driver's routing time) / round time. */
    @SuppressWarnings("unchecked")
    static double inRunShare(Map<String, Object> run, int warmupRounds) {
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) run.get("rounds");
        return Timing.median(rounds.subList(warmupRounds, rounds.size()).stream()
                .map(x -> (num(x, "worker_routing_s") + num(x, "routing_s")) / num(x, "round_s")).toList());
    }

    private static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0.0;
    }

    /** Median over the steady rounds of the driver's replica-drift time. */
    @SuppressWarnings("unchecked")
    static double driverRoutingSeconds(Map<String, Object> run, int warmupRounds) {
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) run.get("rounds");
        return Timing.median(rounds.subList(warmupRounds, rounds.size()).stream()
                .map(x -> num(x, "routing_s")).toList());
    }
}
