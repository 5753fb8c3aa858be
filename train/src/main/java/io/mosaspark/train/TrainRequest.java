package io.mosaspark.train;

import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.round.FaultPlan;

import java.util.List;

/**
 * What a user asks {@code mosa train} for, before it is resolved against the preset and the shard set
 * ({@link TrainLm#resolve}).
 *
 * @param data            the shard set directory (any Hadoop URI)
 * @param preset          preset name or JSON file
 * @param variant         dense, mosa, fixed or perplexity-matched
 * @param sparsity        ρ for mosa and fixed
 * @param overrides       {@code key=value} for the preset's model and training keys
 * @param workers         data-parallel workers
 * @param localSteps      H, steps between averaging rounds
 * @param rounds          rounds to train (0: from {@code tokens}, or else from the preset's steps)
 * @param tokens          training tokens to consume (all workers together; 0 = use rounds)
 * @param outer           averaging or DiLoCo
 * @param evalEvery       rounds between validations (0: only at the end)
 * @param evalWindows     validation windows per evaluation (0: all)
 * @param checkpointEvery rounds between checkpoints (0: only at the end)
 * @param keepCheckpoints checkpoints kept
 * @param precision       float32 or float64
 * @param verifyData      also check every shard's SHA-256 before training (reads the whole set once)
 * @param out             run directory
 * @param resume          continue from the newest valid checkpoint in {@code out}
 * @param faults          test-only injected failure
 * @param routingEvery    routing statistics from every n-th step, 0 = off (docs/routing.md)
 */
public record TrainRequest(String data, String preset, String variant, int sparsity, List<String> overrides,
                           int workers, int localSteps, int rounds, long tokens, OuterConfig outer, int evalEvery,
                           long evalWindows, int checkpointEvery, int keepCheckpoints, String precision,
                           boolean verifyData, String out, boolean resume, FaultPlan faults, int routingEvery) {

    /** With routing statistics at {@link TrainConfigDefaults#ROUTING_EVERY}. */
    public TrainRequest(String data, String preset, String variant, int sparsity, List<String> overrides, int workers,
                        int localSteps, int rounds, long tokens, OuterConfig outer, int evalEvery, long evalWindows,
                        int checkpointEvery, int keepCheckpoints, String precision, boolean verifyData, String out,
                        boolean resume, FaultPlan faults) {
        this(data, preset, variant, sparsity, overrides, workers, localSteps, rounds, tokens, outer, evalEvery, evalWindows,
                checkpointEvery, keepCheckpoints, precision, verifyData, out, resume, faults, TrainConfigDefaults.ROUTING_EVERY);
    }

    /** The same request, trained into {@code out} ({@code mosa retrain} trains in the registry's staging area). */
    public TrainRequest withOut(String out, boolean resume) {
        return new TrainRequest(data, preset, variant, sparsity, overrides, workers, localSteps, rounds, tokens, outer,
                evalEvery, evalWindows, checkpointEvery, keepCheckpoints, precision, verifyData, out, resume, faults,
                routingEvery);
    }

    public TrainRequest {
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        faults = faults == null ? FaultPlan.NONE : faults;
        if (rounds > 0 && tokens > 0) {
            throw new IllegalArgumentException("--rounds = " + rounds + " and --tokens = " + tokens
                    + ": give one of them, not both");
        }
        if (rounds < 0) throw new IllegalArgumentException("--rounds = " + rounds + ": must be >= 1");
        if (tokens < 0) throw new IllegalArgumentException("--tokens = " + tokens + ": must be >= 1");
        if (routingEvery < 0) {
            throw new IllegalArgumentException("--routing-every = " + routingEvery + ": must be >= 0 (0 = no routing statistics)");
        }
    }
}
