package io.mosaspark.prep;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.mosaspark.prep.clean.CleanedRecord;
import io.mosaspark.prep.clean.RecordCounts;
import io.mosaspark.prep.read.InputFile;
import io.mosaspark.prep.read.InputSplit;
import io.mosaspark.prep.read.ReadRecord;
import io.mosaspark.prep.reject.RejectedRecords;
import io.mosaspark.prep.shard.DocKey;
import io.mosaspark.prep.shard.ShardInfo;
import io.mosaspark.prep.shard.ShardSetWriter;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets the job run where {@code spark.serializer} is Kryo (common on shared clusters): Spark's Kryo
 * cannot build Java records (no no-arg constructor, final fields), so the records our RDDs carry
 * are serialised with Java serialisation inside Kryo. {@code mosa prepare} adds this registrator
 * itself; a SparkSession made elsewhere needs {@link #configure}.
 */
public final class PrepKryoRegistrator implements KryoRegistrator {
    public static final String KEY = "spark.kryo.registrator";

    static final List<Class<?>> RECORDS = List.of(InputFile.class, InputSplit.class, ReadRecord.class, CleanedRecord.class,
            RecordCounts.class, DocKey.class, ShardInfo.class, RejectedRecords.Entry.class,
            ShardSetWriter.chunkKeyClass());

    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : RECORDS) {
            kryo.register(c, new JavaSerializer());
        }
    }

    /** Appends this registrator to {@code spark.kryo.registrator}, keeping any already set. */
    public static void configure(SparkConf conf) {
        conf.set(KEY, withOurs(conf.get(KEY, "")));
    }

    static String withOurs(String existing) {
        String ours = PrepKryoRegistrator.class.getName();
        if (existing.isBlank()) {
            return ours;
        }
        return List.of(existing.split(",")).stream().map(String::strip).anyMatch(ours::equals) ? existing
                : existing + "," + ours;
    }

    /** Fails fast, with the fix, when Kryo is on but cannot carry our records. */
    static void requireCompatible(SparkConf conf) {
        boolean kryo = conf.get("spark.serializer", "").contains("Kryo");
        if (kryo && !conf.get(KEY, "").contains(PrepKryoRegistrator.class.getName())) {
            throw new IllegalStateException("spark.serializer is Kryo but " + KEY + " lacks "
                    + PrepKryoRegistrator.class.getName() + ": add it (--conf " + KEY + "="
                    + PrepKryoRegistrator.class.getName() + ") or call PrepKryoRegistrator.configure");
        }
    }
}
