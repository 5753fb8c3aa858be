package io.mosaspark.train;

import io.mosaspark.spark.KryoRegistrators;
import io.mosaspark.train.eval.EvalSum;
import io.mosaspark.train.round.RoundInput;
import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.state.FlatVector;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster profiles run Kryo: what a round broadcasts and returns must survive it. */
class TrainKryoRegistratorTest {

    private static <T> T roundTrip(SerializerInstance kryo, T value, Class<T> type) {
        ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
        return kryo.deserialize(kryo.serialize(value, tag), tag);
    }

    private static SparkConf kryo() {
        return new SparkConf(false).set("spark.serializer", KryoSerializer.class.getName());
    }

    @Test
    void aRoundsBroadcastAndResultsRoundTripThroughSparksKryoWithTheRegistrator() {
        SparkConf conf = kryo();
        TrainKryoRegistrator.configure(conf);
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        RoundInput in = new RoundInput(3, 12, FlatVector.of(new float[]{1.5f, -2f, Float.MIN_VALUE}), FlatVector.of(new float[]{0.25f}));
        RoundInput back = roundTrip(kryo, in, RoundInput.class);
        assertEquals(in.round(), back.round());
        assertEquals(in.globalStep(), back.globalStep());
        assertEquals(in.params(), back.params());
        assertEquals(in.optimizerState(), back.optimizerState());

        RoundSum sum = new RoundSum(FlatVector.of(new double[]{Math.PI, -0.0}), null, 7.25, 8, 4096, 2, 0.5, 0.9,
                new TreeSet<>(java.util.List.of("gpu 1", "gpu 0")));
        RoundSum sumBack = roundTrip(kryo, sum, RoundSum.class);
        assertEquals(sum.params(), sumBack.params());
        assertEquals(sum.devices(), sumBack.devices());
        assertEquals(sum.lossSum(), sumBack.lossSum());

        // with routing statistics: the sketches travel in their string form inside Java serialisation
        var shape = new io.mosaspark.train.routing.RoutingShape(1, 2, 8, 2, 4, 4, 8);
        var stats = new io.mosaspark.train.routing.RoutingStats(shape);
        stats.addLayer(0, new int[]{0, 3, 3, 5}, new double[16], new int[][]{{7, 7, 7, 42, 7, 9, 7, 7, 7}});
        stats.addStep(1);
        RoundSum routed = new RoundSum(FlatVector.of(new double[]{1}), null, 1, 1, 16, 1, 0.1, 0.1,
                new TreeSet<>(java.util.List.of("cpu")), stats, io.mosaspark.train.routing.ProbeSelections.of(1, new int[]{0, 3}));
        RoundSum routedBack = roundTrip(kryo, routed, RoundSum.class);
        assertEquals(stats, routedBack.routing());
        assertEquals(java.util.List.of(0, 3), java.util.Arrays.stream(routedBack.probe().byRank().get(1)).boxed().toList());
        EvalSum eval = new EvalSum(123.5, 640, 10);
        assertEquals(eval, roundTrip(kryo, eval, EvalSum.class));
    }

    @Test
    void withoutTheRegistratorSparksKryoCannotCarryARoundAndTheTrainerSaysHowToFixIt() {
        SerializerInstance bare = new KryoSerializer(kryo()).newInstance();
        RoundInput in = new RoundInput(0, 0, FlatVector.of(new float[]{1f}), null);
        assertThrows(RuntimeException.class, () -> roundTrip(bare, in, RoundInput.class));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrainKryoRegistrator.requireCompatible(kryo()));
        assertTrue(e.getMessage().contains(KryoRegistrators.KEY + "=" + TrainKryoRegistrator.class.getName()), e.getMessage());
        TrainKryoRegistrator.requireCompatible(new SparkConf(false)); // Java serialisation needs nothing
    }
}
