package io.mosaspark.train;

import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.checkpoint.DataIdentity;
import io.mosaspark.train.round.FaultPlan;

import java.io.PrintStream;
import java.util.Objects;

/**
 * How a run is carried out, as opposed to what it computes ({@link TrainConfig}): none of these change
 * the trained parameters.
 *
 * @param out            the run directory (any Hadoop filesystem URI); must be reachable by every
 *                       executor when DiLoCo keeps worker state there
 * @param resume         continue from the newest valid checkpoint in {@code out}
 * @param data           which shard set (checked against a checkpoint on resume)
 * @param dataProvenance the shard set's provenance, recorded as the parent of every checkpoint (or null)
 * @param faults         test-only injected task failure
 * @param progress       where the per-round line goes (stderr for the command line)
 * @param label          what was asked for, for summary.json (e.g. "preset cpu-demo, model mosa, rho 8"), or null
 */
public record RunOptions(String out, boolean resume, DataIdentity data, Provenance dataProvenance,
                         FaultPlan faults, PrintStream progress, String label) {

    public RunOptions(String out, boolean resume, DataIdentity data, Provenance dataProvenance, FaultPlan faults,
                      PrintStream progress) {
        this(out, resume, data, dataProvenance, faults, progress, null);
    }

    public RunOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(data, "data");
        faults = faults == null ? FaultPlan.NONE : faults;
        progress = progress == null ? System.err : progress;
    }
}
