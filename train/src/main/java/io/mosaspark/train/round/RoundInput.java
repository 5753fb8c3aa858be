package io.mosaspark.train.round;

import io.mosaspark.train.state.FlatVector;

import java.io.Serializable;

/**
 * What the driver broadcasts at the start of a round: everything a worker needs besides its rank and
 * its data, so that a worker's round is a pure function of (this, rank).
 *
 * @param round          0-based round index
 * @param globalStep     optimiser steps taken before this round (round × H): drives the schedule
 * @param params         the global parameters
 * @param optimizerState the global Adam moments (parameter averaging), or null when each worker keeps
 *                       its own (DiLoCo: read from the worker's JVM or the run directory)
 */
public record RoundInput(int round, int globalStep, FlatVector params, FlatVector optimizerState)
        implements Serializable {
}
