package io.mosaspark.cuda;

import io.mosaspark.model.attention.AttentionParams;
import io.mosaspark.model.config.AttentionConfig;
import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.io.SafeTensors;
import io.mosaspark.model.parity.AttentionParity;
import io.mosaspark.model.parity.LmParity;
import io.mosaspark.model.parity.ParityFile;
import io.mosaspark.model.parity.ParityReport;
import io.mosaspark.model.parity.TensorError;
import io.mosaspark.model.parity.Tolerance;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parity checks of docs/parity.md on the CUDA backend: the same files, tensors and tolerances as
 * {@link AttentionParity} and {@link LmParity}, computed by {@link HybridAttentionGpu} and
 * {@link LanguageModelGpu}. Uses no ND4J array, so it runs without ND4J's native libraries.
 */
public final class CudaParity {

    private CudaParity() {
    }

    /**
     * The default tolerance of the precision: float64 1e-9 absolute; float32 1e-4 relative; the tensor-core
     * modes about ten unit roundoffs of their product inputs: TF32 (u = 2^-11) 5e-3 relative, BF16
     * (u = 2^-8) 4e-2 relative (docs/gpu.md: the measured worst errors are 5u and …).
     */
    public static Tolerance tolerance(Precision p) {
        return switch (p) {
            case FLOAT64 -> Tolerance.forType(DataType.DOUBLE);
            case FLOAT32 -> Tolerance.forType(DataType.FLOAT);
            case TF32 -> new Tolerance(0, 5e-3);
            case BF16 -> new Tolerance(0, 4e-2);
        };
    }

    static DataType dataType(Precision p) {
        return p == Precision.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** Checks {@code file} (either kind) on {@code gpu}. */
    public static ParityReport check(Gpu gpu, Path file, Tolerance tolerance) throws IOException {
        String kind = SafeTensors.read(file).metadata().get("kind");
        if (AttentionParity.KIND.equals(kind)) return checkLayer(gpu, file, tolerance);
        if (LmParity.KIND.equals(kind)) return checkLm(gpu, file, tolerance);
        throw new IllegalArgumentException(file + ": unknown parity kind '" + kind + "'; known kinds: "
                + AttentionParity.KIND + ", " + LmParity.KIND);
    }

    static ParityReport checkLayer(Gpu gpu, Path file, Tolerance tolerance) throws IOException {
        ParityFile pf = ParityFile.open(file, AttentionParity.KIND);
        SafeTensors.Contents c = pf.contents();
        AttentionConfig cfg = pf.attentionConfig();
        int b = pf.intKey("batch"), t = pf.intKey("seq_len"), h = cfg.dModel();
        long[] xShape = {b, t, h};
        Map<String, long[]> shapes = AttentionParams.shapes(cfg);
        long total = shapes.values().stream().mapToLong(io.mosaspark.model.lm.LmParamShapes::size).sum();
        DeviceArray flat = gpu.alloc(total), flatGrad = gpu.alloc(total);
        Map<String, DeviceArray> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        long off = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = io.mosaspark.model.lm.LmParamShapes.size(e.getValue());
            DeviceArray view = flat.view(off, n);
            view.upload(expect(c, "param." + e.getKey(), e.getValue()));
            params.put(e.getKey(), view);
            grads.put(e.getKey(), flatGrad.view(off, n));
            off += n;
        }
        DeviceArray nan = gpu.allocInts(1);
        nan.zero();
        Workspace ws = new Workspace(gpu);
        HybridAttentionGpu layer = new HybridAttentionGpu(gpu, ws, cfg, b, t, params, grads, nan);
        long n = (long) b * t * h;
        DeviceArray x = gpu.alloc(n), out = gpu.alloc(n), dOut = gpu.alloc(n), dx = gpu.alloc(n);
        try {
            x.upload(expect(c, "input", xShape));
            out.zero();
            layer.forward(x, out);
            dOut.upload(expect(c, "upstream_grad", xShape));
            dx.zero();
            flatGrad.zero();
            layer.backward(dOut, dx);
            gpu.synchronize();
            List<TensorError> errors = new ArrayList<>();
            errors.add(TensorError.compare("expected_output", out.download(), expect(c, "expected_output", xShape), xShape));
            errors.add(TensorError.compare("expected_input_grad", dx.download(), expect(c, "expected_input_grad", xShape), xShape));
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                String name = "grad." + e.getKey();
                errors.add(TensorError.compare(name, grads.get(e.getKey()).download(), expect(c, name, e.getValue()), e.getValue()));
            }
            if (cfg.mosaHeads() > 0) {
                long[] idxShape = {b, cfg.mosaHeads(), layer.selectedTokens()};
                long[] actual = Arrays.stream(layer.selectedIndices().downloadInts()).asLongStream().toArray();
                errors.add(TensorError.compareExact("selected_indices", actual, c.require("selected_indices").toLongs(), idxShape));
            }
            return new ParityReport(file, AttentionParity.KIND, dataType(gpu.precision()), tolerance, errors);
        } finally {
            layer.free();
            ws.free();
            for (DeviceArray d : new DeviceArray[]{flat, flatGrad, nan, x, out, dOut, dx}) d.free();
        }
    }

    static ParityReport checkLm(Gpu gpu, Path file, Tolerance tolerance) throws IOException {
        ParityFile pf = ParityFile.open(file, LmParity.KIND);
        SafeTensors.Contents c = pf.contents();
        ModelConfig model = new ModelConfig(pf.intKey("vocab_size"), pf.intKey("n_layers"), pf.intKey("d_ff"),
                pf.intKey("seq_len"), pf.doubleKey("ln_eps"), pf.attentionConfig());
        int b = pf.intKey("batch"), t = model.seqLen();
        long n = (long) b * t;
        List<TensorError> errors = new ArrayList<>(checkLm(gpu, file, c, model, b, t, n, ""));
        // the LM head a block of rows at a time, as a batch whose logits outgrow mosa.cuda.logits.max-mib runs
        // it: blocks that do not divide the rows, so the last is short
        long rows = Math.max(1, n / 3 - 1);
        if (rows < n) errors.addAll(checkLm(gpu, file, c, model, b, t, rows, "logits in blocks of " + rows + " rows: "));
        return new ParityReport(file, LmParity.KIND, dataType(gpu.precision()), tolerance, errors);
    }

    private static List<TensorError> checkLm(Gpu gpu, Path file, SafeTensors.Contents c, ModelConfig model, int b, int t,
                                             long logitRows, String label) {
        try (LanguageModelGpu lm = new LanguageModelGpu(gpu, model, b, t, logitRows)) {
            for (Map.Entry<String, long[]> e : lm.shapes().entrySet()) {
                lm.params().get(e.getKey()).upload(expect(c, "param." + e.getKey(), e.getValue()));
            }
            long[] tokShape = {b, t + 1L};
            int[] tokens = Arrays.stream(c.require("tokens").toLongs()).mapToInt(Math::toIntExact).toArray();
            if (tokens.length != b * (t + 1)) {
                throw new IllegalArgumentException(file + ": tensor 'tokens' has " + tokens.length + " entries, expected "
                        + Arrays.toString(tokShape));
            }
            double[][] logits = new double[1][];
            double loss = lm.forward(tokens, logits);
            lm.backward();
            gpu.synchronize();
            List<TensorError> errors = new ArrayList<>();
            long[] logitShape = {b, t, model.vocabSize()};
            errors.add(TensorError.compare(label + "expected_logits", logits[0], expect(c, "expected_logits", logitShape), logitShape));
            errors.add(TensorError.compare(label + "expected_loss", new double[]{loss}, expect(c, "expected_loss", new long[]{1}),
                    new long[]{1}));
            for (Map.Entry<String, long[]> e : lm.shapes().entrySet()) {
                String name = "grad." + e.getKey();
                errors.add(TensorError.compare(label + name, lm.grads().get(e.getKey()).download(), expect(c, name, e.getValue()),
                        e.getValue()));
            }
            return errors;
        }
    }

    /** The named tensor's values, refused with the file and name unless it has exactly {@code shape}. */
    private static double[] expect(SafeTensors.Contents c, String name, long[] shape) {
        SafeTensors.Tensor t = c.require(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(c.source() + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t.toDoubles();
    }
}
