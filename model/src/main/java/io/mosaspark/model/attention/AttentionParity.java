package io.mosaspark.model.attention;

import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.io.SafeTensors;
import io.mosaspark.model.parity.ParityFile;
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
 * (docs/parity.md): output, input gradient, every parameter gradient and the selected
 * indices.
 */
public final class AttentionParity {

    public static final String KIND = "mosa_attention_layer";

    private AttentionParity() {
    }

    /** Runs the layer in {@code type} on the file's input and parameters and compares with its tensors. */
    public static ParityReport check(Path file, DataType type) throws IOException {
        return check(file, type, Tolerance.forType(type));
    }

    public static ParityReport check(Path file, DataType type, Tolerance tolerance) throws IOException {
        ParityFile pf = ParityFile.open(file, KIND);
        SafeTensors.Contents c = pf.contents();
        String kind = pf.kind();
        AttentionConfig cfg = pf.attentionConfig();
        int seqLen = pf.intKey("seq_len");
        int k = cfg.selectedTokens(seqLen);
        long[] x = {pf.intKey("batch"), seqLen, cfg.dModel()};

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
            long[] idxShape = {x[0], cfg.mosaHeads(), k};
            SafeTensors.Tensor expected = c.require("selected_indices");
            INDArray actual = fwd.cache().selectedIndices();                            // [B, Hm, k], ascending
            errors.add(TensorError.compareExact("selected_indices", actual.data().asLong(),
                    expected.toLongs(), idxShape));
        }
        return new ParityReport(file, kind, type, tolerance, errors);
    }
}
