package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.cli.TinyTrainedRun;
import io.mosaspark.train.TrainKryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mosa eval} on a real standalone cluster ({@link SharedCluster}): the command borrows a session
 * whose two executors are separate JVMs, and scores the tiny run (trained in local mode) exactly as the
 * run's own final validation did: where a task runs does not change its sum, nor the ordered tree.
 */
class EvalOnStandaloneClusterTest {
    static TinyTrainedRun t;
    static SparkSession session;

    @BeforeAll
    static void trainLocallyThenJoinTheCluster() throws Exception {
        SharedCluster.boot(); // its JVMs start while the run trains (if no earlier class trained it)
        t = TinyTrainedRun.get();
        // one SparkContext per JVM: stop the local one the run was trained in
        for (var running : List.of(SparkSession.getDefaultSession(), SparkSession.getActiveSession())) {
            if (running.isDefined()) running.get().stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        StandaloneSparkCluster cluster = SharedCluster.get();
        SparkConf conf = new SparkConf().setMaster(cluster.masterUrl()).setAppName("eval-on-cluster")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.extraClassPath", StandaloneSparkCluster.testClasspath())
                .set("spark.executor.memory", "768m")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2");
        TrainKryoRegistrator.configure(conf);
        session = SparkSession.builder().config(conf).getOrCreate();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (session.sparkContext().statusTracker().getExecutorInfos().length < 3) { // 2 executors and the driver
            if (System.nanoTime() > deadline) throw new IllegalStateException("executors did not register; logs in " + cluster.home());
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void leaveTheCluster() {
        if (session != null) session.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    @Test
    void evalOnTwoExecutorJvmsRepeatsTheRunsFinalValidation() throws Exception {
        TinyTrainedRun.Cli r = TinyTrainedRun.mosa("eval", "--checkpoint", t.run.toString(), "--data", t.shards.toUri().toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode e = TinyTrainedRun.JSON.readTree(r.out());
        assertEquals(t.summary().get("val_loss").asDouble(), e.get("loss").asDouble(), 0.0);
        assertTrue(session.sparkContext().master().startsWith("spark://"), "ran on " + session.sparkContext().master());
    }
}
