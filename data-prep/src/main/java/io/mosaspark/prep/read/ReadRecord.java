package io.mosaspark.prep.read;

import java.io.Serializable;

/**
 * One record as read from an input file: either a document's raw text or a rejection.
 *
 * @param fileIndex      index of the file in the sorted input list
 * @param file           file URI
 * @param offset         byte offset of the record in the (decompressed) file, or row index for Parquet
 * @param text           decoded text; null for a rejection
 * @param malformedBytes invalid UTF-8 bytes replaced by U+FFFD while decoding
 * @param reject         null for a document
 * @param detail         human-readable detail of a rejection (parser message), else null
 */
public record ReadRecord(int fileIndex, String file, long offset, String text, int malformedBytes,
                         RejectReason reject, String detail) implements Serializable {

    public static ReadRecord document(InputFile f, long offset, String text, int malformedBytes) {
        return new ReadRecord(f.index(), f.uri(), offset, text, malformedBytes, null, null);
    }

    public static ReadRecord rejected(InputFile f, long offset, RejectReason reason, String detail) {
        return new ReadRecord(f.index(), f.uri(), offset, null, 0, reason, detail);
    }

    public boolean isRejected() {
        return reject != null;
    }
}
