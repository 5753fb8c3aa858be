package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.Timing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainer run's rounds after its warm-up rounds (the first ones build each task thread's network and
 * warm the JIT): steady-state tokens/s and where the round time went, with the warm-up rounds' own rate
 * and, where the run recorded it ({@link JitClock}), how much JIT compiling overlapped the timed rounds.
 *
 * @param tokensPerRound training tokens of one round, all workers together
 * @param roundSeconds   wall seconds of each steady round
 * @param computeSeconds the slowest worker's H steps, per round
 * @param averagingSeconds the driver's broadcast and outer update, per round
 * @param schedulingSeconds the rest: task launch, (de)serialisation, the aggregation tree, per round
 * @param warmupSeconds  wall seconds of each warm-up round
 * @param jitSecondsTimed JIT compile seconds between the last warm-up round's end and the last round's
 *                       end, or null when the run did not record them
 */
record SteadyRounds(long tokensPerRound, List<Double> roundSeconds, List<Double> computeSeconds,
                    List<Double> averagingSeconds, List<Double> schedulingSeconds, List<Double> warmupSeconds,
                    Double jitSecondsTimed) {
    /** The run's key for {@link JitClock#samples()}. */
    static final String JIT_SAMPLES = "jit_compile_s";

    SteadyRounds {
        if (roundSeconds.isEmpty()) throw new IllegalArgumentException("no steady-state rounds to measure");
    }

    /** The rounds of a {@link TrainRunProbe} result after the first {@code warmupRounds}. */
    static SteadyRounds of(Map<String, Object> run, int warmupRounds) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) run.get("rounds");
        if (rounds.size() <= warmupRounds) {
            throw new IllegalArgumentException("the run has " + rounds.size() + " rounds, not more than its "
                    + warmupRounds + " warm-up rounds: raise the timed steps");
        }
        List<Map<String, Object>> steady = rounds.subList(warmupRounds, rounds.size());
        List<Map<String, Object>> warmup = rounds.subList(0, warmupRounds);
        @SuppressWarnings("unchecked")
        List<List<Number>> jit = (List<List<Number>>) run.get(JIT_SAMPLES);
        Double jitTimed = null;
        if (jit != null && warmupRounds > 0) {
            jitTimed = compiledBy(jit, elapsed(rounds.get(rounds.size() - 1)))
                    - compiledBy(jit, elapsed(rounds.get(warmupRounds - 1)));
        }
        return new SteadyRounds(((Number) run.get("tokens_per_round")).longValue(), column(steady, "round_s"),
                column(steady, "compute_s"), column(steady, "averaging_s"), column(steady, "scheduling_s"),
                column(warmup, "round_s"), jitTimed);
    }

    private static double elapsed(Map<String, Object> round) {
        return ((Number) round.get("elapsed_s")).doubleValue();
    }

    /** The compile seconds of the last sample taken at or before {@code seconds} (samples are 0.1 s apart). */
    private static double compiledBy(List<List<Number>> samples, double seconds) {
        double compiled = 0;
        for (List<Number> s : samples) {
            if (s.get(0).doubleValue() > seconds) break;
            compiled = s.get(1).doubleValue();
        }
        return compiled;
    }

    private static List<Double> column(List<Map<String, Object>> rows, String key) {
        return rows.stream().map(r -> ((Number) r.get(key)).doubleValue()).toList();
    }

    int rounds() {
        return roundSeconds.size();
    }

    /** All steady tokens over all steady round time. */
    double tokensPerSecond() {
        return tokensPerRound * rounds() / sum(roundSeconds);
    }

    /** The warm-up rounds' tokens over their time (NaN without warm-up rounds): what a short run sees. */
    double warmupTokensPerSecond() {
        return warmupSeconds.isEmpty() ? Double.NaN : tokensPerRound * warmupSeconds.size() / sum(warmupSeconds);
    }

    /**
     * JIT compile seconds per second of the timed rounds (NaN when not recorded): near 0 once the JIT has
     * settled. The JVM counts each compilation's wall time, so on busy cores this is an upper bound on
     * the CPU the compilers took from the workers, not a measure of it.
     */
    double jitShareTimed() {
        return jitSecondsTimed == null ? Double.NaN : jitSecondsTimed / sum(roundSeconds);
    }

    /** Tokens over the slowest worker's compute time alone: what the round would reach with free averaging. */
    double computeTokensPerSecond() {
        return tokensPerRound * rounds() / sum(computeSeconds);
    }

    double computeShare() {
        return sum(computeSeconds) / sum(roundSeconds);
    }

    double averagingShare() {
        return sum(averagingSeconds) / sum(roundSeconds);
    }

    double schedulingShare() {
        return sum(schedulingSeconds) / sum(roundSeconds);
    }

    /** (averaging + scheduling) / round time: what data parallelism costs beyond the steps themselves. */
    double overheadShare() {
        return averagingShare() + schedulingShare();
    }

    Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steady_rounds", rounds());
        m.put("tokens_per_s", tokensPerSecond());
        m.put("compute_tokens_per_s", computeTokensPerSecond());
        m.put("round_s_median", Timing.median(roundSeconds));
        m.put("compute_s_median", Timing.median(computeSeconds));
        m.put("averaging_s_median", Timing.median(averagingSeconds));
        m.put("scheduling_s_median", Timing.median(schedulingSeconds));
        m.put("compute_share", computeShare());
        m.put("averaging_share", averagingShare());
        m.put("scheduling_share", schedulingShare());
        m.put("overhead_share", overheadShare());
        m.put("warmup_rounds", warmupSeconds.size());
        m.put("warmup_tokens_per_s", finiteOrNull(warmupTokensPerSecond()));
        m.put("jit_compile_s_timed", jitSecondsTimed);
        m.put("jit_share_timed", finiteOrNull(jitShareTimed()));
        return m;
    }

    /** {@code x}, or null for NaN and infinities (which JSON cannot hold). */
    static Double finiteOrNull(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static double sum(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).sum();
    }
}
