package io.mosaspark.train.routing;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Replica drift of one round: how much of what each worker's heads selected on the probe batch at the
 * end of its local steps the averaged (or DiLoCo-updated) model still selects at the start of the next
 * round. 1 = the outer step kept every choice; lower = the replicas' routers had drifted apart.
 *
 * @param round      the round whose workers are compared (1-based: the round just finished)
 * @param rule       averaging or diloco
 * @param jaccard    mean over workers, heads, layers and probe windows
 * @param layerHeads [layer][head]: mean over workers and probe windows
 * @param workers    [rank]: mean over layers, heads and probe windows
 */
public record DriftRecord(
        @JsonProperty("round") int round,
        @JsonProperty("rule") String rule,
        @JsonProperty("jaccard") double jaccard,
        @JsonProperty("layer_heads") List<List<Double>> layerHeads,
        @JsonProperty("workers") List<Double> workers) {
}
