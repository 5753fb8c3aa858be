package io.mosaspark.train.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of {@code metrics.jsonl}: a round, or an evaluation ({@code kind} tells which).
 *
 * <p>Round time: {@code compute_s} is the slowest worker's H steps; {@code averaging_s} the driver's
 * part of averaging (broadcasting the state, merging the last partial sums, the outer update);
 * {@code scheduling_s} the rest of the round's wall time (task launch, (de)serialisation, moving the
 * vectors, waiting for the slowest task, and the driver's replica-drift pass, whose own time is
 * {@code routing_s}). {@code worker_routing_s}: a worker's mean time on routing statistics (reading the
 * layers after its observed steps, inside {@code compute_s}, and its probe pass after them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoundRecord(
        @JsonProperty("kind") String kind,
        @JsonProperty("round") int round,
        @JsonProperty("global_step") int globalStep,
        @JsonProperty("tokens_seen") long tokensSeen,
        @JsonProperty("train_loss") Double trainLoss,
        @JsonProperty("val_loss") Double valLoss,
        @JsonProperty("val_perplexity") Double valPerplexity,
        @JsonProperty("tokens_per_s") Double tokensPerSecond,
        @JsonProperty("round_s") Double roundSeconds,
        @JsonProperty("compute_s") Double computeSeconds,
        @JsonProperty("averaging_s") Double averagingSeconds,
        @JsonProperty("scheduling_s") Double schedulingSeconds,
        @JsonProperty("eta_s") Double etaSeconds,
        @JsonProperty("devices") java.util.List<String> devices,
        @JsonProperty("routing_s") Double routingSeconds,
        @JsonProperty("worker_routing_s") Double workerRoutingSeconds,
        @JsonProperty("replica_drift_jaccard") Double replicaDrift,
        @JsonProperty("elapsed_s") double elapsedSeconds) {

    public static RoundRecord round(int round, int step, long tokensSeen, double loss, double tokensPerSecond,
                                    double roundS, double computeS, double averagingS, double etaS,
                                    java.util.Collection<String> devices, double elapsedS) {
        return new RoundRecord("round", round, step, tokensSeen, loss, null, null, tokensPerSecond, roundS, computeS,
                averagingS, Math.max(0, roundS - computeS - averagingS), etaS, java.util.List.copyOf(devices), null, null,
                null, elapsedS);
    }

    /**
     * This round's line with the driver's and a worker's (mean) time on routing statistics and the round's
     * mean replica drift (each may be null).
     */
    public RoundRecord withRouting(Double routingS, Double workerRoutingS, Double drift) {
        return new RoundRecord(kind, round, globalStep, tokensSeen, trainLoss, valLoss, valPerplexity, tokensPerSecond,
                roundSeconds, computeSeconds, averagingSeconds, schedulingSeconds, etaSeconds, devices, routingS,
                workerRoutingS, drift, elapsedSeconds);
    }

    public static RoundRecord evaluation(int round, int step, long tokensSeen, double valLoss, double elapsedS) {
        return new RoundRecord("eval", round, step, tokensSeen, null, valLoss, Math.exp(valLoss), null, null, null,
                null, null, null, null, null, null, null, elapsedS);
    }
}
