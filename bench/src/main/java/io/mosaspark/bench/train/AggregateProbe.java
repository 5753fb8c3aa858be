package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Timing;
import io.mosaspark.model.lm.MosaLanguageModel;
import io.mosaspark.train.outer.OuterConfig;
import io.mosaspark.train.outer.OuterRule;
import io.mosaspark.train.round.OrderedTreeAggregate;
import io.mosaspark.train.round.RoundInput;
import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.GlobalState;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A trainer round with the training taken out: the driver broadcasts the global parameters and Adam
 * moments (what parameter averaging sends), every worker task copies them as a worker copies its
 * network's parameters out, and the copies meet in {@link OrderedTreeAggregate} exactly as
 * {@code Trainer} calls it; then the outer rule averages them. What is left is the round's data
 * movement: its cost by model size and worker count.
 */
final class AggregateProbe {
    static final String NAME = "aggregate";

    private AggregateProbe() {
    }

    /** Sizes of what moves for one model: its parameters and its optimiser state (float32). */
    private record Payload(NamedModel model, FlatVector params, FlatVector optimizerState) {
        long bytes() {
            return 4L * (params.length() + optimizerState.length());
        }
    }

    static Map<String, Object> run(String json) {
        AggregateSpec spec;
        try {
            spec = BenchReport.JSON.readValue(json, AggregateSpec.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad " + NAME + " spec: " + e.getMessage(), e);
        }
        List<Payload> payloads = spec.models().stream().map(AggregateProbe::payload).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int workers : spec.workers()) {
            // unlimited: at Tiny size four Adam-carrying partial sums exceed the default 1g (reported below)
            try (LocalSpark spark = LocalSpark.start(NAME, "local[" + workers + "]", Map.of("spark.driver.maxResultSize", "0"))) {
                for (Payload p : payloads) results.add(measure(spark.context(), p, workers, spec));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thread_env", TrainRunProbe.threadEnvironment());
        m.put("results", results);
        return m;
    }

    private static Payload payload(NamedModel m) {
        ComputationGraph g = MosaLanguageModel.build(m.model(), m.training(), DataType.FLOAT);
        FlatVector params = FlatVector.copyOf(g.params());
        var state = g.getUpdater().getStateViewArray();
        return new Payload(m, params, FlatVector.zeros(DataType.FLOAT, state == null ? 0 : Math.toIntExact(state.length())));
    }

    private static Map<String, Object> measure(JavaSparkContext sc, Payload p, int workers, AggregateSpec spec) {
        OuterRule rule = OuterConfig.averaging().newRule();
        GlobalState state = new GlobalState(0, 0, p.params(), p.optimizerState(), null, 0);
        List<Integer> ranks = IntStream.range(0, workers).boxed().toList();
        List<Double> broadcast = new ArrayList<>(), aggregate = new ArrayList<>(), outer = new ArrayList<>(),
                destroy = new ArrayList<>(), total = new ArrayList<>();
        for (int i = 0; i < spec.warmup() + spec.repeats(); i++) {
            long t0 = System.nanoTime();
            Broadcast<RoundInput> bc = sc.broadcast(new RoundInput(0, 0, p.params(), p.optimizerState()));
            long t1 = System.nanoTime();
            RoundSum sum = OrderedTreeAggregate.aggregate(sc.parallelize(ranks, workers).map(rank -> workerSum(bc.value())),
                    RoundSum::merge, spec.depth());
            long t2 = System.nanoTime();
            GlobalState next = rule.apply(state, sum, 1);
            long t3 = System.nanoTime();
            bc.destroy();
            long t4 = System.nanoTime();
            if (next.params().length() != p.params().length()) throw new IllegalStateException("the average lost elements");
            if (i < spec.warmup()) continue;
            broadcast.add((t1 - t0) / 1e9);
            aggregate.add((t2 - t1) / 1e9);
            outer.add((t3 - t2) / 1e9);
            destroy.add((t4 - t3) / 1e9);
            total.add((t4 - t0) / 1e9);
        }
        int atDriver = OrderedTreeAggregate.partialResultsAtDriver(workers, spec.depth());
        List<Integer> levels = new ArrayList<>(List.of(workers)); // the workers' own sums, then the tree's levels
        levels.addAll(OrderedTreeAggregate.intermediateLevels(workers, spec.depth()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", p.model().name());
        r.put("workers", workers);
        r.put("parameters", p.params().length());
        r.put("optimizer_state_length", p.optimizerState().length());
        r.put("bytes_per_worker", p.bytes());
        r.put("tree_levels", levels);
        r.put("partial_sums_at_driver", atDriver);
        r.put("bytes_to_driver", atDriver * p.bytes());
        r.put("default_max_result_size_exceeded", atDriver * p.bytes() > (1L << 30));
        r.put("broadcast_s_median", Timing.median(broadcast));
        r.put("aggregate_s_median", Timing.median(aggregate));
        r.put("outer_s_median", Timing.median(outer));
        r.put("destroy_s_median", Timing.median(destroy));
        r.put("round_data_s_median", Timing.median(total));
        r.put("round_data_s_all", total);
        r.put("repeats", spec.repeats());
        return r;
    }

    /** What a worker task returns: copies of its network's parameters and Adam moments. */
    static RoundSum workerSum(RoundInput in) {
        return new RoundSum(in.params().copy(), in.optimizerState().copy(), 0, 1, 0, 1, 0, 0, new TreeSet<>(List.of("cpu")));
    }
}
