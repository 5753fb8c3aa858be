package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.model.config.AttentionConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static io.mosaspark.bench.model.TinyStepSuite.num;

/**
 * One attention layer, forward + backward, against the sequence length T: MoSA heads that each keep
 * a fixed k = 64 tokens (so ρ = T / 64 grows with T) against the same number of dense heads.
 * Dense attention is O(T²); a MoSA head is O(k² + T), so at fixed k its time should grow at most
 * linearly in T, and MoSA should overtake dense from some T on.
 *
 * <p>Dense heads run out of memory long before MoSA heads do ([Hd, T, T] scores), so MoSA is also
 * measured beyond the dense range (up to {@code --mosa-max-t}): at short T its time is fixed per-op
 * overhead, and only long sequences show how it grows. The growth exponent is fitted over the upper
 * half of the MoSA lengths for that reason; the fit over all lengths is reported too.
 */
final class AttentionScalingSuite implements Suite {

    static final int SELECTED = 64;

    private final BenchOptions o;
    private final int heads;
    private final int dModel;
    private final int headDim;
    private final int batch;
    private final List<Long> lengths;
    private final List<Long> mosaLengths;

    AttentionScalingSuite(BenchOptions o, int heads, int dModel, int headDim, int batch, int minT, int maxT, int mosaMaxT) {
        if (minT < 2 * SELECTED) {
            throw new IllegalArgumentException("--min-t = " + minT + ": must be >= " + 2 * SELECTED + " (k = " + SELECTED + ")");
        }
        if (maxT < minT) throw new IllegalArgumentException("--max-t = " + maxT + ": must be >= --min-t = " + minT);
        if (mosaMaxT < maxT) {
            throw new IllegalArgumentException("--mosa-max-t = " + mosaMaxT + ": must be >= --max-t = " + maxT);
        }
        this.o = o;
        this.heads = heads;
        this.dModel = dModel;
        this.headDim = headDim;
        this.batch = batch;
        this.lengths = doubling(minT, maxT);
        this.mosaLengths = doubling(minT, mosaMaxT);
    }

    private static List<Long> doubling(long from, long to) {
        List<Long> ts = new ArrayList<>();
        for (long t = from; t <= to; t *= 2) ts.add(t);
        return List.copyOf(ts);
    }

    @Override
    public String name() {
        return "attention-scaling";
    }

    @Override
    public void run(BenchReport report) {
        List<Map<String, Object>> dense = measure(o, report, "dense", lengths,
                t -> AttentionConfig.dense(dModel, headDim, heads));
        List<Map<String, Object>> mosaAll = measure(o, report, "mosa", mosaLengths,
                t -> AttentionConfig.hybrid(dModel, headDim, 0, heads, (int) (t / SELECTED)));
        List<Map<String, Object>> mosa = mosaAll.subList(0, lengths.size());

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("baseline", heads + " dense heads");
        r.put("candidate", heads + " MoSA heads, k = " + SELECTED);
        r.put("seq_lens", lengths);
        // wall clock is the headline; CPU time is the same comparison without other jobs' interference
        for (String clock : List.of("fwd_bwd_s_median", "fwd_bwd_cpu_s_median")) {
            String tag = clock.contains("cpu") ? "_cpu" : "";
            List<Double> d = column(dense, clock);
            List<Double> m = column(mosa, clock);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < lengths.size(); i++) ratios.add(m.get(i) / d.get(i));
            r.put("time_ratio_mosa_over_dense" + tag, ratios);
            OptionalDouble cross = GrowthFit.crossover(lengths, d, m);
            r.put("crossover_seq_len" + tag, cross.isPresent() ? (Object) (long) cross.getAsDouble() : "none in measured range");
            if (lengths.size() >= 2) r.put("dense_growth_exponent" + tag, GrowthFit.exponent(lengths, d));
            List<Double> mAll = column(mosaAll, clock);
            if (mosaLengths.size() >= 2) r.put("mosa_growth_exponent_all" + tag, GrowthFit.exponent(mosaLengths, mAll));
            int half = mosaLengths.size() / 2;
            if (mosaLengths.size() - half >= 2) {
                double upper = GrowthFit.exponent(mosaLengths.subList(half, mosaLengths.size()), mAll.subList(half, mAll.size()));
                r.put("mosa_growth_exponent_from_t_" + mosaLengths.get(half) + tag, upper);
                if (!tag.isEmpty()) r.put("mosa_at_most_linear", upper <= 1.1);
            }
        }
        r.put("mosa_seq_lens", mosaLengths);
        report.emit(name(), "summary", r);
    }

    private static List<Double> column(List<Map<String, Object>> points, String key) {
        return points.stream().map(p -> num(p, key)).toList();
    }

    private List<Map<String, Object>> measure(BenchOptions o, BenchReport report, String kind, List<Long> ts,
                                              java.util.function.LongFunction<AttentionConfig> configAt) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (long t : ts) points.add(Map.of("seq_len", t, "attention", configAt.apply(t)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("points", points);
        spec.put("batch", batch);
        spec.put("warmup", o.warmup());
        spec.put("repeats", o.repeats());
        spec.put("seed", 1);
        Map<String, Object> result = o.child().run(AttentionProbe.NAME, spec);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> measured = (List<Map<String, Object>>) result.get("points");
        for (Map<String, Object> p : measured) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", kind);
            line.put("heads", heads);
            line.put("d_model", dModel);
            line.put("head_dim", headDim);
            line.put("batch", batch);
            line.putAll(p);
            report.emit(name(), kind, line);
        }
        return measured;
    }
}
