package io.mosaspark.train.outer;

import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.state.GlobalState;

/** The driver's step between rounds: from the previous global state and the workers' sums to the next. */
public interface OuterRule {

    /** Whether workers start each round from the broadcast optimizer state (else they keep their own). */
    boolean broadcastsOptimizerState();

    GlobalState apply(GlobalState previous, RoundSum sum, int localSteps);
}
