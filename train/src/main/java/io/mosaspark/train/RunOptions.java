package io.mosaspark.train;

import io.mosaspark.provenance.Provenance;
import io.mosaspark.train.checkpoint.DataIdentity;
import io.mosaspark.train.round.FaultPlan;
import io.mosaspark.train.state.FlatVector;

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
 * @param init           parameters to start from instead of a fresh initialisation (a warm start), or null;
 *                       a resumed checkpoint still takes precedence
 */
public record RunOptions(String out, boolean resume, DataIdentity data, Provenance dataProvenance,
                         FaultPlan faults, PrintStream progress, String label, Init init) {

    /**
     * A warm start: the parameters of a trained model. Only the parameters are taken; the optimizer state,
     * the step count and the schedule start fresh, because the new run has its own token budget and its
     * warm-up protects the trained weights from the first, noisy Adam steps.
     *
     * @param from   where they came from, for summary.json and the log (e.g. "registry v0001")
     * @param params the parameters, in DL4J's flat layout of the run's model config and in its precision
     */
    public record Init(String from, FlatVector params) {
        public Init {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(params, "params");
        }
    }

    public RunOptions(String out, boolean resume, DataIdentity data, Provenance dataProvenance, FaultPlan faults,
                      PrintStream progress) {
        this(out, resume, data, dataProvenance, faults, progress, null, null);
    }

    public RunOptions(String out, boolean resume, DataIdentity data, Provenance dataProvenance, FaultPlan faults,
                      PrintStream progress, String label) {
        this(out, resume, data, dataProvenance, faults, progress, label, null);
    }

    public RunOptions withInit(Init init) {
        return new RunOptions(out, resume, data, dataProvenance, faults, progress, label, init);
    }

    public RunOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(data, "data");
        faults = faults == null ? FaultPlan.NONE : faults;
        progress = progress == null ? System.err : progress;
    }
}
