package io.mosaspark.train.round;

import java.io.Serializable;

/**
 * A test-only switch that makes one worker task fail on its first attempt, so that tests can check that
 * Spark's retry changes nothing. Set with {@code --set fault.fail_once=ROUND:RANK} (rounds 0-based);
 * off by default. It is not part of the training config: a faulty and an undisturbed run must compute
 * the same parameters, and resuming either must be allowed.
 */
public record FaultPlan(int failRound, int failRank) implements Serializable {

    public static final FaultPlan NONE = new FaultPlan(-1, -1);

    public static FaultPlan parse(String spec) {
        String[] p = spec.split(":");
        try {
            if (p.length == 2) return new FaultPlan(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new IllegalArgumentException("fault.fail_once = " + spec + ": must be ROUND:RANK, e.g. 1:0");
    }

    /** Throws if this (round, rank) task is to fail and this is its first attempt. */
    void maybeFail(int round, int rank, int attempt) {
        if (round == failRound && rank == failRank && attempt == 0) {
            throw new InjectedFault("injected fault (fault.fail_once=" + round + ":" + rank + "), first attempt");
        }
    }

    /** The failure {@link #maybeFail} throws: recognisable in logs and tests. */
    public static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }
}
