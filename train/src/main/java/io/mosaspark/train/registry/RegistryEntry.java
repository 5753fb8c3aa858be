package io.mosaspark.train.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code models/ID/entry.json}: what the registry knows about one model besides its run directory's own
 * files. Written when the model is registered, and rewritten (atomically) when it is evaluated and when a
 * promotion decision is taken about it.
 *
 * @param id          {@code v0001}, {@code v0002}, …: registration order
 * @param parent      the promoted model this one was warm-started from, or null (trained fresh)
 * @param start       how it started: {@code warm} or {@code fresh}
 * @param startReason why (e.g. "no promoted model", "tokenizer differs from v0002's: …")
 * @param registered  when it was registered (ISO-8601)
 * @param data        the shard set it was trained on: source URI, manifest SHA-256, tokenizer record
 * @param tokenizerSha256 SHA-256 of its tokenizer's defining files (the manifest's)
 * @param tokensSeen  training tokens this candidate consumed (this run only, not its parent's)
 * @param rounds      averaging rounds of this run
 * @param valLoss     its own final validation loss, from its run (its shard set's val split)
 * @param trainSeconds wall time of its training run
 * @param request     the training options as given (mosa retrain's)
 * @param config      the resolved training config
 * @param provenance  the final model's provenance (parents: the shard set's)
 * @param evaluation  the comparison with the then-promoted model, once evaluated
 * @param decision    the promotion decision, once taken
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryEntry(@JsonProperty("id") String id,
                            @JsonProperty("parent") String parent,
                            @JsonProperty("start") String start,
                            @JsonProperty("start_reason") String startReason,
                            @JsonProperty("registered") String registered,
                            @JsonProperty("data") JsonNode data,
                            @JsonProperty("tokenizer_sha256") String tokenizerSha256,
                            @JsonProperty("tokens_seen") long tokensSeen,
                            @JsonProperty("rounds") int rounds,
                            @JsonProperty("val_loss") double valLoss,
                            @JsonProperty("train_seconds") double trainSeconds,
                            @JsonProperty("request") JsonNode request,
                            @JsonProperty("config") JsonNode config,
                            @JsonProperty("provenance") JsonNode provenance,
                            @JsonProperty("evaluation") Evaluation evaluation,
                            @JsonProperty("decision") Decision decision) {

    /**
     * The candidate and the model promoted at the time, scored on the same windows of the same split in
     * one Spark job.
     *
     * @param data           the shard set whose split was scored (the candidate's)
     * @param split          {@code val}
     * @param windows        windows scored per model
     * @param tokens         tokens scored per model
     * @param candidateLoss  the candidate's mean next-token loss (nats)
     * @param baseline       the promoted model's id, or null when none was promoted
     * @param baselineLoss   its loss on the same windows, or null (none promoted, or another tokenizer)
     * @param baselineNote   why there is no baseline loss, or null
     * @param evaluated      when (ISO-8601)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluation(@JsonProperty("data") String data,
                             @JsonProperty("split") String split,
                             @JsonProperty("windows") long windows,
                             @JsonProperty("tokens") long tokens,
                             @JsonProperty("candidate_loss") double candidateLoss,
                             @JsonProperty("baseline") String baseline,
                             @JsonProperty("baseline_loss") Double baselineLoss,
                             @JsonProperty("baseline_note") String baselineNote,
                             @JsonProperty("evaluated") String evaluated) {
    }

    /**
     * @param promoted whether it became CURRENT
     * @param margin   the relative margin it had to beat the baseline by
     * @param forced   promoted with --force, whatever the losses
     * @param reason   the comparison in words (e.g. "5.1020 < 5.3000 × (1 − 0.01)")
     * @param decided  when (ISO-8601)
     */
    public record Decision(@JsonProperty("promoted") boolean promoted,
                           @JsonProperty("margin") double margin,
                           @JsonProperty("forced") boolean forced,
                           @JsonProperty("reason") String reason,
                           @JsonProperty("decided") String decided) {
    }

    public RegistryEntry withEvaluation(Evaluation e) {
        return new RegistryEntry(id, parent, start, startReason, registered, data, tokenizerSha256, tokensSeen, rounds,
                valLoss, trainSeconds, request, config, provenance, e, null);
    }

    public RegistryEntry withDecision(Decision d) {
        return new RegistryEntry(id, parent, start, startReason, registered, data, tokenizerSha256, tokensSeen, rounds,
                valLoss, trainSeconds, request, config, provenance, evaluation, d);
    }

    public RegistryEntry withId(String newId) {
        return new RegistryEntry(newId, parent, start, startReason, registered, data, tokenizerSha256, tokensSeen, rounds,
                valLoss, trainSeconds, request, config, provenance, evaluation, decision);
    }
}
