package io.mosaspark.train.data;

import java.io.IOException;

/** A sequence of token windows, read on a worker. */
public interface WindowStream extends AutoCloseable {

    /** Fills {@code window} (length {@code T + 1}) with the next window; false when there is none. */
    boolean next(int[] window) throws IOException;

    @Override
    void close() throws IOException;
}
