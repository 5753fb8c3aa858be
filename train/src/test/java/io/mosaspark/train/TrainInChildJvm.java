package io.mosaspark.train;

import io.mosaspark.train.outer.OuterConfig;

import java.nio.file.Path;

/**
 * A training driver in a JVM of its own, for the test that kills a driver mid-run:
 * {@code TrainInChildJvm OUT_DIR RULE RESUME}.
 */
public final class TrainInChildJvm {

    private TrainInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        Trainer.train(SharedSpark.context(), DriverKillTest.config(OuterConfig.Rule.parse(args[1])), TinyRuns.data(2),
                TinyRuns.options(Path.of(args[0]), Boolean.parseBoolean(args[2]), null));
        SharedSpark.context().stop();
    }
}
