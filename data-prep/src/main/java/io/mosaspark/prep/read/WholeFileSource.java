package io.mosaspark.prep.read;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** {@code --format text}: the whole (decompressed) file is one document. */
final class WholeFileSource implements DocumentSource {
    /** A Java array (and String) cannot hold more. */
    static final long MAX_DOCUMENT_BYTES = Integer.MAX_VALUE - 16;

    private final InputFile file;
    private final InputStream in;
    private boolean done;

    WholeFileSource(InputFile file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    @Override
    public ReadRecord next() throws IOException {
        if (done) {
            return null;
        }
        done = true;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(chunk)) > 0; ) {
            total += n;
            if (total > MAX_DOCUMENT_BYTES) {
                return ReadRecord.rejected(file, 0, RejectReason.FILE_TOO_LARGE,
                        "a --format text document must be < 2 GiB; use text-paragraphs or text-lines");
            }
            buf.write(chunk, 0, n);
        }
        byte[] bytes = buf.toByteArray();
        Utf8Text.Decoded d = Utf8Text.decode(bytes, 0, bytes.length);
        return ReadRecord.document(file, 0, d.text(), d.malformedBytes());
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
