package io.mosaspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.cli.TinyTrainedRun;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


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
        session = SharedCluster.driverSession("eval-on-cluster");
    }

    @AfterAll
    static void leaveTheCluster() {
        SharedCluster.leave(session);
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
