package io.mosaspark.prep.read;

import java.io.Closeable;
import java.io.IOException;

/** Pulls records from one open input file, in file order. */
public interface DocumentSource extends Closeable {

    /** The next record, or null at the end of the file. */
    ReadRecord next() throws IOException;

    /** Offset of the last record returned (or 0): where a failure is reported. */
    long position();
}
