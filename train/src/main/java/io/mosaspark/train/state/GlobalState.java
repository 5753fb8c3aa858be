package io.mosaspark.train.state;

/**
 * The driver's training state between rounds: everything the next round and a checkpoint need.
 *
 * @param round          rounds completed
 * @param globalStep     optimiser steps taken (round × H)
 * @param params         the global parameters
 * @param optimizerState parameter averaging: the averaged Adam moments broadcast to every worker;
 *                       DiLoCo: null (each worker keeps its own, see InnerStates)
 * @param outerMomentum  DiLoCo: the outer Nesterov momentum buffer (null before the first outer step and
 *                       for parameter averaging)
 * @param tokensSeen     training tokens consumed by all workers
 */
public record GlobalState(int round, int globalStep, FlatVector params, FlatVector optimizerState,
                          FlatVector outerMomentum, long tokensSeen) {
}
