package io.mosaspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.serializer.KryoSerializer;
import org.junit.jupiter.api.Test;

class KryoRegistratorsTest {
    static final class Ours implements KryoRegistrator {
        @Override
        public void registerClasses(Kryo kryo) {
        }
    }

    @Test
    void addingKeepsTheUsersRegistratorsAndIsIdempotent() {
        SparkConf conf = new SparkConf(false).set(KryoRegistrators.KEY, "com.acme.Reg");
        KryoRegistrators.add(conf, Ours.class);
        KryoRegistrators.add(conf, Ours.class);
        assertEquals("com.acme.Reg," + Ours.class.getName(), conf.get(KryoRegistrators.KEY));
        SparkConf bare = new SparkConf(false);
        KryoRegistrators.add(bare, Ours.class);
        assertEquals(Ours.class.getName(), bare.get(KryoRegistrators.KEY));
    }

    @Test
    void kryoWithoutOurRegistratorFailsFastNamingTheSetting() {
        SparkConf kryo = new SparkConf(false).set("spark.serializer", KryoSerializer.class.getName())
                .set(KryoRegistrators.KEY, Ours.class.getName() + "Elsewhere");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KryoRegistrators.require(kryo, Ours.class));
        assertTrue(e.getMessage().contains("--conf " + KryoRegistrators.KEY + "=" + Ours.class.getName()),
                e.getMessage());

        KryoRegistrators.add(kryo, Ours.class);
        KryoRegistrators.require(kryo, Ours.class);
        KryoRegistrators.require(new SparkConf(false), Ours.class); // Java serialisation needs no registrator
    }
}
