package io.mosaspark.train.routing;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's side of the routing statistics: merges each round's {@link RoutingStats} into the open
 * interval, keeps every round's {@link DriftRecord}, and at the end of an interval (each validation and
 * each checkpoint) summarises it and rewrites {@code <run>/routing/} ({@link RoutingFiles}). A resumed run
 * continues the files of the run it resumes, dropping what was written after its checkpoint.
 */
public final class RoutingLog {
    private final FileSystem fs;
    private final Path directory;
    private final RoutingShape shape;
    private final int routingEvery;
    private final int probeWindows;
    private final List<IntervalSummary> intervals = new ArrayList<>();
    private final List<DriftRecord> drift = new ArrayList<>();
    private RoutingStats open;
    private int openFrom;

    /**
     * @param startRound the round the run starts from (0, or a resumed checkpoint's): files of a previous
     *                   run in {@code runDirectory} are continued up to it
     * @param checkpoint the checkpoint resumed (or null): its copy of the files, for a run directory that lost its own
     */
    public RoutingLog(FileSystem fs, Path runDirectory, RoutingShape shape, int routingEvery, int probeWindows,
                      int startRound, Path checkpoint) throws IOException {
        this.fs = fs;
        this.directory = new Path(runDirectory, RoutingFiles.DIRECTORY);
        this.shape = shape;
        this.routingEvery = routingEvery;
        this.probeWindows = probeWindows;
        this.openFrom = startRound + 1;
        RoutingFiles.Contents before = startRound == 0 ? null : RoutingFiles.read(fs, directory);
        if (before == null && checkpoint != null) before = RoutingFiles.read(fs, new Path(checkpoint, RoutingFiles.DIRECTORY));
        if (before != null && before.shape().equals(shape)) {
            before.intervals().stream().filter(s -> s.toRound() <= startRound).forEach(intervals::add);
            before.drift().stream().filter(d -> d.round() <= startRound).forEach(drift::add);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Adds round {@code round}'s statistics (null: none observed) and drift (null: none measured). */
    public void add(int round, RoutingStats stats, DriftRecord roundDrift) {
        open = RoutingStats.merge(open, stats);
        if (roundDrift != null) drift.add(roundDrift);
    }

    /** Ends the open interval at {@code round} and rewrites the files. */
    public void flush(int round) throws IOException {
        if (open != null) {
            intervals.add(IntervalSummary.of(open, openFrom, round));
            open = null;
        }
        openFrom = round + 1;
        List<Integer> starts = new ArrayList<>();
        for (int b = 0; b < shape.positionBins(); b++) starts.add(shape.binStart(b));
        RoutingFiles.write(fs, directory, new RoutingFiles.Contents(RoutingFiles.FORMAT, RoutingFiles.FORMAT_VERSION, shape,
                starts, routingEvery, probeWindows, List.copyOf(intervals), List.copyOf(drift)));
    }

    public List<IntervalSummary> intervals() {
        return List.copyOf(intervals);
    }

    public List<DriftRecord> drift() {
        return List.copyOf(drift);
    }
}
