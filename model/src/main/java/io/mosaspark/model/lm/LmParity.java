package io.mosaspark.model.lm;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.config.TrainingConfig;
import io.mosaspark.model.io.LmSafeTensors;
import io.mosaspark.model.io.SafeTensors;
import io.mosaspark.model.parity.ParityFile;
import io.mosaspark.model.parity.ParityReport;
import io.mosaspark.model.parity.TensorError;
import io.mosaspark.model.parity.Tolerance;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the whole DL4J language model against a parity file of kind {@code mosa_lm}
 * (docs/parity.md): logits, mean loss, and the gradient of every parameter by canonical name.
 */
public final class LmParity {

    public static final String KIND = "mosa_lm";

    private LmParity() {
    }

    public static ParityReport check(Path file, DataType type) throws IOException {
        return check(file, type, Tolerance.forType(type));
    }

    public static ParityReport check(Path file, DataType type, Tolerance tolerance) throws IOException {
        ParityFile pf = ParityFile.open(file, KIND);
        SafeTensors.Contents c = pf.contents();
        String kind = pf.kind();
        ModelConfig model = new ModelConfig(pf.intKey("vocab_size"), pf.intKey("n_layers"), pf.intKey("d_ff"),
                pf.intKey("seq_len"), pf.doubleKey("ln_eps"), pf.attentionConfig());
        int batch = pf.intKey("batch"), seqLen = model.seqLen();

        ComputationGraph g = MosaLanguageModel.build(model, TrainingConfig.PAPER, type);
        LmSafeTensors.assign(MosaLanguageModel.canonicalParams(g), c, "param.", false);

        MultiDataSet data = NextTokenBatch.of(c.require("tokens", DataType.DOUBLE, batch, seqLen + 1L), type);
        INDArray inputs = data.getFeatures(0);
        g.setInput(0, inputs);
        g.setLabel(0, data.getLabels(0));
        g.computeGradientAndScore();
        double loss = g.score();
        Map<String, INDArray> grads = MosaLanguageModel.canonicalGradients(g);
        INDArray logits = g.outputSingle(inputs);

        List<TensorError> errors = new ArrayList<>();
        errors.add(TensorError.compare("expected_logits", logits,
                c.require("expected_logits", DataType.DOUBLE, batch, seqLen, model.vocabSize())));
        errors.add(TensorError.compare("expected_loss", Nd4j.scalar(loss).reshape(1), c.require("expected_loss", DataType.DOUBLE, 1)));
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            String name = "grad." + e.getKey();
            errors.add(TensorError.compare(name, e.getValue(), c.require(name, DataType.DOUBLE, e.getValue().shape())));
        }
        return new ParityReport(file, kind, type, tolerance, errors);
    }
}
