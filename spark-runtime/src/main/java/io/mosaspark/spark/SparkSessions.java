package io.mosaspark.spark;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The one way the project's drivers (prepare, the trainer) get Spark: borrow the session the host
 * already runs (spark-submit's application, a notebook, a test), or start one.
 *
 * <p>Master: the one asked for; otherwise spark-submit's ({@code spark.master}); otherwise
 * {@code local[*]}. A borrowed session keeps its master (a different one asked for is logged and
 * ignored) and its configuration, so our Kryo registrators are added to a started session but only
 * checked on a borrowed one. On Java 17 a driver JVM needs the module openings Spark's own launcher adds
 * ({@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} and the rest: {@code ./mosa} and spark-submit pass
 * them; Spark adds them to the executors it launches); their absence is reported here, before Spark fails
 * with an IllegalAccessError deep in its storage code.
 */
public final class SparkSessions {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);
    static final String LOCAL_MASTER = "local[*]";

    private SparkSessions() {
    }

    /**
     * @param master       Spark master to start with, or null for spark-submit's or {@value #LOCAL_MASTER}
     * @param conf         settings for a started session, e.g. {@code new SparkConf()} (spark-submit's
     *                     {@code spark.*} properties)
     * @param registrators Kryo registrators the driver's records need
     */
    public static DriverSession borrowOrStart(String appName, String master, SparkConf conf,
                                              List<Class<? extends KryoRegistrator>> registrators) {
        boolean borrowed = running(SparkSession.getActiveSession()) || running(SparkSession.getDefaultSession());
        if (!borrowed) {
            requireJavaModuleOpenings();
        }
        registrators.forEach(r -> KryoRegistrators.add(conf, r));
        SparkSession.Builder builder = SparkSession.builder().appName(appName).config(conf);
        String resolved = resolveMaster(master, System.getProperty("spark.master"));
        if (resolved != null) {
            builder.master(resolved);
        }
        SparkSession spark = builder.getOrCreate();
        if (borrowed) {
            String running = spark.sparkContext().master();
            if (master != null && !master.equals(running)) {
                LOG.warn("--master {} ignored: running in the existing SparkSession on {}", master, running);
            }
            SparkConf live = spark.sparkContext().getConf();
            registrators.forEach(r -> KryoRegistrators.require(live, r));
        }
        return new DriverSession(spark, borrowed);
    }

    /** Spark keeps a stopped session as the thread's active one: that is nothing to borrow. */
    private static boolean running(Option<SparkSession> session) {
        return session.isDefined() && !session.get().sparkContext().isStopped();
    }

    /** The master to set on the builder, or null to keep the one spark-submit configured. */
    static String resolveMaster(String requested, String submitted) {
        if (requested != null) {
            return requested;
        }
        return submitted == null ? LOCAL_MASTER : null;
    }

    static void requireJavaModuleOpenings() {
        Module javaBase = Object.class.getModule();
        if (!javaBase.isOpen("sun.nio.ch", SparkSessions.class.getModule())) {
            throw new IllegalStateException("this JVM does not open java.base/sun.nio.ch, which Spark needs on Java 17:"
                    + " run through ./mosa or spark-submit, or add Spark's --add-opens flags (see ./mosa) to the java"
                    + " command line");
        }
    }
}
