package io.mosaspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

    private static SparkConf quiet() {
        return new SparkConf(false).set("spark.ui.enabled", "false");
    }

    @Test
    void theMasterIsTheOneAskedForElseSparkSubmitsElseLocal() {
        assertEquals("local[2]", SparkSessions.resolveMaster("local[2]", "yarn"));
        assertNull(SparkSessions.resolveMaster(null, "yarn"), "keep spark-submit's");
        assertEquals("local[*]", SparkSessions.resolveMaster(null, null));
    }

    /** One test: the JVM has one SparkContext at a time, and each step depends on the one before. */
    @Test
    void aStartedSessionIsStoppedOnCloseAndABorrowedOneIsLeftRunning() {
        DriverSession own = SparkSessions.borrowOrStart("own", "local[1]", quiet(),
                List.of(KryoRegistratorsTest.Ours.class));
        assertFalse(own.borrowed());
        assertEquals("local[1]", own.spark().sparkContext().master());
        assertEquals(KryoRegistratorsTest.Ours.class.getName(),
                own.spark().sparkContext().getConf().get(KryoRegistrators.KEY));
        own.close();
        assertTrue(own.spark().sparkContext().isStopped());

        // the stopped session stays the thread's active one in Spark; it must not count as borrowable
        try (DriverSession again = SparkSessions.borrowOrStart("again", "local[1]", quiet(), List.of())) {
            assertFalse(again.borrowed());
        }

        SparkSession host = SparkSession.builder().master("local[1]").appName("host").config(quiet()).getOrCreate();
        try {
            try (DriverSession borrowed = SparkSessions.borrowOrStart("guest", "local[3]", quiet(), List.of())) {
                assertTrue(borrowed.borrowed());
                assertSame(host, borrowed.spark());
                assertEquals("local[1]", borrowed.spark().sparkContext().master(), "a borrowed session keeps its master");
            }
            assertFalse(host.sparkContext().isStopped(), "closing a borrowed session left the host's running");
        } finally {
            host.stop();
        }

        SparkSession kryoHost = SparkSession.builder().master("local[1]").appName("kryo host").config(quiet())
                .config("spark.serializer", KryoSerializer.class.getName()).getOrCreate();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparkSessions.borrowOrStart(
                    "guest", null, quiet(), List.of(KryoRegistratorsTest.Ours.class)));
            assertTrue(e.getMessage().contains(KryoRegistratorsTest.Ours.class.getName()), e.getMessage());
        } finally {
            kryoHost.stop();
        }
    }
}
