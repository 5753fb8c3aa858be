package io.mosaspark.prep.read;

/** An input file could not be read and --skip-bad-files was not given: the job stops. */
public final class UnreadableInputException extends RuntimeException {

    public UnreadableInputException(String file, long offset, Throwable cause) {
        super("cannot read input file " + file + " (near record offset " + offset + "): " + describe(cause)
                + ". Fix or remove the file, or pass --skip-bad-files to record it in _rejected/ and go on.",
                cause);
    }

    /**
     * Spark wraps executor failures (in its checked SparkException); this digs out our own exception so
     * the user sees which file is unreadable rather than a stage-failure dump.
     */
    public static RuntimeException surface(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnreadableInputException u) {
                return u;
            }
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        return e instanceof java.io.IOException io ? new java.io.UncheckedIOException(io.getMessage(), io)
                : new IllegalStateException(e.getMessage(), e);
    }

    static String describe(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
