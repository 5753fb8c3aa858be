package io.mosaspark.train.outer;

import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.state.GlobalState;

/**
 * DL4J's parameter averaging: the next global parameters and Adam moments are the workers' means. With
 * one worker this is exactly local training (the mean of one is a division by 1).
 */
final class ParameterAveraging implements OuterRule {

    @Override
    public boolean broadcastsOptimizerState() {
        return true;
    }

    @Override
    public GlobalState apply(GlobalState previous, RoundSum sum, int localSteps) {
        int n = sum.workers();
        return new GlobalState(previous.round() + 1, previous.globalStep() + localSteps,
                sum.params().dividedBy(n), sum.optimizerState().dividedBy(n), null,
                previous.tokensSeen() + sum.tokens());
    }
}
