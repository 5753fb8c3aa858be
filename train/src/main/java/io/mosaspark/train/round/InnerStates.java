package io.mosaspark.train.round;

import io.mosaspark.spark.SerializableHadoopConf;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.VectorFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DiLoCo's inner optimizer state, one per worker, kept between rounds.
 *
 * <p>A worker writes its state at the end of round t to the run directory as
 * {@code inner/round-<t+1>/worker-<rank>.bin} (atomically: a temporary name, then rename) and keeps a
 * copy in its JVM. At round t+1 the task for that rank takes the JVM copy if it landed on the same
 * executor, otherwise reads the file: so a task retried or re-placed on another executor starts from
 * exactly the state the original would have. The directory must be one every executor and the driver
 * can reach (HDFS, S3A, or a local path on a single machine). The driver deletes rounds no checkpoint
 * or running round needs.
 */
public final class InnerStates implements Serializable {
    private static final long serialVersionUID = 1L;

    /** JVM copies, by run id, rank and round: the state a rank starts the round with. */
    private static final Map<String, FlatVector> LOCAL = new ConcurrentHashMap<>();

    private final String runId;
    private final String directory;
    private final SerializableHadoopConf hadoop;

    public InnerStates(String runId, String directory, Configuration hadoop) {
        this.runId = runId;
        this.directory = directory;
        this.hadoop = new SerializableHadoopConf(hadoop);
    }

    /** The directory holding the states rank r starts round {@code round} with. */
    public Path roundDirectory(int round) {
        return new Path(directory, String.format(Locale.ROOT, "round-%06d", round));
    }

    public Path file(int round, int rank) {
        return new Path(roundDirectory(round), String.format(Locale.ROOT, "worker-%05d.bin", rank));
    }

    /** The state rank {@code rank} starts round {@code round} with; null at round 0 (fresh state). */
    public FlatVector load(int round, int rank) throws IOException {
        if (round == 0) return null;
        FlatVector local = LOCAL.remove(key(round, rank));
        if (local != null) return local;
        Path f = file(round, rank);
        FileSystem fs = f.getFileSystem(hadoop.get());
        if (!fs.exists(f)) {
            throw new IOException("DiLoCo inner optimizer state " + f + " is missing: worker " + rank
                    + " wrote it at the end of round " + (round - 1) + ". The run directory must be on a filesystem "
                    + "every executor can read (HDFS, S3A, or local only on a single machine)");
        }
        return VectorFiles.read(fs, f);
    }

    /** Saves the state rank {@code rank} starts round {@code round} with (file first, then the JVM copy). */
    public void save(int round, int rank, FlatVector state) throws IOException {
        Path f = file(round, rank);
        VectorFiles.writeAtomically(f.getFileSystem(hadoop.get()), f, state);
        LOCAL.keySet().removeIf(k -> k.startsWith(runId + "/" + rank + "/"));
        LOCAL.put(key(round, rank), state);
    }

    /** Deletes the saved states of rounds before {@code round} (the driver calls it once a round is safe). */
    public void deleteBefore(int round, Configuration conf) throws IOException {
        Path dir = new Path(directory);
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) return;
        for (var status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (name.startsWith("round-") && Integer.parseInt(name.substring(6)) < round) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    public String directory() {
        return directory;
    }

    private String key(int round, int rank) {
        return runId + "/" + rank + "/" + round;
    }
}
