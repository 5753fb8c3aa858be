package io.mosaspark.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.flops.ModelFlops;
import io.mosaspark.model.flops.ParameterCount;
import io.mosaspark.provenance.Provenance;
import io.mosaspark.shards.manifest.TokenizerInfo;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.Trainer;
import io.mosaspark.train.checkpoint.TrainedModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an export says about its model ({@code model-card.json}, rendered as {@code MODEL_CARD.md}):
 * what it is, what it was trained on and for how long, how good it is, and how it was made.
 *
 * @param preset           what the run was asked for (preset, variant, ρ), or null where the run did not record it
 * @param model            a one-line description of the network and the run's data parallelism
 * @param config           the model's configuration (the safetensors file carries the same)
 * @param training         the run's resolved training config
 * @param parameters       exact parameter count
 * @param parametersByPart embedding, attention, MLP, layer norms, LM head
 * @param flopsPerToken    forward FLOPs per token at seq_len (MoSA heads at their k for T = seq_len)
 * @param tokenizer        the tokenizer record (type, vocabulary, end-of-text id, SHA-256)
 * @param data             the shard set it was trained on (URI, manifest SHA-256)
 * @param tokensSeen       training tokens consumed (all workers)
 * @param round            averaging rounds completed
 * @param source           which weights were exported (a final model or a checkpoint, and where)
 * @param validation       validation loss and perplexity as the run recorded them, or null
 * @param files            the export's other files and their SHA-256
 * @param provenance       the export's provenance; its parent is the weights' own
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModelCard(
        @JsonProperty("format") String format,
        @JsonProperty("preset") String preset,
        @JsonProperty("model") String model,
        @JsonProperty("config") ModelConfig config,
        @JsonProperty("training") TrainConfig training,
        @JsonProperty("parameters") long parameters,
        @JsonProperty("parameters_by_part") ParameterCount parametersByPart,
        @JsonProperty("flops_per_token_forward") long flopsPerToken,
        @JsonProperty("tokenizer") TokenizerInfo tokenizer,
        @JsonProperty("data") Map<String, String> data,
        @JsonProperty("tokens_seen") long tokensSeen,
        @JsonProperty("round") int round,
        @JsonProperty("source") String source,
        @JsonProperty("validation") Validation validation,
        @JsonProperty("files") Map<String, String> files,
        @JsonProperty("provenance") Provenance provenance) {

    public static final String FORMAT = "mosa-spark-model-card-v1";

    /** @param perplexity exp(loss) */
    public record Validation(@JsonProperty("loss") double loss, @JsonProperty("perplexity") double perplexity) {
    }

    public static ModelCard of(TrainedModel m, Map<String, String> files, Provenance provenance) {
        ModelConfig c = m.config().model();
        ParameterCount count = ParameterCount.of(c);
        return new ModelCard(FORMAT, m.label(), Trainer.describe(m.config()), c, m.config(), count.total(), count,
                ModelFlops.forward(c) / c.seqLen(), m.tokenizer(),
                Map.of("source", m.data().source(), "manifest_sha256", m.data().manifestSha256()), m.tokensSeen(),
                m.round(), m.describe(),
                m.validationLoss() == null ? null : new Validation(m.validationLoss(), Math.exp(m.validationLoss())),
                files, provenance);
    }

    /** The card for people: the same facts as the JSON, and how to load the files. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: MoSA language model\n\n").append(model).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "preset", preset == null ? "not recorded (a checkpoint of a run that has not finished)" : preset);
        row(md, "parameters", String.format(Locale.ROOT, "%,d (embedding %,d, attention %,d, MLP %,d, layer norms %,d, LM head %,d)",
                parameters, parametersByPart.embedding(), parametersByPart.attention(), parametersByPart.mlp(),
                parametersByPart.layerNorms(), parametersByPart.lmHead()));
        row(md, "forward FLOPs per token", String.format(Locale.ROOT, "%,d (at T = %d)", flopsPerToken, config.seqLen()));
        row(md, "layers / d_model / d_ff / seq_len", config.nLayers() + " / " + config.dModel() + " / " + config.dFf() + " / "
                + config.seqLen());
        row(md, "attention", config.attention().denseHeads() + " dense + " + config.attention().mosaHeads()
                + " sparse heads (" + config.attention().selection().name().toLowerCase(Locale.ROOT) + ", rho "
                + config.attention().sparsity() + ", head_dim " + config.attention().headDim() + ")");
        row(md, "tokenizer", tokenizer.type() + ", vocabulary " + tokenizer.vocabSize() + ", end-of-text id "
                + tokenizer.eotToken() + ", sha256 `" + tokenizer.sha256() + "`");
        row(md, "trained on", "`" + data.get("source") + "` (manifest sha256 `" + data.get("manifest_sha256") + "`)");
        row(md, "tokens seen", String.format(Locale.ROOT, "%,d in %d rounds (%d workers, H = %d, %s)", tokensSeen, round,
                training.workers(), training.localSteps(), training.outer().rule().name().toLowerCase(Locale.ROOT)));
        row(md, "validation", validation == null ? "not recorded for these weights (`mosa eval` measures it)"
                : String.format(Locale.ROOT, "loss %.6f, perplexity %.4f", validation.loss(), validation.perplexity()));
        row(md, "exported from", source);
        row(md, "code version", provenance.codeVersion());
        row(md, "exported at", provenance.createdAt());
        md.append("\n## Files\n\n| file | sha256 |\n|---|---|\n");
        files.forEach((name, sha) -> md.append("| `").append(name).append("` | `").append(sha).append("` |\n"));
        md.append("\n## Loading\n\n")
                .append("* Weights: `model.safetensors`, canonical tensor names and the model config in `__metadata__`; in\n")
                .append("  PyTorch, `python3 bench/torch_mosa.py --load-safetensors model.safetensors --tokens TOKENS.json` builds\n")
                .append("  the same network and prints its loss and logits.\n")
                .append("* Tokenizer: `tokenizer.tiktoken` (tiktoken / JTokkit rank file) and `tokenizer.json` (Hugging Face\n")
                .append("  `tokenizers`: `Tokenizer.from_file(\"tokenizer.json\")`), the same byte-level BPE.\n")
                .append("* Generation: each step runs the model on the prefix (at most seq_len tokens); every sparse head\n")
                .append("  selects k = clamp(floor(T/rho), 2, T) of the T prefix tokens.\n");
        md.append("\n## Provenance\n\nEach artifact was made from the ones below it:\n\n");
        for (String line : chain(provenance, 0, new ArrayList<>())) md.append(line).append('\n');
        return md.toString();
    }

    private static List<String> chain(Provenance p, int depth, List<String> lines) {
        lines.add("  ".repeat(depth) + "* " + p.artifact() + ": code " + p.codeVersion()
                + (p.createdAt() == null ? "" : ", " + p.createdAt())
                + (p.inputs().isEmpty() ? "" : ", from " + String.join(", ", p.inputs().stream().map(Provenance.Input::uri).toList())));
        for (Provenance parent : p.parents()) chain(parent, depth + 1, lines);
        return lines;
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}
