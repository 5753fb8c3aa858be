package io.mosaspark.prep.read;

import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the records of a list of files or file ranges ({@link InputSplit}), one open at a time (an
 * executor's partition of the input). A file that fails to open or decode either becomes one
 * unreadable_file rejection per split (records already read from it are kept) or, without
 * --skip-bad-files, stops the job with a message naming it.
 */
public final class FileRecordIterator implements Iterator<ReadRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(FileRecordIterator.class);

    private final Iterator<InputSplit> splits;
    private final InputFormat format;
    private final String textField;
    private final RecordSizeLimit limit;
    private final Configuration conf;
    private final boolean skipBadFiles;

    private InputSplit currentSplit;
    private InputFile current;
    private DocumentSource source;
    private ReadRecord pending;
    private long fileRecords;
    private long fileStartNanos;

    public FileRecordIterator(Iterator<InputSplit> splits, InputFormat format, String textField, RecordSizeLimit limit,
                              Configuration conf, boolean skipBadFiles) {
        this.splits = splits;
        this.format = format;
        this.textField = textField;
        this.limit = limit;
        this.conf = conf;
        this.skipBadFiles = skipBadFiles;
    }

    @Override
    public boolean hasNext() {
        while (pending == null) {
            if (source == null && !openNext()) {
                return false;
            }
            if (source == null) {
                continue;
            }
            try {
                pending = source.next();
            } catch (IOException | RuntimeException e) {
                long at = source.position();
                closeQuietly(); // before fail(), which throws without --skip-bad-files
                pending = fail(current, at, e);
                continue;
            }
            if (pending == null) {
                logDone();
                closeQuietly();
            } else {
                fileRecords++;
            }
        }
        return true;
    }

    @Override
    public ReadRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ReadRecord r = pending;
        pending = null;
        return r;
    }

    /** Opens the next file; false when none is left. A file that fails to open sets {@link #pending}. */
    private boolean openNext() {
        if (!splits.hasNext()) {
            return false;
        }
        currentSplit = splits.next();
        current = currentSplit.file();
        fileRecords = 0;
        fileStartNanos = System.nanoTime();
        try {
            source = DocumentSources.open(currentSplit, format, textField, limit, conf);
        } catch (IOException | RuntimeException e) {
            source = null;
            pending = fail(current, currentSplit.start(), e);
        }
        return true;
    }

    private ReadRecord fail(InputFile file, long offset, Exception e) {
        if (!skipBadFiles) {
            throw new UnreadableInputException(file.uri(), offset, e);
        }
        LOG.warn("skipping the rest of unreadable input {} at offset {}: {}", file.uri(), offset,
                UnreadableInputException.describe(e));
        return ReadRecord.rejected(file, offset, RejectReason.UNREADABLE_FILE, UnreadableInputException.describe(e));
    }

    private void logDone() {
        double secs = Math.max(1e-9, (System.nanoTime() - fileStartNanos) / 1e9);
        LOG.info("read {} records from {} ({} bytes stored) in {} s: {} records/s, {} MB/s stored", fileRecords,
                currentSplit, current.bytes(), String.format("%.2f", secs), String.format("%.1f", fileRecords / secs),
                String.format("%.1f", current.bytes() / 1e6 / secs));
    }

    private void closeQuietly() {
        if (source != null) {
            try {
                source.close();
            } catch (IOException e) {
                LOG.debug("closing {}", current.uri(), e);
            }
            source = null;
        }
    }
}
