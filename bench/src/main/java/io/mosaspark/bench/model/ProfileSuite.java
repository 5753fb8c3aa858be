package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.BenchReport;
import io.mosaspark.bench.harness.Suite;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.preset.Preset;
import io.mosaspark.model.preset.Presets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time of a training step goes, per ND4J op, for the models the other suites time:
 * the throughput preset (dense and MoSA) and the Tiny pair. Not a benchmark with a baseline: it
 * explains the others' ratios.
 */
final class ProfileSuite implements Suite {

    private final BenchOptions o;
    private final Preset preset;
    private final int sparsity;
    private final int batch;
    private final int tinyBatch;
    private final int tinySeqLen;

    ProfileSuite(BenchOptions o, Preset preset, int sparsity, int batch, int tinyBatch, int tinySeqLen) {
        this.o = o;
        this.preset = preset;
        this.sparsity = sparsity;
        this.batch = batch;
        this.tinyBatch = tinyBatch;
        this.tinySeqLen = tinySeqLen;
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public void run(BenchReport report) {
        Preset tiny = Presets.load("tiny");
        record Case(String label, ModelConfig model, int batch, Preset recipe) {
        }
        for (Case c : List.of(
                new Case(preset.name() + " dense", preset.dense(), batch, preset),
                new Case(preset.name() + " mosa rho " + sparsity, preset.mosa(sparsity), batch, preset),
                new Case("tiny dense", tiny.dense().withSeqLen(tinySeqLen), tinyBatch, tiny),
                new Case("tiny perplexity-matched", tiny.perplexityMatched().withSeqLen(tinySeqLen), tinyBatch, tiny))) {
            LmStepSpec spec = new LmStepSpec(c.model(), c.batch(), c.recipe().training().learningRate(),
                    c.recipe().training().gradClip(), 1, Math.min(o.repeats(), 3), 1);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", c.label());
            r.put("batch", c.batch());
            r.put("seq_len", c.model().seqLen());
            r.putAll(o.child().run(ProfileProbe.NAME, BenchReport.JSON.convertValue(spec,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { })));
            report.emit(name(), c.label(), r);
        }
    }
}
