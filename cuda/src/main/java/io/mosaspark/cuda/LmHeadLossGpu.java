package io.mosaspark.cuda;

/**
 * The LM head and its loss, a block of rows at a time: for each block, the logits (the final layer norm's
 * output times the head's weight), the softmax cross-entropy (in place: the logits become their gradient),
 * then at once the head's weight gradient (accumulated over the blocks) and the gradient of the layer
 * norm's output. Only one block's logits exist at a time.
 *
 * <p>Why blocks: the logits are the largest activation a language model has, B·T·V values (plus their
 * bfloat16 twin in BF16): 375 MiB for Tiny at B = 8 with V = 8,000, 2.3 GiB at V = 50,257. A block holds
 * at most {@code mosa.cuda.logits.max-mib} (default 512) MiB; a batch whose logits fit is one block, the
 * same products as an unblocked head. Computing the head's gradients with the loss is what lets a block's
 * logits go before the next block's are made.
 */
final class LmHeadLossGpu {
    static final String MAX_MIB_PROPERTY = "mosa.cuda.logits.max-mib";
    private static final long DEFAULT_MAX_MIB = 512;

    private final Gpu gpu;
    private final long n;
    private final int h, v;
    private final long rows;
    private final DeviceArray logits, rowLoss;

    /** For {@code n} rows of width {@code h} and a vocabulary of {@code v}, {@code rows} rows a block. */
    LmHeadLossGpu(Gpu gpu, long n, int h, int v, long rows) {
        if (rows < 1) throw new IllegalArgumentException("a block of " + rows + " rows");
        this.gpu = gpu;
        this.n = n;
        this.h = h;
        this.v = v;
        this.rows = Math.min(rows, n);
        this.logits = gpu.allocOperand(this.rows * v);   // its twin: the gradient, which both products read
        this.rowLoss = gpu.alloc(n);
    }

    /** Rows a block holds under {@code mosa.cuda.logits.max-mib}: every row when they fit. */
    static long rowsWithin(Precision precision, long n, int v) {
        String set = System.getProperty(MAX_MIB_PROPERTY, Long.toString(DEFAULT_MAX_MIB)).trim();
        long mib;
        try {
            mib = Long.parseLong(set);
        } catch (NumberFormatException e) {
            mib = -1;
        }
        if (mib < 1) {
            throw new IllegalArgumentException("-D" + MAX_MIB_PROPERTY + "=" + set + ": give the logits' budget in MiB, a whole number ≥ 1");
        }
        long perRow = (long) v * (precision.bytes() + (precision.roundsOperandsToBf16() ? 2 : 0));
        long fit = (mib << 20) / perRow;
        if (fit >= n) return n;
        return fit >= 128 ? fit / 128 * 128 : Math.max(1, fit);   // whole tiles of rows for the products
    }

    long rowsPerBlock() {
        return rows;
    }

    /**
     * For the final layer norm's output {@code xf} [n, h], the head's {@code weight} [V, h] and the
     * {@code targets} (−1: not scored, {@code counted} scored in all): each row's loss into the row losses,
     * the head's weight gradient into {@code dWeight} (overwritten) and the gradient of {@code xf} into
     * {@code dxf}. {@code logitsOut}, if not null, receives every row's logits first (that copy waits for
     * the GPU, so a step that asks for it cannot be captured).
     */
    void launch(DeviceArray xf, DeviceArray weight, DeviceArray targets, int counted, DeviceArray dWeight, DeviceArray dxf,
                double[][] logitsOut) {
        double[] all = logitsOut == null ? null : new double[Math.toIntExact(n * v)];
        Gpu.Real invCount = Gpu.real(counted == 0 ? 0 : 1.0 / counted);
        for (long first = 0; first < n; first += rows) {
            int c = (int) Math.min(rows, n - first);
            DeviceArray x = xf.view(first * h, (long) c * h), block = logits.view(0, (long) c * v);
            gpu.gemm(false, true, c, v, h, 1, x, h, weight, h, 0, block, v);
            if (all != null) System.arraycopy(block.download(), 0, all, Math.toIntExact(first * v), c * v);
            gpu.launch("softmax_xent", c, 256, 0, block, block.rounded(), targets.view(first, c), rowLoss.view(first, c), c, v,
                    invCount);
            gpu.gemm(true, false, v, h, c, 1, block, v, x, h, first == 0 ? 0 : 1, dWeight, h);
            gpu.gemm(false, false, c, h, v, 1, block, v, weight, h, 0, dxf.view(first * h, (long) c * h), h);
        }
        if (logitsOut != null) logitsOut[0] = all;
    }

    /** The mean loss over the scored rows of the last {@link #launch} (waits for it). */
    double meanLoss(int counted) {
        double sum = 0;
        for (double l : rowLoss.download()) sum += l;
        return counted == 0 ? 0 : sum / counted;
    }

    void free() {
        logits.free();
        rowLoss.free();
    }
}
