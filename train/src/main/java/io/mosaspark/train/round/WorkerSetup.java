package io.mosaspark.train.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.train.TrainConfig;
import io.mosaspark.train.data.TrainingData;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * What every worker task of a run shares and that does not change between rounds: the resolved config
 * (carried as its JSON, the form that is also checkpointed, so no config class needs to be
 * {@code Serializable}), the data description, the run directory for DiLoCo's inner state, and the
 * test-only fault plan. Shipped inside the task closure.
 */
public final class WorkerSetup implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String configJson;
    private final String runId;
    private final TrainingData data;
    private final InnerStates innerStates;
    private final FaultPlan faults;
    private transient TrainConfig config;

    public WorkerSetup(TrainConfig config, String runId, TrainingData data, InnerStates innerStates, FaultPlan faults) {
        try {
            this.configJson = JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the training config", e);
        }
        this.config = config;
        this.runId = runId;
        this.data = data;
        this.innerStates = innerStates;
        this.faults = faults;
    }

    public TrainConfig config() {
        if (config == null) {
            try {
                config = JSON.readValue(configJson, TrainConfig.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training config shipped to this worker", e);
            }
        }
        return config;
    }

    /** Identifies the network a thread may keep between rounds: same JSON, same network. */
    public String networkKey() {
        return configJson;
    }

    public String runId() {
        return runId;
    }

    public TrainingData data() {
        return data;
    }

    /** Where DiLoCo workers keep their inner optimizer state between rounds (null for averaging). */
    public InnerStates innerStates() {
        return innerStates;
    }

    public FaultPlan faults() {
        return faults;
    }
}
