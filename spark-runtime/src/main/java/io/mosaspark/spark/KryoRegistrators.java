package io.mosaspark.spark;

import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Our registrators in {@code spark.kryo.registrator}, next to any the user set. Spark reads the key once,
 * when its context starts: a session started here gets ours added, a borrowed one can only be checked.
 */
public final class KryoRegistrators {
    public static final String KEY = "spark.kryo.registrator";
    private static final String SERIALIZER = "spark.serializer";

    private KryoRegistrators() {
    }

    /** Appends {@code registrator} to {@code spark.kryo.registrator}, keeping those already set (idempotent). */
    public static void add(SparkConf conf, Class<? extends KryoRegistrator> registrator) {
        conf.set(KEY, withAdded(conf.get(KEY, ""), registrator.getName()));
    }

    static String withAdded(String existing, String name) {
        if (existing.isBlank()) {
            return name;
        }
        return listed(existing, name) ? existing : existing + "," + name;
    }

    /** Fails fast, with the fix, when Kryo is the serializer but {@code registrator} is not registered. */
    public static void require(SparkConf conf, Class<? extends KryoRegistrator> registrator) {
        boolean kryo = conf.get(SERIALIZER, "").contains("Kryo");
        if (kryo && !listed(conf.get(KEY, ""), registrator.getName())) {
            throw new IllegalStateException(SERIALIZER + " is Kryo but " + KEY + " lacks " + registrator.getName()
                    + ": add it (--conf " + KEY + "=" + registrator.getName() + ") or call KryoRegistrators.add"
                    + " before the SparkSession starts");
        }
    }

    private static boolean listed(String registrators, String name) {
        return Arrays.stream(registrators.split(",")).map(String::strip).anyMatch(name::equals);
    }
}
