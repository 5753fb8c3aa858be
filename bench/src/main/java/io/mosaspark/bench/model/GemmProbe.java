package io.mosaspark.bench.model;

import io.mosaspark.bench.harness.Timing;
import io.mosaspark.model.nn.BatchedGemm;
import io.mosaspark.model.nn.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float32 matrix-multiply rate ND4J (OpenBLAS sgemm) reaches on this machine for given shapes:
 * the ceiling that model FLOPs utilisation is quoted against. The output is preallocated so that
 * only the multiply is timed.
 *
 * <p>It times {@link Gemm#into} ({@code Nd4j.gemm}), the path the model's layers use, and not
 * {@code INDArray.mmuli(b, c)}: in ND4J 1.0.0-M2.1 that legacy path computes into a fresh f-order
 * temporary and copies it into {@code c}, reaching 15-22 GFLOP/s on the model's k = 64 shapes where
 * {@code Nd4j.gemm} reaches ~90-100 on one thread. A ceiling measured on the slow path inflated the
 * reported MFU about 5-fold.
 */
final class GemmProbe {

    static final String NAME = "gemm";

    /** Short products are repeated within one sample until it lasts this long (CPU time resolution). */
    static final double MIN_SAMPLE_S = 0.25;

    /**
     * {@code batch} products [m, k] · [k, n] (batch 0 or 1: a single one); {@code what} says where the
     * model uses it. Batched ones go through {@link BatchedGemm}, as the attention heads' do.
     */
    record Shape(String what, long batch, long m, long k, long n) {
        Shape {
            if (batch == 0) batch = 1;
            if (batch < 1 || m < 1 || k < 1 || n < 1) throw new IllegalArgumentException("gemm shape " + what + ": sizes must be >= 1");
        }

        long flops() {
            return 2 * batch * m * k * n;
        }
    }

    record Spec(List<Shape> shapes, int warmup, int repeats) {
    }

    /** Names the timed call in the output, so that a result says which ND4J path its rate belongs to. */
    static final String PATH = "io.mosaspark.model.nn.Gemm.into (Nd4j.gemm, row-major output); batched: nn.BatchedGemm";

    private GemmProbe() {
    }

    /** The timed work: a · b written into {@code c} ([m, k] · [k, n] → [m, n], or batches of them) as the model's layers do it. */
    static Runnable product(INDArray a, INDArray b, INDArray c) {
        return a.rank() == 3 ? () -> BatchedGemm.into(a, false, b, false, c) : () -> Gemm.into(a, false, b, false, c);
    }

    private static long[] dims(long batch, long rows, long cols) {
        return batch == 1 ? new long[]{rows, cols} : new long[]{batch, rows, cols};
    }

    static Map<String, Object> run(String json) {
        Spec spec = Probe.parse(json, Spec.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        double totalFlops = 0;
        double totalSeconds = 0;
        double totalCpuSeconds = 0;
        double best = 0;
        for (Shape s : spec.shapes()) {
            INDArray a = Nd4j.rand(DataType.FLOAT, dims(s.batch(), s.m(), s.k()));
            INDArray b = Nd4j.rand(DataType.FLOAT, dims(s.batch(), s.k(), s.n()));
            INDArray c = Nd4j.create(DataType.FLOAT, dims(s.batch(), s.m(), s.n()));
            Timing t = Timing.measure(spec.warmup(), spec.repeats(), MIN_SAMPLE_S, product(a, b, c));
            double gflops = s.flops() / t.median() / 1e9;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("what", s.what());
            row.put("batch", s.batch());
            row.put("m", s.m());
            row.put("k", s.k());
            row.put("n", s.n());
            row.put("gflops_per_s", gflops);
            row.put("gflops_per_cpu_s", s.flops() / t.cpuMedian() / 1e9);
            row.putAll(t.fields("gemm"));
            rows.add(row);
            totalFlops += s.flops();
            totalSeconds += t.median();
            totalCpuSeconds += t.cpuMedian();
            best = Math.max(best, gflops);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        // total FLOPs / total time: the rate of the model's own GEMM mix, each shape run once
        out.put("gflops_per_s_mix", totalFlops / totalSeconds / 1e9);
        out.put("gflops_per_cpu_s_mix", totalFlops / totalCpuSeconds / 1e9);
        out.put("gflops_per_s_best", best);
        out.put("gemm_path", PATH);
        out.put("shapes", rows);
        return out;
    }
}
