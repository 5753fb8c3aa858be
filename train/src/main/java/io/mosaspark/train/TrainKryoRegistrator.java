package io.mosaspark.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.mosaspark.spark.KryoRegistrators;
import io.mosaspark.train.eval.EvalSum;
import io.mosaspark.train.round.RoundInput;
import io.mosaspark.train.round.RoundSum;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;

import java.util.List;

/**
 * Lets the trainer run where {@code spark.serializer} is Kryo (both cluster profiles in conf/spark set
 * it): Spark serialises broadcasts and task results with that serializer, and its Kryo cannot build
 * Java records (no no-arg constructor, final fields), so the records a round broadcasts and returns
 * are serialised with Java serialisation inside Kryo. {@code mosa train} adds this registrator itself;
 * a SparkContext made elsewhere needs {@link #configure} before it starts.
 */
public final class TrainKryoRegistrator implements KryoRegistrator {
    static final List<Class<?>> RECORDS = List.of(RoundInput.class, RoundSum.class, EvalSum.class);

    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : RECORDS) {
            kryo.register(c, new JavaSerializer());
        }
    }

    /** Appends this registrator to {@code spark.kryo.registrator}, keeping any already set. */
    public static void configure(SparkConf conf) {
        KryoRegistrators.add(conf, TrainKryoRegistrator.class);
    }

    /** Fails fast, with the fix, when Kryo is on but cannot carry the trainer's records. */
    static void requireCompatible(SparkConf conf) {
        KryoRegistrators.require(conf, TrainKryoRegistrator.class);
    }
}
