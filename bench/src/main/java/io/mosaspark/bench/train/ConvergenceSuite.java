package io.mosaspark.bench.train;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validation loss against training tokens for the same model, recipe and token budget trained by one
 * worker, by two workers with parameter averaging, and by two workers with DiLoCo (one run per outer lr /
 * momentum pair); each 2-worker run's loss relative to the 1-worker loss at equal tokens (target for
 * DiLoCo: within 3% at the end), under the spec's {@link ConvergenceSpec.Framing} of the batch, which
 * every record names. The curves also go to a PNG when {@code plot} is set.
 */
final class ConvergenceSuite implements Suite {
    static final double TARGET_RATIO = 1.03;
    static final String BASELINE = "1-worker";

    private final ProbeRunner runner;
    private final ConvergenceSpec spec;
    private final Path plot;

    /** @param plot the PNG to write, or null for none */
    ConvergenceSuite(ProbeRunner runner, ConvergenceSpec spec, Path plot) {
        if (spec.runs().stream().noneMatch(r -> BASELINE.equals(r.name()))) {
            throw new IllegalArgumentException("convergence: no '" + BASELINE + "' run to compare with");
        }
        this.runner = runner;
        this.spec = spec;
        this.plot = plot;
    }

    @Override
    public String name() {
        return "convergence";
    }

    @Override
    public void run(BenchReport report) {
        Map<String, Object> measured = runner.run(ConvergenceProbe.NAME, spec.asMap());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) measured.get("runs");
        for (Map<String, Object> r : runs) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("data", measured.get("data"));
            fields.put("data_described", measured.get("data_described"));
            fields.put("preset", spec.preset());
            fields.put("recipe", spec.overrides());
            fields.put("eval_windows", spec.evalWindows());
            fields.put("framing", spec.framing().label());
            fields.putAll(r);
            fields.remove("name");
            report.emit(name(), (String) r.get("name"), fields);
        }
        Map<String, Object> baseline = runs.stream().filter(r -> BASELINE.equals(r.get("name"))).findFirst().orElseThrow();
        for (Map<String, Object> r : runs) {
            if (r == baseline) continue;
            Map<String, Object> c = comparison(baseline, r);
            c.put("framing", spec.framing().label());
            report.emit(name(), r.get("name") + "-vs-" + BASELINE, c);
        }
        if (plot != null) {
            LossPlot.write(plot, "validation loss, " + spec.preset() + ", " + spec.tokens() / 1_000_000.0 + "M tokens per run, "
                            + spec.framing().label() + " (B = " + spec.batch() + ")",
                    runs.stream().map(ConvergenceSuite::curve).toList());
            report.emit(name(), "plot", Map.of("png", plot.toString()));
        }
    }

    /** {@code other}'s loss over the baseline's at every token count both evaluated at. */
    static Map<String, Object> comparison(Map<String, Object> baseline, Map<String, Object> other) {
        Map<Long, Double> base = losses(baseline), theirs = losses(other);
        Set<Long> common = new TreeSet<>(base.keySet());
        common.retainAll(theirs.keySet());
        List<Long> tokens = new ArrayList<>(common);
        List<Double> ratios = tokens.stream().map(t -> theirs.get(t) / base.get(t)).toList();
        double finalRatio = ((Number) other.get("final_val_loss")).doubleValue()
                / ((Number) baseline.get("final_val_loss")).doubleValue();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens_seen", tokens);
        m.put("loss_ratio", ratios);
        m.put("final_tokens_seen", List.of(baseline.get("tokens_seen"), other.get("tokens_seen")));
        m.put("final_val_loss", List.of(baseline.get("final_val_loss"), other.get("final_val_loss")));
        m.put("final_loss_ratio", finalRatio);
        if ("diloco".equals(other.get("outer"))) {
            m.put("target_ratio", TARGET_RATIO);
            m.put("target_met", finalRatio <= TARGET_RATIO);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Double> losses(Map<String, Object> run) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) run.get("curve")) {
            m.put(((Number) p.get("tokens_seen")).longValue(), ((Number) p.get("val_loss")).doubleValue());
        }
        return m;
    }

    private static LossPlot.Curve curve(Map<String, Object> run) {
        Map<Long, Double> l = losses(run);
        return new LossPlot.Curve((String) run.get("name"), l.keySet().stream().map(t -> t / 1e6).toList(),
                new ArrayList<>(l.values()));
    }
}
