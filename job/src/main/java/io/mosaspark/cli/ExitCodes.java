package io.mosaspark.cli;

/** What {@code mosa} exits with, for every command: schedulers and scripts can tell a retry from a fix. */
public final class ExitCodes {
    public static final int OK = 0;
    /**
     * The job ran and failed: an unreadable input without --skip-bad-files, an I/O or Spark failure,
     * a model registry locked by another writer (retrain, registry evaluate|promote|rollback).
     * Running it again may pass once the cause is fixed or gone.
     */
    public static final int JOB_FAILED = 1;
    /**
     * The command cannot run as given: an unknown command or option, an invalid value, an input that
     * matches nothing, an output that exists. Running it again unchanged fails the same way.
     */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
