package io.mosaspark.prep.clean;

import io.mosaspark.prep.read.ReadRecord;
import io.mosaspark.prep.read.RejectReason;
import java.io.Serializable;

/**
 * A read record after cleaning, with its fate so far.
 *
 * @param text   cleaned text, only for {@link Outcome#KEPT}
 * @param sha256 content hash of {@code text}, only for {@link Outcome#KEPT}
 */
public record CleanedRecord(int fileIndex, String file, long offset, Outcome outcome, String text, String sha256,
                            int malformedBytes, RejectReason reject, String detail) implements Serializable {

    /** Where a record stands after cleaning; duplicates are decided later among KEPT records. */
    public enum Outcome { KEPT, EMPTY, REJECTED }

    static CleanedRecord kept(ReadRecord r, String text, String sha256) {
        return new CleanedRecord(r.fileIndex(), r.file(), r.offset(), Outcome.KEPT, text, sha256,
                r.malformedBytes(), null, null);
    }

    static CleanedRecord empty(ReadRecord r) {
        return new CleanedRecord(r.fileIndex(), r.file(), r.offset(), Outcome.EMPTY, null, null,
                r.malformedBytes(), null, null);
    }

    static CleanedRecord rejected(ReadRecord r, RejectReason reason, String detail) {
        return new CleanedRecord(r.fileIndex(), r.file(), r.offset(), Outcome.REJECTED, null, null,
                r.malformedBytes(), reason, detail);
    }

    /** Orders duplicates: the copy earliest in the sorted input is the one kept. */
    public boolean precedes(CleanedRecord other) {
        return fileIndex != other.fileIndex ? fileIndex < other.fileIndex : offset < other.offset;
    }
}
