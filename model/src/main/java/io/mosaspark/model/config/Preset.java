package io.mosaspark.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mosaspark.model.flops.ModelFlops;

/**
 * A named model size with its training recipe, as stored in {@code conf/presets/NAME.json}: the dense
 * baseline's {@link ModelConfig} and the variants the paper compares it with, all derived from it.
 *
 * @param name              preset name (the file's base name)
 * @param description       where the numbers come from
 * @param model             the dense baseline (mosa_heads = 0)
 * @param training          the training recipe (optimiser, schedule, clipping, batch, steps, seed)
 * @param perplexityMatchedHeads the paper's perplexity-matched hybrid, if it reports one for this size (else null)
 */
public record Preset(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("model") ModelConfig model,
        @JsonProperty("training") TrainingConfig training,
        @JsonProperty("perplexity_matched") HeadMix perplexityMatchedHeads) {

    /** A hybrid's head composition: Hd dense + Hm MoSA heads at sparsity ρ. */
    public record HeadMix(
            @JsonProperty("dense_heads") int denseHeads,
            @JsonProperty("mosa_heads") int mosaHeads,
            @JsonProperty("sparsity") int sparsity) {
    }

    public Preset {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: missing");
        if (model == null) throw new IllegalArgumentException("preset " + name + ": model: missing");
        if (training == null) throw new IllegalArgumentException("preset " + name + ": training: missing");
        if (model.attention().mosaHeads() != 0) {
            throw new IllegalArgumentException("preset " + name + ": model.attention.mosa_heads = "
                    + model.attention().mosaHeads() + ": a preset stores the dense baseline (mosa_heads = 0); "
                    + "hybrids are derived with mosa(rho)");
        }
    }

    /** The dense baseline. */
    public ModelConfig dense() {
        return model;
    }

    /** The IsoFLOP MoSA hybrid at sparsity ρ: 4 dense heads plus as many MoSA heads as the freed FLOPs buy. */
    public ModelConfig mosa(int sparsity) {
        return ModelFlops.isoFlopHybrid(model, sparsity, AttentionConfig.Selection.EXPERT_CHOICE);
    }

    /** The paper's fixed-stride baseline at sparsity ρ, IsoFLOP like {@link #mosa(int)}. */
    public ModelConfig fixed(int sparsity) {
        return ModelFlops.isoFlopHybrid(model, sparsity, AttentionConfig.Selection.FIXED_STRIDE);
    }

    /** The paper's perplexity-matched hybrid (Tiny: 4 dense + 17 MoSA heads at ρ = 32). */
    public ModelConfig perplexityMatched() {
        if (perplexityMatchedHeads == null) {
            throw new IllegalArgumentException("preset " + name + " has no perplexity-matched hybrid (the paper reports "
                    + "its head counts for: " + String.join(", ", Presets.withPerplexityMatched()) + ")");
        }
        HeadMix m = perplexityMatchedHeads;
        return model.withAttention(model.attention().withHeads(m.denseHeads(), m.mosaHeads(), m.sparsity()));
    }

    /** The variant a command line asks for: "dense", "mosa" or "fixed" (the last two at sparsity ρ). */
    public ModelConfig variant(String kind, int sparsity) {
        return switch (kind) {
            case "dense" -> dense();
            case "mosa" -> mosa(sparsity);
            case "fixed" -> fixed(sparsity);
            case "perplexity-matched" -> perplexityMatched();
            default -> throw new IllegalArgumentException("model variant '" + kind
                    + "' is unknown; valid: dense, mosa, fixed, perplexity-matched");
        };
    }
}
