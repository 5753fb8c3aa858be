package io.mosaspark.prep.read;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** {@code --format text}: the whole (decompressed) file is one document, up to the record limit. */
final class WholeFileSource implements DocumentSource {
    private final InputFile file;
    private final InputStream in;
    private final RecordSizeLimit limit;
    private boolean done;

    WholeFileSource(InputFile file, InputStream in, RecordSizeLimit limit) {
        this.file = file;
        this.in = in;
        this.limit = limit;
    }

    @Override
    public ReadRecord next() throws IOException {
        if (done) {
            return null;
        }
        done = true;
        FileBytes buf = new FileBytes();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(chunk)) > 0; ) {
            total += n;
            if (limit.exceededBy(total)) {
                buf = null; // counted to the end for the message, not kept
            }
            if (buf != null) {
                buf.write(chunk, 0, n);
            }
        }
        if (buf == null) {
            return ReadRecord.rejected(file, 0, RejectReason.RECORD_TOO_LARGE, limit.rejection(
                    "a --format text file (one record; text-paragraphs or text-lines cut it into several)", total));
        }
        Utf8Text.Decoded d = buf.decode();
        return ReadRecord.document(file, 0, d.text(), d.malformedBytes());
    }

    /** Decodes in place: {@code toByteArray()} would hold the file's bytes twice. */
    private static final class FileBytes extends ByteArrayOutputStream {
        Utf8Text.Decoded decode() {
            return Utf8Text.decode(buf, 0, count);
        }
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
