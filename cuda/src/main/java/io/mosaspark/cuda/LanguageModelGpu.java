package io.mosaspark.cuda;

import io.mosaspark.model.config.ModelConfig;
import io.mosaspark.model.lm.LmNames;
import io.mosaspark.model.lm.LmParamShapes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole MoSA language model (docs/model.md, "The language model") on one GPU for batches of B
 * sequences of T tokens: forward to the mean next-token loss, backward to every parameter's gradient.
 *
 * <p>Parameters live in one flat device buffer in the DL4J graph's order ({@link LmParamShapes}), each a
 * view under its canonical name; gradients likewise. So the optimizer and the global-norm clipping run
 * over one buffer, and a checkpoint is a plain copy under the same names the ND4J backend writes.
 */
public final class LanguageModelGpu implements AutoCloseable {
    private final Gpu gpu;
    private final ModelConfig cfg;
    private final int b, t, h, ff, v, layers;
    private final long n;
    private final Workspace ws;
    private final Map<String, long[]> shapes;
    private final DeviceArray flatParams, flatGrads;
    private final Map<String, DeviceArray> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
    private final List<HybridAttentionGpu> attention = new ArrayList<>();
    private final DeviceArray nanFlag;

    // activations kept for backward
    private final DeviceArray[] x;                         // residual stream at each block's input, and the last output
    private final DeviceArray[] x1, u, mean1, rstd1, v2, mean2, rstd2, a, gl;
    private final DeviceArray xf, meanF, rstdF, inputs, targets;
    private final LmHeadLossGpu head;
    private int counted;

    public LanguageModelGpu(Gpu gpu, ModelConfig cfg, int batch, int seqLen) {
        this(gpu, cfg, batch, seqLen, LmHeadLossGpu.rowsWithin(gpu.precision(), (long) batch * seqLen, cfg.vocabSize()));
    }

    /** With the LM head's logits made {@code logitRows} rows at a time ({@link LmHeadLossGpu}). */
    LanguageModelGpu(Gpu gpu, ModelConfig cfg, int batch, int seqLen, long logitRows) {
        this.gpu = gpu;
        this.cfg = cfg;
        this.b = batch;
        this.t = seqLen;
        this.h = cfg.dModel();
        this.ff = cfg.dFf();
        this.v = cfg.vocabSize();
        this.layers = cfg.nLayers();
        this.n = (long) batch * seqLen;
        this.ws = new Workspace(gpu);
        this.shapes = LmParamShapes.of(cfg);
        long total = shapes.values().stream().mapToLong(LmParamShapes::size).sum();
        flatParams = gpu.allocOperand(total);
        flatGrads = gpu.alloc(total);
        long off = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long size = LmParamShapes.size(e.getValue());
            params.put(e.getKey(), flatParams.view(off, size));
            grads.put(e.getKey(), flatGrads.view(off, size));
            off += size;
        }
        nanFlag = gpu.allocInts(1);
        nanFlag.zero();
        x = new DeviceArray[layers + 1];
        x1 = new DeviceArray[layers];
        u = new DeviceArray[layers];
        mean1 = new DeviceArray[layers];
        rstd1 = new DeviceArray[layers];
        v2 = new DeviceArray[layers];
        mean2 = new DeviceArray[layers];
        rstd2 = new DeviceArray[layers];
        a = new DeviceArray[layers];
        gl = new DeviceArray[layers];
        for (int i = 0; i <= layers; i++) x[i] = gpu.alloc(n * h);
        for (int i = 0; i < layers; i++) {
            x1[i] = gpu.alloc(n * h);
            // the layer norms' and GELU's outputs are read only by products (forward and weight gradients)
            u[i] = gpu.allocProductOnlyOperand(n * h);
            v2[i] = gpu.allocProductOnlyOperand(n * h);
            mean1[i] = gpu.alloc(n);
            rstd1[i] = gpu.alloc(n);
            mean2[i] = gpu.alloc(n);
            rstd2[i] = gpu.alloc(n);
            a[i] = gpu.alloc(n * ff);
            gl[i] = gpu.allocProductOnlyOperand(n * ff);
            attention.add(new HybridAttentionGpu(gpu, ws, cfg.attention(), batch, seqLen, blockParams(params, i),
                    blockParams(grads, i), nanFlag));
        }
        xf = gpu.allocProductOnlyOperand(n * h);
        meanF = gpu.alloc(n);
        rstdF = gpu.alloc(n);
        head = new LmHeadLossGpu(gpu, n, h, v, logitRows);
        inputs = gpu.allocInts(n);
        targets = gpu.allocInts(n);
    }

    private static Map<String, DeviceArray> blockParams(Map<String, DeviceArray> all, int block) {
        String prefix = "blocks." + block + ".attn.";
        Map<String, DeviceArray> m = new LinkedHashMap<>();
        all.forEach((name, arr) -> {
            if (name.startsWith(prefix)) m.put(name.substring(prefix.length()), arr);
        });
        return m;
    }

    public ModelConfig config() {
        return cfg;
    }

    /** Canonical name → shape, in the flat buffer's order. */
    public Map<String, long[]> shapes() {
        return shapes;
    }

    public Map<String, DeviceArray> params() {
        return params;
    }

    public Map<String, DeviceArray> grads() {
        return grads;
    }

    public DeviceArray flatParams() {
        return flatParams;
    }

    public DeviceArray flatGrads() {
        return flatGrads;
    }

    /** How the heads' attention runs, dense and sparse: {@code fused} or {@code materialised} (the same in every block). */
    public String attentionKind() {
        return attention.isEmpty() ? "none" : attention.get(0).attentionKind().name().toLowerCase(java.util.Locale.ROOT);
    }

    public long numParams() {
        return flatParams.length();
    }

    /** Rows of logits the LM head makes at a time (B·T when they fit {@code mosa.cuda.logits.max-mib}). */
    public long logitRowsPerBlock() {
        return head.rowsPerBlock();
    }

    /**
     * Runs the model on {@code tokens} [B, T+1] (row-major: inputs are columns 0…T−1, targets 1…T; a
     * target of −1 is ignored) and returns the mean loss over the counted positions. It clears the
     * gradients and writes the LM head's, which {@link LmHeadLossGpu} computes with the loss; {@link #backward}
     * writes the rest. {@code logitsOut}, if not null, receives the logits.
     */
    public double forward(int[] tokens, double[][] logitsOut) {
        load(tokens);
        launchForward(logitsOut);
        return loss();
    }

    /**
     * Checks {@code tokens} and uploads them as the next forward's inputs and targets; returns how many
     * targets count (the loss's divisor, which the launches of {@link #launchForward} carry).
     */
    int load(int[] tokens) {
        if (tokens.length != b * (t + 1)) {
            throw new IllegalArgumentException(tokens.length + " tokens for a batch of " + b + " x (" + t + " + 1)");
        }
        int[] in = new int[(int) n], tg = new int[(int) n];
        counted = 0;
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < t; i++) {
                int tok = tokens[s * (t + 1) + i];
                if (tok < 0 || tok >= v) {
                    throw new IllegalArgumentException("input token " + tok + " at [" + s + ", " + i + "] is outside the vocabulary [0, " + v + ")");
                }
                in[s * t + i] = tok;
                int target = tokens[s * (t + 1) + i + 1];
                if (target >= v || target < -1) {
                    throw new IllegalArgumentException("target " + target + " at [" + s + ", " + (i + 1) + "] is outside [-1, " + v + ")");
                }
                tg[s * t + i] = target;
                if (target >= 0) counted++;
            }
        }
        inputs.uploadInts(in);
        targets.uploadInts(tg);
        return counted;
    }

    /**
     * The forward pass's launches on the loaded tokens, up to the loss rows, the LM head's weight gradient
     * and the gradient of the final layer norm's output. With {@code logitsOut} null and no router logits
     * kept, it neither copies to the host nor waits, so it can be captured into a graph.
     */
    void launchForward(double[][] logitsOut) {
        int nr = (int) n;
        int normBlock = Math.min(256, Math.max(32, (h + 31) / 32 * 32));
        flatGrads.zero();
        // BF16: the weights' twin, once a step for every writer of the parameters (uploads, the optimizer)
        gpu.refreshRounded(flatParams);
        gpu.launch("embedding_fwd", nr, 128, 0, inputs, params.get("tok_emb.weight"), x[0], nr, h);
        for (int i = 0; i < layers; i++) {
            gpu.launch("layernorm_fwd", nr, normBlock, 0, x[i], p(LmNames.ln1(i), "weight"), p(LmNames.ln1(i), "bias"), u[i],
                    u[i].rounded(), mean1[i], rstd1[i], nr, h, Gpu.real(cfg.lnEps()));
            x1[i].zero();
            attention.get(i).forward(u[i], x1[i]);
            gpu.launch("add_inplace", gpu.blocksFor(n * h), Gpu.BLOCK, 0, x1[i], x[i], n * h);
            gpu.launch("layernorm_fwd", nr, normBlock, 0, x1[i], p(LmNames.ln2(i), "weight"), p(LmNames.ln2(i), "bias"), v2[i],
                    v2[i].rounded(), mean2[i], rstd2[i], nr, h, Gpu.real(cfg.lnEps()));
            gpu.gemm(false, true, nr, ff, h, 1, v2[i], h, p(LmNames.mlp(i), "fc1.weight"), h, 0, a[i], ff);
            gpu.launch("gelu_fwd", gpu.blocksFor(n * ff), Gpu.BLOCK, 0, a[i], gl[i], gl[i].rounded(), n * ff);
            gpu.gemm(false, true, nr, h, ff, 1, gl[i], ff, p(LmNames.mlp(i), "fc2.weight"), ff, 0, x[i + 1], h);
            gpu.launch("add_inplace", gpu.blocksFor(n * h), Gpu.BLOCK, 0, x[i + 1], x1[i], n * h);
        }
        gpu.launch("layernorm_fwd", nr, normBlock, 0, x[layers], params.get("ln_f.weight"), params.get("ln_f.bias"), xf,
                xf.rounded(), meanF, rstdF, nr, h, Gpu.real(cfg.lnEps()));
        head.launch(xf, params.get("lm_head.weight"), targets, counted, grads.get("lm_head.weight"), ws.get("lm.dxf", n * h),
                logitsOut);
    }

    /** The last forward's mean loss (waits for it); refuses a diverged router. */
    double loss() {
        if (nanFlag.downloadInts()[0] != 0) {
            throw new IllegalStateException("a MoSA router logit is NaN: training has diverged (lower the learning rate "
                    + "or enable gradient clipping)");
        }
        return head.meanLoss(counted);
    }

    /** Whether a forward copies router logits to the host (then it cannot be captured). */
    boolean keepsRouterLogits() {
        return attention.stream().anyMatch(HybridAttentionGpu::keepsRouterLogits);
    }

    /**
     * The gradient of the last forward's mean loss into {@link #grads()}, from the gradient of the final
     * layer norm's output that the forward left (the LM head's own gradient is the forward's).
     */
    public void backward() {
        int nr = (int) n;
        DeviceArray dxf = ws.get("lm.dxf", n * h);
        DeviceArray dx = ws.getOperand("lm.dx", n * h);
        dx.zero();
        layerNormBackward(x[layers], params.get("ln_f.weight"), meanF, rstdF, dxf, dx, grads.get("ln_f.weight"),
                grads.get("ln_f.bias"));
        DeviceArray dgl = ws.getOperand("lm.dff", n * ff), dv2 = ws.get("lm.dv2", n * h), du = ws.get("lm.du", n * h);
        for (int i = layers - 1; i >= 0; i--) {
            gpu.gemm(true, false, h, ff, nr, 1, dx, h, gl[i], ff, 0, g(LmNames.mlp(i), "fc2.weight"), ff);
            gpu.gemm(false, false, nr, ff, h, 1, dx, h, p(LmNames.mlp(i), "fc2.weight"), ff, 0, dgl, ff);
            gpu.launch("gelu_bwd", gpu.blocksFor(n * ff), Gpu.BLOCK, 0, a[i], dgl, dgl, dgl.rounded(), n * ff);
            gpu.gemm(true, false, ff, h, nr, 1, dgl, ff, v2[i], h, 0, g(LmNames.mlp(i), "fc1.weight"), h);
            gpu.gemm(false, false, nr, h, ff, 1, dgl, ff, p(LmNames.mlp(i), "fc1.weight"), h, 0, dv2, h);
            // dx becomes d(x1): the residual's gradient plus LN2's
            layerNormBackward(x1[i], p(LmNames.ln2(i), "weight"), mean2[i], rstd2[i], dv2, dx, g(LmNames.ln2(i), "weight"),
                    g(LmNames.ln2(i), "bias"));
            du.zero();
            attention.get(i).backward(dx, du);
            // dx becomes d(x_i)
            layerNormBackward(x[i], p(LmNames.ln1(i), "weight"), mean1[i], rstd1[i], du, dx, g(LmNames.ln1(i), "weight"),
                    g(LmNames.ln1(i), "bias"));
        }
        gpu.launch("embedding_bwd", nr, 128, 0, inputs, dx, grads.get("tok_emb.weight"), nr, h);
    }

    private void layerNormBackward(DeviceArray xIn, DeviceArray gain, DeviceArray mean, DeviceArray rstd, DeviceArray dy,
                                   DeviceArray dx, DeviceArray dGain, DeviceArray dBias) {
        int nr = (int) n;
        int normBlock = Math.min(256, Math.max(32, (h + 31) / 32 * 32));
        gpu.launch("layernorm_bwd_input", nr, normBlock, 0, xIn, gain, mean, rstd, dy, dx, dx.rounded(), nr, h);
        int rowsPerChunk = 64;
        int chunks = (nr + rowsPerChunk - 1) / rowsPerChunk;
        gpu.launch2d("layernorm_bwd_params", (h + 127) / 128, chunks, 128, 0, xIn, mean, rstd, dy, dGain, dBias, nr, h,
                rowsPerChunk);
    }

    /** Whether the next forward passes keep every block's router logits for {@link #routerLogits}. */
    public void keepRouterLogits(boolean keep) {
        attention.forEach(a -> a.keepRouterLogits(keep));
    }

    /** [B·T, Hm] router logits of block {@code block} from the last forward that kept them, or null. */
    public double[] routerLogits(int block) {
        return attention.get(block).routerLogits();
    }

    /** Selected positions [B, Hm, k] of block {@code i}'s sparse heads after the last forward. */
    public int[] selectedIndices(int block) {
        return attention.get(block).selectedIndices().downloadInts();
    }

    private DeviceArray p(String vertex, String key) {
        return params.get(LmNames.canonical(vertex, key));
    }

    private DeviceArray g(String vertex, String key) {
        return grads.get(LmNames.canonical(vertex, key));
    }

    @Override
    public void close() {
        attention.forEach(HybridAttentionGpu::free);
        ws.free();
        for (DeviceArray[] arr : new DeviceArray[][]{x, x1, u, mean1, rstd1, v2, mean2, rstd2, a, gl}) {
            for (DeviceArray d : arr) d.free();
        }
        head.free();
        for (DeviceArray d : new DeviceArray[]{xf, meanF, rstdF, inputs, targets, flatParams, flatGrads, nanFlag}) {
            d.free();
        }
    }
}
