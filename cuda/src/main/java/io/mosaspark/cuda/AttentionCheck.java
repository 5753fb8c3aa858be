package io.mosaspark.cuda;

import io.mosaspark.model.parity.TensorError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fused attention kernels held against the materialised path on a GPU: for each case (N heads, L
 * rows, head dim) the same random q, k, v and dO go through {@link CausalAttention} in float64 (the
 * reference) and through both implementations in the training precision; each output's largest error,
 * relative to the reference tensor's largest magnitude, and the forward and forward + backward times.
 * {@code CudaMain attention} prints it as JSON; it passes when every fused error is within the
 * precision's parity tolerance ({@link #tolerance}).
 */
final class AttentionCheck {
    private static final String[] TENSORS = {"o", "dq", "dk", "dv"};

    record Case(int n, int l, int hd) {
        static Case parse(String s) {
            String[] p = s.split("x");
            if (p.length != 3) throw new IllegalArgumentException("case '" + s + "': write NxLxHD, e.g. 72x1024x64");
            return new Case(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }
    }

    private AttentionCheck() {
    }

    /**
     * The largest error a fused output may have, as a share of the reference tensor's largest magnitude:
     * the precision's parity tolerance ({@link CudaParity#tolerance}; TF32 5e-3, BF16 4e-2), and for
     * float64 its absolute 1e-9, the random inputs being of unit scale.
     */
    static double tolerance(Precision precision) {
        var t = CudaParity.tolerance(precision);
        return t.rel() > 0 ? t.rel() : t.abs();
    }

    static Map<String, Object> run(Gpu reference, Gpu gpu, List<Case> cases, int repeats, double tolerance) {
        List<Map<String, Object>> results = new ArrayList<>();
        boolean passed = true;
        for (Case c : cases) {
            Map<String, Object> r = check(reference, gpu, c, repeats, tolerance);
            passed &= (Boolean) r.get("passed");
            results.add(r);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("precision", gpu.precision().name().toLowerCase(java.util.Locale.ROOT));
        doc.put("compute_capability", gpu.computeCapability());
        doc.put("tolerance_rel_to_max", tolerance);
        doc.put("passed", passed);
        doc.put("cases", results);
        return doc;
    }

    private static Map<String, Object> check(Gpu reference, Gpu gpu, Case c, int repeats, double tolerance) {
        long heads = (long) c.n * c.l * c.hd;
        SplittableRandom rnd = new SplittableRandom(17L * c.n + 31L * c.l + c.hd);
        double[][] inputs = new double[4][];  // q, k, v, dO
        for (int i = 0; i < 4; i++) {
            inputs[i] = new double[Math.toIntExact(heads)];
            for (int j = 0; j < inputs[i].length; j++) inputs[i][j] = StepBench.gaussian(rnd);
        }
        double[][] want = measure(reference, c, inputs, 1, FlashAttention.Kind.MATERIALISED).outputs;
        Run fused = measure(gpu, c, inputs, repeats, FlashAttention.Kind.FUSED);
        Run mat = measure(gpu, c, inputs, repeats, FlashAttention.Kind.MATERIALISED);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("n", c.n);
        r.put("l", c.l);
        r.put("head_dim", c.hd);
        boolean ok = true;
        Map<String, Object> errFused = new LinkedHashMap<>(), errMat = new LinkedHashMap<>();
        long[] shape = {c.n, c.l, c.hd};
        for (int i = 0; i < TENSORS.length; i++) {
            // max |got − want| / max |want|: the error on the scale of the tensor
            double ef = TensorError.compare(TENSORS[i], fused.outputs[i], want[i], shape).maxRel();
            double em = TensorError.compare(TENSORS[i], mat.outputs[i], want[i], shape).maxRel();
            errFused.put(TENSORS[i], ef);
            errMat.put(TENSORS[i], em);
            ok &= ef <= tolerance;
        }
        r.put("error_fused", errFused);
        r.put("error_materialised", errMat);
        r.put("fused_forward_ms", fused.forwardMs);
        r.put("fused_forward_backward_ms", fused.totalMs);
        r.put("materialised_forward_ms", mat.forwardMs);
        r.put("materialised_forward_backward_ms", mat.totalMs);
        r.put("speedup_forward_backward", mat.totalMs / fused.totalMs);
        r.put("fused_scratch_bytes", fused.scratchBytes);
        r.put("materialised_scratch_bytes", mat.scratchBytes);
        r.put("passed", ok);
        return r;
    }

    private record Run(double[][] outputs, double forwardMs, double totalMs, long scratchBytes) {
    }

    /**
     * One implementation on one case: what it keeps between forward and backward (fused: o's log-sum-exp
     * and the backward's D, [N, L] each; materialised: the probabilities and their gradient, [N, L, L]
     * each), its outputs and its times.
     */
    private static Run measure(Gpu gpu, Case c, double[][] in, int repeats, FlashAttention.Kind kind) {
        long heads = (long) c.n * c.l * c.hd;
        long scratch = kind == FlashAttention.Kind.FUSED ? (long) c.n * c.l : (long) c.n * c.l * c.l;
        List<DeviceArray> all = new ArrayList<>();
        DeviceArray[] x = upload(gpu, in, all);
        DeviceArray o = track(gpu.alloc(heads), all), s1 = track(gpu.alloc(scratch), all), s2 = track(gpu.alloc(scratch), all);
        DeviceArray dq = track(gpu.alloc(heads), all), dk = track(gpu.alloc(heads), all), dv = track(gpu.alloc(heads), all);
        try {
            Runnable fwd, bwd;
            if (kind == FlashAttention.Kind.FUSED) {
                fwd = () -> FlashAttention.forward(gpu, c.n, c.l, c.hd, x[0], x[1], x[2], o, s1);
                bwd = () -> FlashAttention.backward(gpu, c.n, c.l, c.hd, x[0], x[1], x[2], o, s1, x[3], s2, dq, dk, dv);
            } else {
                fwd = () -> CausalAttention.forward(gpu, c.n, c.l, c.hd, x[0], x[1], x[2], s1, o);
                bwd = () -> CausalAttention.backward(gpu, c.n, c.l, c.hd, x[0], x[1], x[2], s1, x[3], s2, dq, dk, dv);
            }
            double[] ms = time(gpu, fwd, bwd, repeats);
            return new Run(new double[][]{o.download(), dq.download(), dk.download(), dv.download()}, ms[0], ms[1],
                    scratch * gpu.precision().bytes());
        } finally {
            all.forEach(DeviceArray::free);
        }
    }

    /** Median milliseconds of forward, and of forward then backward, over {@code repeats} after one warm-up. */
    private static double[] time(Gpu gpu, Runnable fwd, Runnable bwd, int repeats) {
        fwd.run();
        bwd.run();
        gpu.synchronize();
        double[] f = new double[repeats], t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            fwd.run();
            gpu.synchronize();
            long t1 = System.nanoTime();
            bwd.run();
            gpu.synchronize();
            long t2 = System.nanoTime();
            f[i] = (t1 - t0) / 1e6;
            t[i] = (t2 - t0) / 1e6;
        }
        java.util.Arrays.sort(f);
        java.util.Arrays.sort(t);
        return new double[]{f[repeats / 2], t[repeats / 2]};
    }

    private static DeviceArray[] upload(Gpu gpu, double[][] in, List<DeviceArray> all) {
        DeviceArray[] x = new DeviceArray[in.length];
        for (int i = 0; i < in.length; i++) {
            x[i] = track(gpu.alloc(in[i].length), all);
            x[i].upload(in[i]);
        }
        return x;
    }

    private static DeviceArray track(DeviceArray a, List<DeviceArray> all) {
        all.add(a);
        return a;
    }
}
