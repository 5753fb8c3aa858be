package io.mosaspark.bench.train;

import io.mosaspark.prep.PrepKryoRegistrator;
import io.mosaspark.spark.DriverSession;
import io.mosaspark.spark.SparkSessions;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.Map;

/** The Spark session of one probe: {@code local[N]}, no UI, started and stopped by the probe. */
final class LocalSpark implements AutoCloseable {
    private final DriverSession session;

    private LocalSpark(DriverSession session) {
        this.session = session;
    }

    /** @param settings extra {@code spark.*} settings, e.g. a larger {@code spark.driver.maxResultSize} */
    static LocalSpark start(String what, String master, Map<String, String> settings) {
        SparkConf conf = new SparkConf().set("spark.ui.enabled", "false");
        settings.forEach(conf::set);
        return new LocalSpark(SparkSessions.borrowOrStart("mosa bench " + what, master, conf,
                List.of(PrepKryoRegistrator.class)));
    }

    DriverSession session() {
        return session;
    }

    JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session.spark().sparkContext());
    }

    @Override
    public void close() {
        session.close();
    }
}
