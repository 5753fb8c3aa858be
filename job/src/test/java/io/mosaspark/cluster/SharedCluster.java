package io.mosaspark.cluster;

import io.mosaspark.train.TrainKryoRegistrator;
import org.apache.commons.io.FileUtils;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The one standalone cluster the job module's test classes share (starting one costs tens of seconds
 * on a 2-core machine): a Master and one Worker with 2 cores, 2 GiB for executors and two GPUs that do
 * not exist, reported by a fake discovery script. Applications that ask for no GPU never see them.
 * Started on first use, in the background if asked early; stopped when the test JVM exits.
 */
final class SharedCluster {
    static final int CORES = 2;
    static final int MEMORY_MB = 2048;
    static final int FAKE_GPUS = 2;

    private static CompletableFuture<StandaloneSparkCluster> booting;

    private SharedCluster() {
    }

    /** Starts the cluster's JVMs in the background, unless they already run; {@link #get} waits for them. */
    static synchronized void boot() {
        if (booting != null) return;
        booting = CompletableFuture.supplyAsync(() -> {
            try {
                Path home = Files.createTempDirectory("mosa-test-cluster");
                Path script = executableCopy("/spark/fake-gpu-discovery.sh", Files.createDirectories(home.resolve("bin")));
                StandaloneSparkCluster c = StandaloneSparkCluster.start(home,
                        List.of(StandaloneSparkCluster.WorkerSpec.of(CORES, MEMORY_MB).withGpus(FAKE_GPUS, script)));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    c.close();
                    FileUtils.deleteQuietly(home.toFile());
                }, "stop-test-cluster"));
                return c;
            } catch (IOException | InterruptedException e) {
                throw new CompletionException("cannot start the test cluster: " + e.getMessage(), e);
            }
        });
    }

    /** The running cluster (started now if nobody asked before). */
    static StandaloneSparkCluster get() {
        boot();
        return booting.join();
    }

    /**
     * A driver session on the cluster for a test that runs commands against it: any local session of this
     * JVM is stopped first (one SparkContext per JVM), the session gets two one-core executors with the
     * test classpath, and it is returned once both have registered.
     */
    static SparkSession driverSession(String appName) throws InterruptedException {
        for (var running : List.of(SparkSession.getDefaultSession(), SparkSession.getActiveSession())) {
            if (running.isDefined()) running.get().stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        StandaloneSparkCluster cluster = get();
        SparkConf conf = new SparkConf().setMaster(cluster.masterUrl()).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.extraClassPath", StandaloneSparkCluster.testClasspath())
                .set("spark.executor.memory", "768m")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
        TrainKryoRegistrator.configure(conf);
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (session.sparkContext().statusTracker().getExecutorInfos().length < 3) { // 2 executors and the driver
            if (System.nanoTime() > deadline) throw new IllegalStateException("executors did not register; logs in " + cluster.home());
            Thread.sleep(200);
        }
        return session;
    }

    /** Stops a session of {@link #driverSession}, if one was made, and forgets it. */
    static void leave(SparkSession session) {
        if (session != null) session.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** Copies a classpath resource into {@code dir} with the execute bit set (the build's copy may lack it). */
    static Path executableCopy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(resource).getFileName().toString());
        try (InputStream in = SharedCluster.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException(resource + " is not on the test classpath");
            Files.copy(in, target);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }
}
