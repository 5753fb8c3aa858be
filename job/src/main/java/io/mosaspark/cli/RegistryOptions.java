package io.mosaspark.cli;

import io.mosaspark.spark.SparkHadoopConf;
import io.mosaspark.train.registry.ModelRegistry;
import io.mosaspark.train.registry.RegistryLock;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;

/** {@code --registry} and the lock settings, as {@code mosa retrain} and every {@code mosa registry} command take them. */
final class RegistryOptions {
    @Option(names = "--registry", required = true, paramLabel = "URI",
            description = "The model registry directory (any Hadoop URI; created by the first retrain).")
    String registry;

    @Option(names = "--lock-wait", paramLabel = "SECONDS",
            description = "How long to wait for another writer's lock to come free (0: fail at once, exit 1). Default: ${DEFAULT-VALUE}.")
    long lockWaitSeconds = 0;

    @Option(names = "--stale-lock", paramLabel = "SECONDS",
            description = "A lock not refreshed for this long belongs to a dead process and is taken over. Default: ${DEFAULT-VALUE}.")
    long staleLockSeconds = RegistryLock.DEFAULT_STALE_AFTER.toSeconds();

    ModelRegistry open(Configuration hadoop) throws IOException {
        return ModelRegistry.open(registry, hadoop);
    }

    /** The registry through the Hadoop settings of spark-submit's (or the default) Spark configuration. */
    ModelRegistry open() throws IOException {
        return open(SparkHadoopConf.from(new SparkConf()));
    }

    Duration lockWait() {
        if (lockWaitSeconds < 0) throw new IllegalArgumentException("--lock-wait = " + lockWaitSeconds + ": must be >= 0");
        return Duration.ofSeconds(lockWaitSeconds);
    }

    Duration staleAfter() {
        if (staleLockSeconds < 1) throw new IllegalArgumentException("--stale-lock = " + staleLockSeconds + ": must be >= 1");
        return Duration.ofSeconds(staleLockSeconds);
    }

    /** The lock of the registry, for {@code purpose}; its take-over message goes to stderr. */
    RegistryLock lock(ModelRegistry r, String purpose) throws IOException {
        return r.lock(purpose, lockWait(), staleAfter(), System.err::println);
    }
}
