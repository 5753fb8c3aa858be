package io.mosaspark.model.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.Preset;
import io.mosaspark.model.flops.ModelFlops;
import io.mosaspark.model.flops.ParameterCount;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mosa train-local}: trains variants of one preset (the dense baseline and its IsoFLOP MoSA hybrid)
 * on the same {@link RecallTask} data with the same seed and steps, one after the other in this JVM, and
 * compares their loss at the answer positions. Writes, under {@code out}: per variant
 * {@code NAME/config.json} (resolved configs and provenance, written before training),
 * {@code NAME/metrics.jsonl} and {@code NAME/model.safetensors}; and {@code summary.json}.
 *
 * @param preset    the preset, overrides applied
 * @param overrides the --set arguments, recorded for provenance
 * @param variants  "dense", "mosa", "fixed" in run order
 * @param sparsity  ρ of the sparse variants
 * @param task      the data
 * @param settings  evaluation and loss positions (steps and batch: the preset's training config)
 * @param type      float32 or float64
 * @param out       output directory
 */
public record LocalDemo(Preset preset, List<String> overrides, List<String> variants, int sparsity, RecallTask task,
                        RecallTraining.Settings settings, DataType type, Path out) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LocalDemo {
        overrides = List.copyOf(overrides);
        variants = List.copyOf(variants);
        if (variants.isEmpty()) throw new IllegalArgumentException("no model variant to train");
        for (String v : variants) preset.variant(v, sparsity); // fail before any training if one is invalid
    }

    /** Trains every variant and writes summary.json; returns the summary. */
    public Map<String, Object> run(PrintWriter progress) throws IOException {
        Files.createDirectories(out);
        List<Map<String, Object>> runs = new ArrayList<>();
        Map<String, RecallTraining.Result> results = new LinkedHashMap<>();
        for (String variant : variants) {
            ModelConfig model = preset.variant(variant, sparsity);
            Path dir = out.resolve(variant);
            Files.createDirectories(dir);
            Map<String, Object> describe = describe(variant, model);
            progress.printf(Locale.ROOT, "%s: %d dense + %d %s heads (ρ=%d), %,d parameters, %.3f forward GFLOPs/sequence%n",
                    variant, model.attention().denseHeads(), model.attention().mosaHeads(),
                    model.attention().selection() == io.mosaspark.model.config.AttentionConfig.Selection.FIXED_STRIDE ? "fixed-stride" : "MoSA",
                    model.attention().sparsity(), (Long) describe.get("parameters"), (Long) describe.get("forward_flops") / 1e9);
            JSON.writeValue(dir.resolve("config.json").toFile(), config(variant, model));

            ComputationGraph graph = DemoModels.build(model, preset.training(), type);
            RecallTraining.Result r = RecallTraining.run(variant, graph, task, preset.training(), settings,
                    dir.resolve("metrics.jsonl"), progress);
            DemoModels.export(graph, model, dir.resolve("model.safetensors"), Map.of(
                    "preset", preset.name(), "variant", variant, "steps", String.valueOf(preset.training().steps()),
                    "seed", String.valueOf(preset.training().seed()), "code_version", RunProvenance.codeVersion()));

            describe.putAll(result(r, settings.averageLast()));
            runs.add(describe);
            results.put(variant, r);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("task", task);
        summary.put("chance_answer_loss", task.chanceAnswerLoss());
        summary.put("loss_on", settings.lossOn().name().toLowerCase(Locale.ROOT));
        summary.put("runs", runs);
        if (results.containsKey("dense") && results.containsKey("mosa")) {
            summary.put("comparison", comparison(results.get("dense"), results.get("mosa")));
        }
        JSON.writeValue(out.resolve("summary.json").toFile(), summary);
        printSummary(progress, runs, summary.get("comparison"));
        return summary;
    }

    private Map<String, Object> describe(String variant, ModelConfig model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant);
        m.put("dense_heads", model.attention().denseHeads());
        m.put("sparse_heads", model.attention().mosaHeads());
        m.put("sparsity", model.attention().sparsity());
        m.put("parameters", ParameterCount.of(model).total());
        m.put("forward_flops", ModelFlops.forward(model));
        m.put("kv_entries_per_layer", ModelFlops.kvEntriesPerLayer(model));
        return m;
    }

    private Map<String, Object> config(String variant, ModelConfig model) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", "mosa train-local");
        c.put("preset", preset.name());
        c.put("overrides", overrides);
        c.put("variant", variant);
        c.put("model", model);
        c.put("training", preset.training());
        c.put("steps", preset.training().steps());
        c.put("batch_size", preset.training().batchSize());
        c.put("loss_on", settings.lossOn().name().toLowerCase(Locale.ROOT));
        c.put("dtype", type.name());
        c.put("task", task);
        c.put("provenance", RunProvenance.now());
        return c;
    }

    /** Dense vs MoSA on the answer positions, each the mean over the last evaluations. */
    private Map<String, Object> comparison(RecallTraining.Result dense, RecallTraining.Result mosa) {
        int n = settings.averageLast();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("metric", "answer loss and accuracy, mean of the last " + dense.tail(n).size() + " held-out evaluations (steps "
                + dense.tail(n).get(0).step() + "–" + dense.last().step() + ")");
        c.put("dense_answer_loss", dense.tailAnswerLoss(n));
        c.put("mosa_answer_loss", mosa.tailAnswerLoss(n));
        c.put("answer_loss_mosa_over_dense", mosa.tailAnswerLoss(n) / dense.tailAnswerLoss(n));
        c.put("dense_answer_accuracy", dense.tailAccuracy(n));
        c.put("mosa_answer_accuracy", mosa.tailAccuracy(n));
        c.put("chance_answer_loss", task.chanceAnswerLoss());
        return c;
    }

    private static Map<String, Object> result(RecallTraining.Result r, int averageLast) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer_loss", r.tailAnswerLoss(averageLast));
        m.put("answer_accuracy", r.tailAccuracy(averageLast));
        m.put("initial_answer_loss", r.first().score().answerLoss());
        m.put("final_answer_loss", r.last().score().answerLoss());
        m.put("final_answer_accuracy", r.last().score().accuracy());
        m.put("initial_eval_loss", r.first().score().loss());
        m.put("final_eval_loss", r.last().score().loss());
        m.put("final_train_loss", r.lastTrainLoss());
        m.put("train_tokens_per_s", r.tokensPerSecond());
        m.put("seconds", r.seconds());
        return m;
    }

    private static void printSummary(PrintWriter out, List<Map<String, Object>> runs, Object comparison) {
        out.printf(Locale.ROOT, "%n%-7s %12s %12s %10s %10s %10s%n", "model", "answer loss", "answer acc", "eval loss",
                "tok/s", "seconds");
        for (Map<String, Object> r : runs) {
            out.printf(Locale.ROOT, "%-7s %12.4f %12.3f %10.4f %10.0f %10.1f%n", r.get("variant"), r.get("answer_loss"),
                    r.get("answer_accuracy"), r.get("final_eval_loss"), r.get("train_tokens_per_s"), r.get("seconds"));
        }
        out.println("(answer loss/accuracy: mean of the last evaluations)");
        if (comparison instanceof Map<?, ?> c) {
            out.printf(Locale.ROOT, "MoSA/dense answer loss: %.3f (chance level %.3f)%n", c.get("answer_loss_mosa_over_dense"),
                    c.get("chance_answer_loss"));
        }
        out.flush();
    }
}
