package io.mosaspark.train.round;

import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.train.TrainConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The network each Spark task thread keeps between rounds. DL4J networks are not thread-safe and
 * building one costs far more than a round's parameter copy, so every task thread of an executor holds
 * its own, built on first use from the run's config and rebuilt only when a task of another config (or
 * another run) lands on the thread. The parameters and optimizer state are always overwritten from the
 * round's broadcast, so which thread or executor a task lands on never changes what it computes.
 */
final class WorkerNetworks {

    private record Held(String key, ComputationGraph graph) {
    }

    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private WorkerNetworks() {
    }

    static ComputationGraph forThisThread(WorkerSetup setup) {
        Held held = HELD.get();
        if (held == null || !held.key().equals(setup.networkKey())) {
            TrainConfig c = setup.config();
            held = new Held(setup.networkKey(), MosaLanguageModel.build(c.model(), c.training(), c.dataType()));
            HELD.set(held);
        }
        return held.graph();
    }
}
