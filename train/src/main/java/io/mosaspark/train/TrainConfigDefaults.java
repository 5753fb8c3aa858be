package io.mosaspark.train;

/** The trainer's defaults, in one place: what {@code mosa train} uses when an option is not given. */
public final class TrainConfigDefaults {
    /** Two workers: the smallest data-parallel run, and what a 2-core machine runs well. */
    public static final int WORKERS = 2;
    /** H: local steps between averaging rounds (DL4J's default averaging frequency is 5; DiLoCo's H is 500). */
    public static final int LOCAL_STEPS = 8;
    /** Spark's own default depth: the driver receives about √N partial sums. */
    public static final int AGGREGATION_DEPTH = 2;
    public static final int EVAL_EVERY = 10;
    public static final int CHECKPOINT_EVERY = 10;
    public static final int KEEP_CHECKPOINTS = 3;
    /**
     * Routing statistics from every 4th step: every step costs about 4% of round time at cpu-demo's MoSA
     * hybrid (mosa bench routing-overhead, bench/results/2026-12-07-routing-overhead-every1.json), above the
     * 3% budget; the probe pass and the drift measurement stay once per round.
     */
    public static final int ROUTING_EVERY = 4;

    private TrainConfigDefaults() {
    }
}
