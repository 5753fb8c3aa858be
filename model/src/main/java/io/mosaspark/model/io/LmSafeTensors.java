package io.mosaspark.model.io;

import io.mosaspark.provenance.CodeVersion;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.lm.MosaLanguageModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A whole LM as a safetensors file under the canonical tensor names of docs/model.md (PyTorch [out, in]
 * layout), in the model's precision. {@code __metadata__} holds {@code format}, {@code config} (the
 * {@link ModelConfig} JSON), {@code created_utc} and the caller's provenance (code version, seed, …).
 * Loading checks everything against the model before changing a single parameter.
 */
public final class LmSafeTensors {

    public static final String FORMAT = "mosa-spark-lm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LmSafeTensors() {
    }

    /** Writes {@code graph}'s parameters atomically (temporary file, then rename). */
    public static void write(Path file, ComputationGraph graph, ModelConfig model, Map<String, String> provenance)
            throws IOException {
        Map<String, INDArray> tensors = MosaLanguageModel.canonicalParams(graph);
        Map<String, String> meta = new LinkedHashMap<>(provenance == null ? Map.of() : provenance);
        meta.put("format", FORMAT);
        meta.put("config", JSON.writeValueAsString(model));
        meta.put("created_utc", Instant.now().toString());
        meta.putIfAbsent("code_version", CodeVersion.current().toString());
        SafeTensors.write(file, tensors, meta);
    }

    /** The {@link ModelConfig} a checkpoint was written with. */
    public static ModelConfig readConfig(Path file) throws IOException {
        return configOf(SafeTensors.read(file));
    }

    /** Builds a model from the checkpoint's own config and loads its parameters. */
    public static ComputationGraph read(Path file, TrainingConfig training, DataType dataType) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        ModelConfig model = configOf(c);
        ComputationGraph g = MosaLanguageModel.build(model, training, dataType);
        assign(MosaLanguageModel.canonicalParams(g), c, "", true);
        return g;
    }

    /** Loads a checkpoint into an existing model (e.g. to continue training or evaluate). */
    public static void load(Path file, ComputationGraph graph) throws IOException {
        assign(MosaLanguageModel.canonicalParams(graph), SafeTensors.read(file), "", true);
    }

    /**
     * Copies {@code prefix + name} from {@code c} into every target view. Nothing is written unless all
     * checks pass: the vocabulary matches, no tensor is missing or misshaped, and (if
     * {@code refuseUnknown}) the file holds no tensor the model does not have.
     */
    public static void assign(Map<String, INDArray> targets, SafeTensors.Contents c, String prefix, boolean refuseUnknown) {
        checkVocabulary(targets, c, prefix);
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            String name = prefix + e.getKey();
            if (!c.has(name)) {
                missing.add(name);
                continue;
            }
            long[] got = c.tensors().get(name).shape(), want = e.getValue().shape();
            if (!Arrays.equals(got, want)) {
                problems.add("tensor '" + name + "' has shape " + Arrays.toString(got) + ", the model needs " + Arrays.toString(want));
            }
        }
        if (!missing.isEmpty()) problems.add(0, "missing tensors " + missing);
        if (refuseUnknown) {
            TreeSet<String> unknown = new TreeSet<>(c.tensors().keySet());
            targets.keySet().forEach(k -> unknown.remove(prefix + k));
            if (!unknown.isEmpty()) problems.add("tensors the model does not have " + unknown);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(c.source() + " does not fit the model: " + String.join("; ", problems)
                    + ". Was it written for a different configuration?");
        }
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            INDArray target = e.getValue();
            target.assign(c.tensors().get(prefix + e.getKey()).toArray(target.dataType()));
        }
    }

    private static void checkVocabulary(Map<String, INDArray> targets, SafeTensors.Contents c, String prefix) {
        String name = prefix + "tok_emb.weight";
        INDArray emb = targets.get("tok_emb.weight");
        if (emb == null || !c.has(name)) return; // reported as missing
        long fileV = c.tensors().get(name).shape()[0], modelV = emb.size(0);
        if (fileV != modelV) {
            throw new IllegalArgumentException(c.source() + ": vocabulary mismatch: the file has V = " + fileV + " ('" + name
                    + "' " + Arrays.toString(c.tensors().get(name).shape()) + ") but the model has vocab_size = " + modelV
                    + "; use the tokenizer the checkpoint was trained with, or build the model with vocab_size = " + fileV);
        }
    }

    private static ModelConfig configOf(SafeTensors.Contents c) throws IOException {
        String json = c.metadata().get("config");
        if (json == null || !FORMAT.equals(c.metadata().get("format"))) {
            throw new IllegalArgumentException(c.source() + ": not a " + FORMAT + " checkpoint (__metadata__.format = "
                    + c.metadata().get("format") + ", config " + (json == null ? "absent" : "present") + ")");
        }
        try {
            return JSON.readValue(json, ModelConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(c.source() + ": __metadata__.config is not a valid model config: " + e.getMessage(), e);
        }
    }

}
