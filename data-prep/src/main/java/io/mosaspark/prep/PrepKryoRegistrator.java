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
import io.mosaspark.prep.shard.ShardSetWriter;
import io.mosaspark.shards.manifest.ShardInfo;
import io.mosaspark.spark.KryoRegistrators;
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
        KryoRegistrators.add(conf, PrepKryoRegistrator.class);
    }

    /** Fails fast, with the fix, when Kryo is on but cannot carry our records. */
    static void requireCompatible(SparkConf conf) {
        KryoRegistrators.require(conf, PrepKryoRegistrator.class);
    }
}
