package io.mosaspark.model.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batched matrix products out[i] = op(a[i])·op(b[i]) of rank-3 arrays, as one BLAS gemm call per
 * matrix of the batch, straight into OpenBLAS (the library ND4J's CPU backend itself links).
 *
 * <p>Hand-written because ND4J 1.0.0-M2.1's batched {@code matmul} is slow for the many small
 * matrices of attention heads: 4× slower for cpu-demo's sparse heads ([400, 16, 16] products: 472 µs
 * against 117 µs here) and ~1.2× for the dense heads' [64, 128, 128]·[64, 128, 16]. OpenBLAS 0.3.21
 * has no batched gemm, so a loop of gemm calls is what a batched gemm is on this BLAS; PyTorch's
 * CPU {@code bmm} does the same. The loop is over the matrices of one product, never over layers'
 * heads in the model code.
 *
 * <p>Used when both operands hold row-major matrices (unit column stride, any row and batch stride)
 * of FLOAT or DOUBLE on the CPU backend; anything else goes to {@code Nd4j.matmul}, with the same
 * result.
 */
public final class BatchedGemm {

    private static final boolean CPU_BACKEND = Nd4j.getBackend().getClass().getName().contains("nativecpu");

    private BatchedGemm() {
    }

    /** op(a[i])·op(b[i]) for every i, into a new row-major [batch, rows, cols] array. */
    public static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        requireRank3(a, b);
        long rows = transposeA ? a.size(2) : a.size(1);
        long cols = transposeB ? b.size(1) : b.size(2);
        return into(a, transposeA, b, transposeB, Nd4j.createUninitialized(a.dataType(), a.size(0), rows, cols));
    }

    /** op(a[i])·op(b[i]) written into {@code out} [batch, rows, cols], which is returned. */
    public static INDArray into(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray out) {
        requireRank3(a, b);
        long mark = GemmClock.mark();
        INDArray result = multiply(a, transposeA, b, transposeB, out);
        GemmClock.record(mark, out.size(0), out.size(1), transposeA ? a.size(1) : a.size(2), out.size(2));
        return result;
    }

    private static INDArray multiply(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray out) {
        if (!CPU_BACKEND || !blasLayout(a) || !blasLayout(b) || !blasLayout(out)
                || a.dataType() != b.dataType() || a.dataType() != out.dataType()
                || (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE)) {
            return Nd4j.matmul(a, b, out, transposeA, transposeB, false);
        }
        long batch = a.size(0);
        int m = (int) (transposeA ? a.size(2) : a.size(1));
        int k = (int) (transposeA ? a.size(1) : a.size(2));
        int kb = (int) (transposeB ? b.size(2) : b.size(1));
        int n = (int) (transposeB ? b.size(1) : b.size(2));
        if (b.size(0) != batch || kb != k || out.size(0) != batch || out.size(1) != m || out.size(2) != n) {
            throw new IllegalArgumentException("batched product: op(a) " + batch + "×" + m + "×" + k + " and op(b) "
                    + b.size(0) + "×" + kb + "×" + n + " do not give out " + java.util.Arrays.toString(out.shape()));
        }
        int ta = transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int lda = leading(a), ldb = leading(b), ldc = leading(out);
        // the buffers' address pointers already include a view's offset
        if (a.dataType() == DataType.FLOAT) {
            FloatPointer pa = new FloatPointer(a.data().addressPointer());
            FloatPointer pb = new FloatPointer(b.data().addressPointer());
            FloatPointer pc = new FloatPointer(out.data().addressPointer());
            for (long i = 0; i < batch; i++) {
                pa.position(i * a.stride(0));
                pb.position(i * b.stride(0));
                pc.position(i * out.stride(0));
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
            }
        } else {
            DoublePointer pa = new DoublePointer(a.data().addressPointer());
            DoublePointer pb = new DoublePointer(b.data().addressPointer());
            DoublePointer pc = new DoublePointer(out.data().addressPointer());
            for (long i = 0; i < batch; i++) {
                pa.position(i * a.stride(0));
                pb.position(i * b.stride(0));
                pc.position(i * out.stride(0));
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1.0, pa, lda, pb, ldb, 0.0, pc, ldc);
            }
        }
        return out;
    }

    /** Each matrix row-major: unit stride along its rows' elements, rows at least a row apart. */
    private static boolean blasLayout(INDArray x) {
        long cols = x.size(2);
        return x.rank() == 3 && (x.stride(2) == 1 || cols == 1) && leading(x) >= Math.max(1, cols)
                && leading(x) < Integer.MAX_VALUE && x.length() > 0;
    }

    /** The row stride BLAS sees (lda): the stride of axis 1, or the row length when there is one row. */
    private static int leading(INDArray x) {
        return (int) (x.size(1) == 1 ? Math.max(1, x.size(2)) : x.stride(1));
    }

    private static void requireRank3(INDArray a, INDArray b) {
        if (a.rank() != 3 || b.rank() != 3) {
            throw new IllegalArgumentException("batched product needs rank-3 operands, got " + java.util.Arrays.toString(a.shape())
                    + " and " + java.util.Arrays.toString(b.shape()));
        }
    }
}
