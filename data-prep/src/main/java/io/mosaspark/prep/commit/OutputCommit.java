package io.mosaspark.prep.commit;

import io.mosaspark.shards.set.ShardSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic output: everything is written under a hidden sibling work directory which is renamed onto
 * the output at the end, then the {@code _SUCCESS} marker is written. Readers trust only outputs with
 * {@code _SUCCESS}. Directory rename is atomic on HDFS and local disks; on S3A it is a copy, so
 * there the marker (written last) is what makes the output visible.
 *
 * <p>A run that died before committing (a driver crash, a killed container) leaves its work directory
 * behind; the next run for the same output removes it. Work directories never hold {@code _SUCCESS} (the
 * marker is written after the rename), so one that does is not ours and is left alone. Two runs writing
 * the same output at the same time are not supported: the later one removes the earlier one's work.
 */
public final class OutputCommit {
    /** The marker shard-set readers require (one definition, in the shards module). */
    public static final String SUCCESS = ShardSet.COMMIT_MARKER;
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommit.class);

    private final Path output;
    private final Path work;
    private final boolean overwrite;
    private final FileSystem fs;
    private final String runId = UUID.randomUUID().toString();
    private boolean committing;

    private OutputCommit(Path output, boolean overwrite, FileSystem fs) {
        this.output = output;
        this.overwrite = overwrite;
        this.fs = fs;
        this.work = new Path(output.getParent(), workPrefix(output) + runId);
    }

    private static String workPrefix(Path output) {
        return "." + output.getName() + "._temporary-";
    }

    private static String replacedPrefix(Path output) {
        return "." + output.getName() + "._replaced-";
    }

    /** Refuses an existing output (unless overwriting) and creates the work directory. */
    public static OutputCommit begin(String outputUri, boolean overwrite, Configuration conf) {
        try {
            Path out = new Path(outputUri);
            FileSystem fs = out.getFileSystem(conf);
            Path output = fs.makeQualified(out);
            if (output.getParent() == null) {
                throw new IllegalArgumentException("--out must not be a filesystem root: " + outputUri);
            }
            refuseExisting(fs, output, overwrite);
            removeStaleWork(fs, output);
            OutputCommit commit = new OutputCommit(output, overwrite, fs);
            if (!fs.mkdirs(commit.work)) {
                throw new IOException("could not create " + commit.work);
            }
            return commit;
        } catch (IOException e) {
            throw new UncheckedIOException("--out " + outputUri + ": " + e.getMessage(), e);
        }
    }

    /** The early check a CLI runs before starting Spark: refuses an existing output unless overwriting. */
    public static void checkAvailable(String outputUri, boolean overwrite, Configuration conf) {
        try {
            Path out = new Path(outputUri);
            refuseExisting(out.getFileSystem(conf), out, overwrite);
        } catch (IOException e) {
            throw new UncheckedIOException("--out " + outputUri + ": " + e.getMessage(), e);
        }
    }

    private static void refuseExisting(FileSystem fs, Path output, boolean overwrite) throws IOException {
        if (fs.exists(output) && !overwrite) {
            throw new IllegalArgumentException("--out " + output + " already exists; pass --overwrite to replace it"
                    + " or choose another directory");
        }
    }

    /**
     * Deletes the work directories earlier, unfinished runs left for this output, and warns about an
     * old output that an interrupted {@code --overwrite} commit moved aside (never deleted: it is data).
     *
     * @return the work directories removed
     */
    static List<Path> removeStaleWork(FileSystem fs, Path output) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!fs.exists(output.getParent())) {
            return removed;
        }
        String workPrefix = workPrefix(output);
        String replacedPrefix = replacedPrefix(output);
        for (FileStatus sibling : fs.listStatus(output.getParent())) {
            Path p = sibling.getPath();
            if (p.getName().startsWith(replacedPrefix)) {
                LOG.warn("{} holds the previous output of {}, moved aside by an --overwrite commit that was "
                        + "interrupted; check it and delete it or rename it back", p, output);
            } else if (p.getName().startsWith(workPrefix) && sibling.isDirectory()) {
                if (fs.exists(new Path(p, SUCCESS))) {
                    LOG.warn("leaving {} alone: it looks like a work directory but holds {}", p, SUCCESS);
                } else {
                    LOG.info("removing stale work directory {} left by an earlier run of this output that did "
                            + "not finish (e.g. a driver crash)", p);
                    if (!fs.delete(p, true)) {
                        throw new IOException("could not delete the stale work directory " + p);
                    }
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    /** Where the job writes before commit. */
    public Path workDir() {
        return work;
    }

    public Path output() {
        return output;
    }

    /**
     * Moves the work directory onto the output (replacing it if allowed) and writes _SUCCESS. If the move
     * fails, a replaced old output is moved back and the finished work stays in place for inspection.
     */
    public void commit() {
        try {
            refuseExisting(fs, output, overwrite); // another run may have committed first: then abort() cleans up
            committing = true;
            Path replaced = null;
            if (fs.exists(output)) {
                replaced = new Path(output.getParent(), replacedPrefix(output) + runId);
                if (!fs.rename(output, replaced)) {
                    throw new IOException("could not move the old output aside to " + replaced
                            + "; the finished work is kept in " + work);
                }
            }
            if (!fs.rename(work, output)) {
                String old = replaced == null ? "" : restore(replaced);
                throw new IOException("could not rename " + work + " to " + output + old
                        + "; the finished work is kept in " + work);
            }
            fs.create(new Path(output, SUCCESS), true).close();
            if (replaced != null) {
                fs.delete(replaced, true);
            }
            LOG.info("committed {}", output);
        } catch (IOException e) {
            throw new UncheckedIOException("committing " + output + " failed: " + e.getMessage(), e);
        }
    }

    /** Puts a replaced old output back after a failed move; says where it is for the error message. */
    private String restore(Path replaced) {
        try {
            if (!fs.exists(output) && fs.rename(replaced, output)) {
                return "; the previous output was restored";
            }
        } catch (IOException e) {
            LOG.warn("could not move {} back to {}", replaced, output, e);
        }
        return "; the previous output is in " + replaced;
    }

    /**
     * Deletes the work directory after a failure; the output is untouched. After a failed {@link #commit} the
     * complete work is kept instead (the next run of this output removes it).
     */
    public void abort() {
        if (committing) {
            LOG.warn("keeping {}: the job finished but its commit failed", work);
            return;
        }
        try {
            fs.delete(work, true);
        } catch (IOException e) {
            LOG.warn("could not delete {}", work, e);
        }
    }
}
