package io.mosaspark.prep.clean;

import io.mosaspark.prep.read.ReadRecord;
import io.mosaspark.prep.read.RejectReason;
import java.io.Serializable;

/** Cleans a read record and decides whether it is kept, empty or rejected (too short). */
public final class RecordCleaner implements Serializable {
    private final int minChars;

    public RecordCleaner(int minChars) {
        this.minChars = minChars;
    }

    public CleanedRecord clean(ReadRecord r) {
        if (r.isRejected()) {
            return CleanedRecord.rejected(r, r.reject(), r.detail());
        }
        String text = TextCleaner.clean(r.text());
        if (TextCleaner.isBlank(text)) {
            return CleanedRecord.empty(r);
        }
        int length = text.length();
        if (length < minChars) {
            return CleanedRecord.rejected(r, RejectReason.TOO_SHORT,
                    length + " chars after cleaning < --min-chars " + minChars);
        }
        return CleanedRecord.kept(r, text, ContentHash.sha256Hex(text));
    }
}
