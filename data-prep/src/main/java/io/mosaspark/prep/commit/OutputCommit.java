package io.mosaspark.prep.commit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic output: everything is written under a hidden sibling work directory which is renamed onto
 * the output at the end, then the {@code _SUCCESS} marker is written. Readers trust only outputs with
 * {@code _SUCCESS}. Directory rename is atomic on HDFS and local disks; on S3A it is a copy, so
 * there the marker (written last) is what makes the output visible.
 */
public final class OutputCommit {
    public static final String SUCCESS = "_SUCCESS";
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommit.class);

    private final Path output;
    private final Path work;
    private final boolean overwrite;
    private final FileSystem fs;
    private final String runId = UUID.randomUUID().toString();

    private OutputCommit(Path output, boolean overwrite, FileSystem fs) {
        this.output = output;
        this.overwrite = overwrite;
        this.fs = fs;
        this.work = new Path(output.getParent(), "." + output.getName() + "._temporary-" + runId);
    }

    /** Refuses an existing output (unless overwriting) and creates the work directory. */
    public static OutputCommit begin(String outputUri, boolean overwrite, Configuration conf) {
        try {
            Path out = new Path(outputUri);
            FileSystem fs = out.getFileSystem(conf);
            Path output = fs.makeQualified(out);
            if (output.getParent() == null) {
                throw new IllegalArgumentException("--output must not be a filesystem root: " + outputUri);
            }
            refuseExisting(fs, output, overwrite);
            OutputCommit commit = new OutputCommit(output, overwrite, fs);
            if (!fs.mkdirs(commit.work)) {
                throw new IOException("could not create " + commit.work);
            }
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException("--output " + outputUri + ": " + e.getMessage(), e);
        }
    }

    /** The early check a CLI runs before starting Spark: refuses an existing output unless overwriting. */
    public static void checkAvailable(String outputUri, boolean overwrite, Configuration conf) {
        try {
            Path out = new Path(outputUri);
            refuseExisting(out.getFileSystem(conf), out, overwrite);
        } catch (IOException e) {
            throw new UncheckedIOException("--output " + outputUri + ": " + e.getMessage(), e);
        }
    }

    private static void refuseExisting(FileSystem fs, Path output, boolean overwrite) throws IOException {
        if (fs.exists(output) && !overwrite) {
            throw new IllegalStateException("--output " + output + " already exists; pass --overwrite to replace it"
                    + " or choose another directory");
        }
    }

    /** Where the job writes before commit. */
    public Path workDir() {
        return work;
    }

    public Path output() {
        return output;
    }

    /** Moves the work directory onto the output (replacing it if allowed) and writes _SUCCESS. */
    public void commit() {
        try {
            refuseExisting(fs, output, overwrite);
            Path replaced = null;
            if (fs.exists(output)) {
                replaced = new Path(output.getParent(), "." + output.getName() + "._replaced-" + runId);
                if (!fs.rename(output, replaced)) {
                    throw new IOException("could not move the old output aside to " + replaced);
                }
            }
            if (!fs.rename(work, output)) {
                throw new IOException("could not rename " + work + " to " + output);
            }
            fs.create(new Path(output, SUCCESS), true).close();
            if (replaced != null) {
                fs.delete(replaced, true);
            }
            LOG.info("committed {}", output);
        } catch (IOException e) {
            throw new UncheckedIOException("committing " + output + " failed: " + e.getMessage()
                    + " (the finished work is kept in " + work + ")", e);
        }
    }

    /** Deletes the work directory after a failure; the output is untouched. */
    public void abort() {
        try {
            fs.delete(work, true);
        } catch (IOException e) {
            LOG.warn("could not delete {}", work, e);
        }
    }
}
