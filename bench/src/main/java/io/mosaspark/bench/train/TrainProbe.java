package io.mosaspark.bench.train;

import io.mosaspark.bench.model.Probe;

import java.util.Map;
import java.util.function.Function;

/**
 * Entry point of a child JVM that runs one trainer measurement ({@code TrainProbe <name> <spec JSON>}),
 * answering as {@link Probe} does: one line {@code PROBE-RESULT {json}} on stdout.
 */
public final class TrainProbe {

    static final Map<String, Function<String, Map<String, Object>>> PROBES = Map.of(
            TrainRunProbe.NAME, TrainRunProbe::run,
            AggregateProbe.NAME, AggregateProbe::run,
            CheckpointProbe.NAME, CheckpointProbe::run,
            ConvergenceProbe.NAME, ConvergenceProbe::run);

    private TrainProbe() {
    }

    public static void main(String[] args) {
        Probe.serve(args, PROBES);
    }
}
