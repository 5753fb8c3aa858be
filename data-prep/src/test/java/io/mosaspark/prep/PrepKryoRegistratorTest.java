package io.mosaspark.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mosaspark.prep.clean.CleanedRecord;
import io.mosaspark.prep.clean.RecordCounts;
import io.mosaspark.prep.read.RejectReason;
import io.mosaspark.spark.KryoRegistrators;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Clusters often run Kryo: our records must survive it (Spark's Kryo cannot build records alone). */
class PrepKryoRegistratorTest {

    @Test
    void recordsRoundTripThroughSparksKryoWithTheRegistrator() {
        SparkConf conf = new SparkConf(false);
        PrepKryoRegistrator.configure(conf);
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        CleanedRecord r = new CleanedRecord(3, "hdfs://x/a.jsonl", 42, CleanedRecord.Outcome.REJECTED, null, null, 2,
                RejectReason.MALFORMED_JSON, "unexpected end");
        RecordCounts c = new RecordCounts(5, 2, 1, 2, Map.of("too_short", 2L), 7);
        assertEquals(r, kryo.deserialize(kryo.serialize(r, ClassTag$.MODULE$.apply(CleanedRecord.class)),
                ClassTag$.MODULE$.apply(CleanedRecord.class)));
        assertEquals(c, kryo.deserialize(kryo.serialize(c, ClassTag$.MODULE$.apply(RecordCounts.class)),
                ClassTag$.MODULE$.apply(RecordCounts.class)));
    }

    @Test
    void configureKeepsOtherRegistratorsAndMissingRegistrationFailsFast() {
        SparkConf conf = new SparkConf(false).set(KryoRegistrators.KEY, "com.acme.Reg");
        PrepKryoRegistrator.configure(conf);
        PrepKryoRegistrator.configure(conf);
        assertEquals("com.acme.Reg," + PrepKryoRegistrator.class.getName(), conf.get(KryoRegistrators.KEY));

        SparkConf bare = new SparkConf(false).set("spark.serializer", KryoSerializer.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PrepKryoRegistrator.requireCompatible(bare));
        assertTrue(e.getMessage().contains(KryoRegistrators.KEY), e.getMessage());
    }
}
