package io.mosaspark.model.attention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.io.SafeTensors;
import io.mosaspark.model.parity.ParityReport;
import io.mosaspark.model.parity.Tolerance;
import io.mosaspark.model.parity.TensorError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@link HybridAttention} against a parity file of kind {@code mosa_attention_layer}
 * (shared/parity/README.md): output, input gradient, every parameter gradient and the selected
 * indices.
 */
public final class AttentionParity {

    public static final String KIND = "mosa_attention_layer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttentionParity() {
    }

    /** Runs the layer in {@code type} on the file's input and parameters and compares with its tensors. */
    public static ParityReport check(Path file, DataType type) throws IOException {
        return check(file, type, Tolerance.forType(type));
    }

    public static ParityReport check(Path file, DataType type, Tolerance tolerance) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        String kind = c.metadata().get("kind");
        if (!KIND.equals(kind)) {
            throw new IllegalArgumentException(file + ": parity file kind is '" + kind + "', expected '" + KIND
                    + "' (an attention-layer file; LM files are checked by the LM parity)");
        }
        Shape s = Shape.of(file, c.metadata().get("config"));
        AttentionConfig cfg = s.config();
        int k = cfg.selectedTokens(s.seqLen());
        long[] x = {s.batch(), s.seqLen(), cfg.dModel()};

        Map<String, INDArray> params = new LinkedHashMap<>();
        AttentionParams.shapes(cfg).forEach((name, shape) -> params.put(name, c.require("param." + name, type, shape)));
        AttentionParams p = AttentionParams.fromMap(params);

        HybridAttention layer = new HybridAttention(cfg);
        HybridAttention.Forward fwd = layer.forward(c.require("input", type, x), p);
        HybridAttention.Gradients grads = layer.backward(fwd.cache(), c.require("upstream_grad", type, x), p);

        List<TensorError> errors = new ArrayList<>();
        errors.add(TensorError.compare("expected_output", fwd.output(), c.require("expected_output", DataType.DOUBLE, x)));
        errors.add(TensorError.compare("expected_input_grad", grads.inputGrad(),
                c.require("expected_input_grad", DataType.DOUBLE, x)));
        Map<String, INDArray> g = grads.paramGrads().toMap();
        AttentionParams.shapes(cfg).forEach((name, shape) -> errors.add(
                TensorError.compare("grad." + name, g.get(name), c.require("grad." + name, DataType.DOUBLE, shape))));
        if (cfg.mosaHeads() > 0) {
            long[] idxShape = {s.batch(), cfg.mosaHeads(), k};
            SafeTensors.Tensor expected = c.require("selected_indices");
            INDArray actual = fwd.cache().selectedIndices();                            // [B, Hm, k], ascending
            errors.add(TensorError.compareExact("selected_indices", actual.data().asLong(),
                    expected.toLongs(), idxShape));
        }
        return new ParityReport(file, kind, type, tolerance, errors);
    }

    /** The file's config: batch and T of the test input plus the layer config. */
    record Shape(int batch, int seqLen, AttentionConfig config) {
        static Shape of(Path file, String json) throws IOException {
            if (json == null) throw new IllegalArgumentException(file + ": no __metadata__.config in the parity file");
            JsonNode n = JSON.readTree(json);
            AttentionConfig cfg = new AttentionConfig(req(n, "d_model", file).asInt(), req(n, "head_dim", file).asInt(),
                    req(n, "dense_heads", file).asInt(), req(n, "mosa_heads", file).asInt(),
                    req(n, "sparsity", file).asInt(), req(n, "include_first", file).asInt() != 0,
                    req(n, "rotate_fraction", file).asDouble(), req(n, "rope_base", file).asDouble(),
                    AttentionConfig.Selection.EXPERT_CHOICE);
            return new Shape(req(n, "batch", file).asInt(), req(n, "seq_len", file).asInt(), cfg);
        }

        private static JsonNode req(JsonNode n, String key, Path file) {
            JsonNode v = n.get(key);
            if (v == null) throw new IllegalArgumentException(file + ": config key '" + key + "' is missing");
            return v;
        }
    }
}
