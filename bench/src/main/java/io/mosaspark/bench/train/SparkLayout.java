package io.mosaspark.bench.train;

import org.apache.spark.api.java.JavaSparkContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a trainer run's workers live: {@code local[N]} (N task threads of the probe's own JVM, which also
 * runs the driver, and so one JIT and one heap for all of them) or a Spark standalone cluster whose
 * executors are separate JVMs of one core each, as on a real cluster (and as PyTorch's data-parallel
 * processes are). The standalone cluster is started beforehand, e.g. by {@code deploy/local-cluster/start.sh
 * --workers 2 --cores 1}, on this machine: the executors get this JVM's classpath.
 *
 * @param cluster a {@code spark://host:port} URL, or {@code null} for {@code local[N]}
 */
record SparkLayout(String cluster) {
    static final SparkLayout LOCAL = new SparkLayout(null);
    /** Heap of each executor JVM: cpu-demo's worker needs a few hundred MB (ND4J's arrays are off-heap, up to the same again). */
    static final String EXECUTOR_MEMORY = "1g";
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(120);

    SparkLayout {
        if (cluster != null && !cluster.startsWith("spark://")) {
            throw new IllegalArgumentException("--train-master = " + cluster + ": give local or a standalone master URL "
                    + "spark://host:port (deploy/local-cluster/start.sh prints one)");
        }
    }

    /** {@code local} (or null) for local mode, else a standalone master URL. */
    static SparkLayout parse(String option) {
        return option == null || option.equals("local") ? LOCAL : new SparkLayout(option);
    }

    boolean standalone() {
        return cluster != null;
    }

    String master(int workers) {
        return standalone() ? cluster : "local[" + workers + "]";
    }

    /** The words for the report: which processes did the work. */
    String describe(int workers) {
        return standalone() ? "standalone: " + workers + " executor JVMs of 1 core each, driver in its own JVM"
                : "local[" + workers + "]: " + workers + " task threads in the driver's JVM";
    }

    /** The driver's settings that give {@code workers} one-core executors with this JVM's classes and thread settings. */
    Map<String, String> settings(int workers) {
        Map<String, String> s = new LinkedHashMap<>();
        if (!standalone()) return s;
        s.put("spark.driver.host", "127.0.0.1");
        s.put("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        s.put("spark.executor.cores", "1");
        s.put("spark.cores.max", Integer.toString(workers));
        s.put("spark.executor.memory", EXECUTOR_MEMORY);
        for (String k : TrainRunProbe.THREAD_VARIABLES) {
            String v = System.getenv(k);
            if (v != null) s.put("spark.executorEnv." + k, v);
        }
        return s;
    }

    /**
     * Returns once {@code workers} executors have registered: a round started earlier would put both tasks
     * on the first executor's one core, or wait for the second executor inside the timed rounds.
     */
    void awaitExecutors(JavaSparkContext sc, int workers) {
        if (!standalone()) return;
        long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
        while (sc.sc().statusTracker().getExecutorInfos().length < workers + 1) { // the driver is listed too
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fewer than " + workers + " executors registered with " + cluster
                        + " within " + REGISTRATION_TIMEOUT.toSeconds() + " s: start the cluster with at least "
                        + workers + " free cores and " + EXECUTOR_MEMORY + " per executor (deploy/local-cluster/start.sh"
                        + " --workers " + workers + " --cores 1 --memory 2g)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }
}
