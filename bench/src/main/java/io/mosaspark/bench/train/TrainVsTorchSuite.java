package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.bench.harness.Timing;
import io.mosaspark.bench.model.TorchReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Our trainer's tokens/s against PyTorch's data parallelism on the same machine, same model config,
 * batch and sequence length, 2 workers / processes of one thread each: at H = 1 against
 * DistributedDataParallel (gloo), at H > 1 against local SGD that averages parameters every H steps
 * ({@code bench/torch_ddp.py}). Each pair runs ours then theirs back to back; the ratio quoted is the
 * median of the per-pair ratios.
 */
final class TrainVsTorchSuite implements Suite {
    static final double TARGET = 1.0;
    /** The H at which the target applies: averaging every 8 steps, the trainer's default. */
    static final int TARGET_H = 8;

    private final ProbeRunner runner;
    private final TorchReference torch;
    private final Path ddpScript;
    private final TrainRunPlan plan;
    private final List<Integer> localSteps;
    private final int pairs;
    private final double quietWaitS;

    /** @param quietWaitS how long to wait for a quiet host before each pair ({@link HostLoad}) */
    TrainVsTorchSuite(ProbeRunner runner, TorchReference torch, Path ddpScript, TrainRunPlan plan,
                      List<Integer> localSteps, int pairs, double quietWaitS) {
        if (pairs < 1) throw new IllegalArgumentException("--pairs = " + pairs + ": must be >= 1");
        if (localSteps.isEmpty() || localSteps.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("--vs-torch-h = " + localSteps + ": at least one H, each >= 1");
        }
        this.runner = runner;
        this.torch = torch;
        this.ddpScript = ddpScript;
        this.plan = plan;
        this.localSteps = List.copyOf(localSteps);
        this.pairs = pairs;
        this.quietWaitS = quietWaitS;
    }

    @Override
    public String name() {
        return "train-vs-torch";
    }

    @Override
    public void run(BenchReport report) {
        Optional<String> missing = torch.unfitForTimingReason();
        for (int h : localSteps) {
            TrainRunPlan p = plan.withLocalSteps(h);
            List<SteadyRounds> ours = new ArrayList<>();
            List<Map<String, Object>> theirs = new ArrayList<>();
            List<Double> busy = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                busy.add(HostLoad.waitForQuiet(quietWaitS));
                ours.add(SteadyRounds.of(runner.run(TrainRunProbe.NAME, p.spec(TrainScalingSuite.WORKERS).asMap()),
                        p.warmupRounds()));
                // right after ours, so that both sides of this pair see the same host speed
                if (missing.isEmpty()) theirs.add(torchRun(p));
            }
            Map<String, Object> r = result(p, ours, theirs, missing);
            r.put("host_busy_before_pairs", busy);
            report.emit(name(), "h-" + h, r);
        }
    }

    private Map<String, Object> torchRun(TrainRunPlan p) {
        int h = p.localSteps();
        return torch.runScript(ddpScript, List.of(
                "--config-json", BenchReport.toJson(p.model()),
                "--procs", Integer.toString(TrainScalingSuite.WORKERS),
                "--batch", Integer.toString(p.training().batchSize()),
                "--period", Integer.toString(h),
                "--warmup", Integer.toString(p.warmupRounds() * h),
                "--steps", Integer.toString(p.timedRounds() * h),
                "--grad-clip", Double.toString(p.training().gradClip()),
                "--port", Integer.toString(freePort())));
    }

    private Map<String, Object> result(TrainRunPlan p, List<SteadyRounds> ours, List<Map<String, Object>> theirs,
                                       Optional<String> missing) {
        Map<String, Object> r = new LinkedHashMap<>(p.fields());
        r.put("workers", TrainScalingSuite.WORKERS);
        r.put("spark_master", p.layout().master(TrainScalingSuite.WORKERS));
        r.put("processes", p.layout().describe(TrainScalingSuite.WORKERS));
        r.put("pairs", pairs);
        List<Double> oursTps = ours.stream().map(SteadyRounds::tokensPerSecond).toList();
        r.put("ours_tokens_per_s_pairs", oursTps);
        r.put("ours_tokens_per_s_median", Timing.median(oursTps));
        r.put("ours_overhead_share_median", Timing.median(ours.stream().map(SteadyRounds::overheadShare).toList()));
        // whether the timed rounds ran after the JIT had settled, and what the warm-up itself ran at
        r.put("ours_jit_share_timed_pairs",
                ours.stream().map(o -> SteadyRounds.finiteOrNull(o.jitShareTimed())).toList());
        List<Double> oursWarmup = ours.stream().map(SteadyRounds::warmupTokensPerSecond).toList();
        r.put("ours_warmup_tokens_per_s_pairs", oursWarmup);
        if (missing.isPresent()) {
            r.put("torch", "skipped: " + missing.get());
            return r;
        }
        List<Double> theirTps = theirs.stream().map(t -> ((Number) t.get("tokens_per_s")).doubleValue()).toList();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < pairs; i++) ratios.add(oursTps.get(i) / theirTps.get(i));
        double ratio = Timing.median(ratios);
        r.put("torch_impl", theirs.get(0).get("impl"));
        r.put("torch_version", theirs.get(0).get("torch_version"));
        r.put("torch_blas", theirs.get(0).get("blas_library"));
        r.put("torch_tokens_per_s_pairs", theirTps);
        r.put("torch_tokens_per_s_median", Timing.median(theirTps));
        r.put("ratio_pairs", ratios);
        r.put("ratio_ours_over_torch", ratio);
        List<Double> theirWarmup = theirs.stream().map(t -> t.get("warmup_tokens_per_s") instanceof Number n
                ? n.doubleValue() : Double.NaN).toList();
        List<Double> warmupRatios = new ArrayList<>();
        for (int i = 0; i < pairs; i++) warmupRatios.add(oursWarmup.get(i) / theirWarmup.get(i));
        r.put("torch_warmup_tokens_per_s_pairs", theirWarmup);
        r.put("warmup_ratio_pairs", warmupRatios);
        if (p.localSteps() == TARGET_H) {
            r.put("target", TARGET);
            r.put("target_met", ratio >= TARGET);
        }
        return r;
    }

    /** A port gloo's rendezvous can bind now (released at once; a clash with another process is unlikely). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for torch.distributed's rendezvous", e);
        }
    }
}
