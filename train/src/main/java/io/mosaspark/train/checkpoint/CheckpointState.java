package io.mosaspark.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.mosaspark.provenance.Provenance;

import java.util.List;

/**
 * {@code state.json} of a checkpoint: everything besides the tensors that a resume needs, and what it
 * is checked against.
 *
 * @param format        {@value #FORMAT}
 * @param formatVersion {@value #FORMAT_VERSION}
 * @param round         rounds completed
 * @param globalStep    optimiser steps taken (drives the learning-rate schedule)
 * @param tokensSeen    training tokens consumed by all workers
 * @param dataPosition  train windows each rank has consumed (its cursor: epoch = position / windows per rank)
 * @param rng           the seeds and how every random stream derives from them; nothing else is random
 * @param config        the resolved training config
 * @param data          which shard set
 * @param files         the checkpoint's files besides this one
 * @param provenance    how it was made (its parents: the shard set's provenance)
 */
public record CheckpointState(
        @JsonProperty("format") String format,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("round") int round,
        @JsonProperty("global_step") int globalStep,
        @JsonProperty("tokens_seen") long tokensSeen,
        @JsonProperty("data_position") long dataPosition,
        @JsonProperty("rng") Rng rng,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("data") DataIdentity data,
        @JsonProperty("files") List<String> files,
        @JsonProperty("provenance") Provenance provenance) {

    public static final String FORMAT = "mosa-spark-checkpoint";
    public static final int FORMAT_VERSION = 1;

    /**
     * @param initSeed  seed of the initial parameters (DL4J's weight initialisation)
     * @param dataSeed  seed of the per-epoch window permutation
     * @param derivation how streams derive from the seeds, for a reader of the checkpoint
     */
    public record Rng(@JsonProperty("init_seed") long initSeed, @JsonProperty("data_seed") long dataSeed,
                      @JsonProperty("derivation") String derivation) {
    }
}
