// The MoSA language model's own kernels (docs/model.md), forward and backward, for the CUDA backend.
// Compiled at run time by NVRTC twice: with -Dreal=double (parity, float64 training) and -Dreal=float.
// Products (projections, q·kᵀ, p·v, the LM head) are not here: they go through cuBLAS.
//
// Layouts (row-major, as the ND4J path and PyTorch store them):
//   activations [B, T, h] = [n, h] rows; dense head tensors [B·Hd, T, h′] (n = b·Hd + e);
//   sparse head tensors [Hm·B, k, h′] (n = m·B + b) so that one head's rows are contiguous for its
//   batched projection; selected positions idx [B, Hm, k] ascending (the parity files' layout).

#ifndef real
#define real float
#endif

typedef long long i64;

#define INFINITY __int_as_float(0x7f800000)

// The two reductions the kernels need, as operations with their identity: one warp and one block
// reduction serve both (Sum for norms, means and softmax denominators; Max for softmax's shift).
struct Sum {
    static __device__ __forceinline__ real identity() { return (real) 0; }
    static __device__ __forceinline__ real apply(real a, real b) { return a + b; }
};

struct Max {
    static __device__ __forceinline__ real identity() { return (real) -INFINITY; }
    static __device__ __forceinline__ real apply(real a, real b) { return max(a, b); }
};

template <class Op>
__device__ __forceinline__ real warp_reduce(real v) {
    for (int o = 16; o > 0; o >>= 1) v = Op::apply(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Over the block (blockDim.x a multiple of 32, at most 1024); every thread gets the result. The first
// barrier keeps a previous call's readers of shared32 ahead of this call's writers.
template <class Op>
__device__ real block_reduce(real v, real* shared32) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    v = warp_reduce<Op>(v);
    __syncthreads();
    if (lane == 0) shared32[warp] = v;
    __syncthreads();
    real t = lane < warps ? shared32[lane] : Op::identity();
    return warp_reduce<Op>(t);
}

__device__ __forceinline__ real warp_sum(real v) { return warp_reduce<Sum>(v); }
__device__ __forceinline__ real warp_max(real v) { return warp_reduce<Max>(v); }
__device__ __forceinline__ real block_sum(real v, real* shared32) { return block_reduce<Sum>(v, shared32); }
__device__ __forceinline__ real block_max(real v, real* shared32) { return block_reduce<Max>(v, shared32); }

// ------------------------------------------------------------------------------------------ elementwise

// float32 → bfloat16 bits, rounded to nearest even (NaN stays NaN): the BF16 precision's product operands.
__device__ __forceinline__ unsigned short bf16_bits(float x) {
    unsigned u = __float_as_uint(x);
    return (u & 0x7fffffffu) > 0x7f800000u ? (unsigned short) ((u >> 16) | 0x40u)
                                           : (unsigned short) ((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

// The bfloat16 twin of a product operand (DeviceArray.rounded(), BF16 precision only): the kernel that
// writes the operand writes its rounding too, so the products read it without a rounding pass of their
// own. Null in every other precision (and always under real = double).
__device__ __forceinline__ void store_twin(unsigned short* twin, i64 i, real v) {
    if (twin) twin[i] = bf16_bits((float) v);
}

// An operand and its twin. An operand that only products read keeps, in BF16, nothing but its twin: its
// full-precision array y is null then (Gpu.allocProductOnlyOperand) and only the twin is written.
__device__ __forceinline__ void store_operand(real* y, unsigned short* y16, i64 i, real v) {
    if (y) y[i] = v;
    store_twin(y16, i, v);
}

extern "C" __global__ void to_bf16(const float* x, unsigned short* y, i64 n) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) y[i] = bf16_bits(x[i]);
}

extern "C" __global__ void add_inplace(real* y, const real* x, i64 n) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) y[i] += x[i];
}

// gelu_tanh(a) = ½·a·(1 + tanh(√(2/π)·(a + 0.044715·a³)))
extern "C" __global__ void gelu_fwd(const real* a, real* y, unsigned short* y16, i64 n) {
    const real c = (real) 0.7978845608028654, c3 = (real) 0.044715;
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        real x = a[i];
        real g = (real) 0.5 * x * ((real) 1 + tanh(c * (x + c3 * x * x * x)));
        store_operand(y, y16, i, g);
    }
}

extern "C" __global__ void gelu_bwd(const real* a, const real* dy, real* da, unsigned short* da16, i64 n) {
    const real c = (real) 0.7978845608028654, c3 = (real) 0.044715;
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        real x = a[i];
        real t = tanh(c * (x + c3 * x * x * x));
        real d = (real) 0.5 * ((real) 1 + t) + (real) 0.5 * x * ((real) 1 - t * t) * c * ((real) 1 + (real) 3 * c3 * x * x);
        store_operand(da, da16, i, dy[i] * d);
    }
}

// ------------------------------------------------------------------------------------------- embedding

extern "C" __global__ void embedding_fwd(const int* tokens, const real* w, real* x, int n, int h) {
    int row = blockIdx.x;
    if (row >= n) return;
    const real* src = w + (i64) tokens[row] * h;
    real* dst = x + (i64) row * h;
    for (int c = threadIdx.x; c < h; c += blockDim.x) dst[c] = src[c];
}

// dW (zeroed by the caller) += dx rows at their tokens; tokens repeat, hence atomics.
extern "C" __global__ void embedding_bwd(const int* tokens, const real* dx, real* dw, int n, int h) {
    int row = blockIdx.x;
    if (row >= n) return;
    real* dst = dw + (i64) tokens[row] * h;
    const real* src = dx + (i64) row * h;
    for (int c = threadIdx.x; c < h; c += blockDim.x) atomicAdd(dst + c, src[c]);
}

// ------------------------------------------------------------------------------------------ layer norm

// One block per row: mean, biased variance (as PyTorch), y = (x − μ)·rstd·g + b. Two passes over the
// row for the variance, so float64 matches the reference to rounding.
extern "C" __global__ void layernorm_fwd(const real* x, const real* g, const real* b, real* y, unsigned short* y16,
                                         real* mean, real* rstd, int n, int h, real eps) {
    __shared__ real s32[32];
    int row = blockIdx.x;
    if (row >= n) return;
    const real* xr = x + (i64) row * h;
    real s = 0;
    for (int c = threadIdx.x; c < h; c += blockDim.x) s += xr[c];
    real mu = block_sum(s, s32) / h;
    real q = 0;
    for (int c = threadIdx.x; c < h; c += blockDim.x) { real d = xr[c] - mu; q += d * d; }
    real var = block_sum(q, s32) / h;
    real r = (real) 1 / sqrt(var + eps);
    for (int c = threadIdx.x; c < h; c += blockDim.x) {
        real yc = (xr[c] - mu) * r * g[c] + b[c];
        store_operand(y, y16, (i64) row * h + c, yc);
    }
    if (threadIdx.x == 0) { mean[row] = mu; rstd[row] = r; }
}

// dx += rstd·(dŷ − mean(dŷ) − x̂·mean(dŷ·x̂)) with dŷ = dy·g: accumulates, because the residual
// stream's gradient is already in dx.
extern "C" __global__ void layernorm_bwd_input(const real* x, const real* g, const real* mean, const real* rstd,
                                               const real* dy, real* dx, unsigned short* dx16, int n, int h) {
    __shared__ real s32[32];
    int row = blockIdx.x;
    if (row >= n) return;
    const real* xr = x + (i64) row * h;
    const real* dyr = dy + (i64) row * h;
    real mu = mean[row], r = rstd[row];
    real a = 0, bsum = 0;
    for (int c = threadIdx.x; c < h; c += blockDim.x) {
        real dh = dyr[c] * g[c];
        a += dh;
        bsum += dh * (xr[c] - mu) * r;
    }
    real ma = block_sum(a, s32) / h;
    real mb = block_sum(bsum, s32) / h;
    real* dxr = dx + (i64) row * h;
    for (int c = threadIdx.x; c < h; c += blockDim.x) {
        real xh = (xr[c] - mu) * r;
        real d = dxr[c] + r * (dyr[c] * g[c] - ma - xh * mb);
        dxr[c] = d;
        store_twin(dx16, (i64) row * h + c, d);
    }
}

// dg = Σ_rows dy·x̂, db = Σ_rows dy; grid (⌈h/blockDim⌉, chunks): each thread sums its column over a
// chunk of rows and adds the partial sum into dg/db (zeroed by the caller).
extern "C" __global__ void layernorm_bwd_params(const real* x, const real* mean, const real* rstd, const real* dy,
                                                real* dg, real* db, int n, int h, int rowsPerChunk) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= h) return;
    int r0 = blockIdx.y * rowsPerChunk, r1 = min(n, r0 + rowsPerChunk);
    real sg = 0, sb = 0;
    for (int row = r0; row < r1; row++) {
        real d = dy[(i64) row * h + c];
        sg += d * (x[(i64) row * h + c] - mean[row]) * rstd[row];
        sb += d;
    }
    atomicAdd(dg + c, sg);
    atomicAdd(db + c, sb);
}

// ---------------------------------------------------------------------------------------------- RoPE

// θ_j = p · base^(−2j/n_rot), computed in double for either precision (the ND4J path's table is double),
// once per layer into cos/sin tables [T, n_rot/2] (rope_table): the split and merge kernels used to
// evaluate pow and sincos in double for every element, which made them compute-bound (about 0.55 ms
// each per Tiny step on an H100) where they only move memory. The tables hold the same rounded values.
extern "C" __global__ void rope_table(real* cosTable, real* sinTable, int T, int nrot, double base) {
    int half = nrot / 2;
    for (int t = blockIdx.x * blockDim.x + threadIdx.x; t < T * half; t += gridDim.x * blockDim.x) {
        int p = t / half, j = t % half;
        double theta = (double) p * pow(base, -2.0 * j / nrot);
        double sv, cv;
        sincos(theta, &sv, &cv);
        cosTable[t] = (real) cv;
        sinTable[t] = (real) sv;
    }
}

// Where head-row (n, i) of a split lives in the projected rows, and its position:
//   dense  (sparse = 0): qkv [B, T, Hd·3h′], head e's q|k|v at columns e·3h′…; N = B·Hd, n = b·Hd + e,
//                        L = T, position p = t.
//   sparse (sparse = 1): qkv [Hm, B, k, 3h′]; N = Hm·B, n = m·B + b, L = k, p = idx[b, m, i].
__device__ __forceinline__ i64 projected_row(int n, int i, const int* idx, int sparse, int B, int heads, int L, int hd, int* p) {
    if (!sparse) {
        int b = n / heads, e = n % heads;
        *p = i;
        return ((i64) b * L + i) * (heads * 3 * hd) + (i64) e * 3 * hd;
    }
    int m = n / B, b = n % B;
    *p = idx[((i64) b * heads + m) * L + i];
    return ((i64) n * L + i) * 3 * hd;
}

// Splits projected rows into per-head q, k, v [N, L, h′] and rotates q and k (rows as projected_row says).
// One thread per (n, i, column): grid-stride over N·L·h′.
extern "C" __global__ void qkv_split(const real* qkv, const int* idx, const real* cosTable, const real* sinTable,
                                     real* q, real* k, real* v, int sparse, int B, int heads, int L, int hd, int nrot) {
    i64 total = (i64) B * heads * L * hd;
    int half = nrot / 2;
    for (i64 t = blockIdx.x * (i64) blockDim.x + threadIdx.x; t < total; t += (i64) gridDim.x * blockDim.x) {
        int c = (int) (t % hd);
        i64 rest = t / hd;
        int i = (int) (rest % L);
        int n = (int) (rest / L);
        int p;
        const real* src = qkv + projected_row(n, i, idx, sparse, B, heads, L, hd, &p);
        i64 o = ((i64) n * L + i) * hd + c;
        v[o] = src[2 * hd + c];
        if (c < nrot) {
            int j = c < half ? c : c - half;
            real cs = cosTable[p * half + j], sn = sinTable[p * half + j];
            if (c < half) {
                q[o] = src[c] * cs - src[c + half] * sn;
                k[o] = src[hd + c] * cs - src[hd + c + half] * sn;
            } else {
                q[o] = src[c] * cs + src[c - half] * sn;
                k[o] = src[hd + c] * cs + src[hd + c - half] * sn;
            }
        } else {
            q[o] = src[c];
            k[o] = src[hd + c];
        }
    }
}

// The transpose of qkv_split: gradients of rotated q, k and of v back into projected rows (rotation
// by −θ), and into their bfloat16 twin when there is one. Every element of dqkv is written exactly once.
extern "C" __global__ void qkv_merge(const real* dq, const real* dk, const real* dv, const int* idx,
                                     const real* cosTable, const real* sinTable, real* dqkv, unsigned short* dqkv16,
                                     int sparse, int B, int heads, int L, int hd, int nrot) {
    i64 total = (i64) B * heads * L * hd;
    int half = nrot / 2;
    for (i64 t = blockIdx.x * (i64) blockDim.x + threadIdx.x; t < total; t += (i64) gridDim.x * blockDim.x) {
        int c = (int) (t % hd);
        i64 rest = t / hd;
        int i = (int) (rest % L);
        int n = (int) (rest / L);
        int p;
        i64 row = projected_row(n, i, idx, sparse, B, heads, L, hd, &p);
        i64 o = ((i64) n * L + i) * hd;
        real gq, gk;
        if (c < nrot) {
            int j = c < half ? c : c - half;
            real cs = cosTable[p * half + j], sn = sinTable[p * half + j];
            if (c < half) {
                gq = dq[o + c] * cs + dq[o + c + half] * sn;
                gk = dk[o + c] * cs + dk[o + c + half] * sn;
            } else {
                gq = dq[o + c] * cs - dq[o + c - half] * sn;
                gk = dk[o + c] * cs - dk[o + c - half] * sn;
            }
        } else {
            gq = dq[o + c];
            gk = dk[o + c];
        }
        store_operand(dqkv, dqkv16, row + c, gq);
        store_operand(dqkv, dqkv16, row + hd + c, gk);
        store_operand(dqkv, dqkv16, row + 2 * hd + c, dv[o + c]);
    }
}

// Dense heads' outputs [B·Hd, T, h′] → rows [B, T, Hd·h′] (head after head); rows_to_heads is its transpose.
extern "C" __global__ void heads_to_rows(const real* o, real* rows, unsigned short* rows16, int B, int heads, int T, int hd) {
    i64 total = (i64) B * heads * T * hd;
    for (i64 t = blockIdx.x * (i64) blockDim.x + threadIdx.x; t < total; t += (i64) gridDim.x * blockDim.x) {
        int c = (int) (t % hd);
        i64 rest = t / hd;
        int e = (int) (rest % heads);
        rest /= heads;
        int i = (int) (rest % T);
        int b = (int) (rest / T);
        real v = o[(((i64) b * heads + e) * T + i) * hd + c];
        store_operand(rows, rows16, t, v);
    }
}

extern "C" __global__ void rows_to_heads(const real* rows, real* o, int B, int heads, int T, int hd) {
    i64 total = (i64) B * heads * T * hd;
    for (i64 t = blockIdx.x * (i64) blockDim.x + threadIdx.x; t < total; t += (i64) gridDim.x * blockDim.x) {
        int c = (int) (t % hd);
        i64 rest = t / hd;
        int e = (int) (rest % heads);
        rest /= heads;
        int i = (int) (rest % T);
        int b = (int) (rest / T);
        o[(((i64) b * heads + e) * T + i) * hd + c] = rows[t];
    }
}

// ---------------------------------------------------------------------------------- causal softmax

// In place over scores [N, L, L], one warp per row i: p_ij = softmax over j ≤ i, 0 above the diagonal.
// (The scale 1/√h′ is applied by the product that made the scores.)
extern "C" __global__ void causal_softmax_fwd(real* s, i64 rows, int L) {
    i64 row = (blockIdx.x * (i64) blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= rows) return;
    int i = (int) (row % L);
    real* r = s + row * L;
    real mx = -INFINITY;
    for (int j = lane; j <= i; j += 32) mx = max(mx, r[j]);
    mx = warp_max(mx);
    real sum = 0;
    for (int j = lane; j <= i; j += 32) { real e = exp(r[j] - mx); r[j] = e; sum += e; }
    sum = warp_sum(sum);
    real inv = (real) 1 / sum;
    for (int j = lane; j < L; j += 32) r[j] = j <= i ? r[j] * inv : (real) 0;
}

// dS = P ⊙ (dP − Σ_j P·dP), in place over dP; zero above the diagonal.
extern "C" __global__ void causal_softmax_bwd(const real* p, real* dp, i64 rows, int L) {
    i64 row = (blockIdx.x * (i64) blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= rows) return;
    int i = (int) (row % L);
    const real* pr = p + row * L;
    real* dr = dp + row * L;
    real dot = 0;
    for (int j = lane; j <= i; j += 32) dot += pr[j] * dr[j];
    dot = warp_sum(dot);
    for (int j = lane; j < L; j += 32) dr[j] = j <= i ? pr[j] * (dr[j] - dot) : (real) 0;
}

// ---------------------------------------------------------------------------------- MoSA selection

// The selection's order: larger logit first, on ties the lower position; padding (position < 0) last.
__device__ __forceinline__ bool selected_before(real va, int pa, real vb, int pb) {
    if (pa < 0) return false;
    if (pb < 0) return true;
    return va > vb || (va == vb && pa < pb);
}

// One block per (b, m): the k positions with the largest router logits (ties to the lower position),
// ascending; with includeFirst position 0 plus the k − 1 largest of 1 … T−1. A bitonic sort of the
// (logit, position) pairs in shared memory, padded to P = the power of two ≥ T (log²P/2 passes, each
// thread a few compare-exchanges per pass), then the kept positions put in ascending order by rank.
// (The first version ranked every position against all others: O(T²) per block, 4,096 comparisons per
// thread at T = 1024, against 110 compare-exchanges here.) Writes idx [B, Hm, k] and the router scores
// σ(logit) of the kept positions, r [Hm, B, k]; a NaN logit sets *nanFlag.
// logits: [B, T, Hm] (the router product's rows). Dynamic shared memory: P reals + P ints.
extern "C" __global__ void topk_select(const real* logits, int* idx, real* rsel, int* nanFlag, int B, int T, int Hm,
                                       int k, int includeFirst) {
    extern __shared__ unsigned char smem[];
    int P = 1;
    while (P < T) P <<= 1;
    real* l = (real*) smem;
    int* pos = (int*) (l + P);
    int b = blockIdx.x / Hm, m = blockIdx.x % Hm;
    int first = includeFirst ? 1 : 0;
    for (int t = threadIdx.x; t < P; t += blockDim.x) {
        if (t < T) {
            real v = logits[((i64) b * T + t) * Hm + m];
            if (v != v) atomicExch(nanFlag, 1);
            l[t] = v;
            pos[t] = t < first ? -1 : t;   // position 0 with includeFirst is kept apart from the ranking
        } else {
            l[t] = 0;
            pos[t] = -1;
        }
    }
    __syncthreads();
    for (int size = 2; size <= P; size <<= 1) {
        for (int stride = size >> 1; stride > 0; stride >>= 1) {
            for (int i = threadIdx.x; i < P / 2; i += blockDim.x) {
                int lo = 2 * i - (i & (stride - 1)), hi = lo + stride;
                bool forward = (lo & size) == 0;
                bool exchange = forward ? selected_before(l[hi], pos[hi], l[lo], pos[lo])
                                        : selected_before(l[lo], pos[lo], l[hi], pos[hi]);
                if (exchange) {
                    real v = l[lo]; l[lo] = l[hi]; l[hi] = v;
                    int q = pos[lo]; pos[lo] = pos[hi]; pos[hi] = q;
                }
            }
            __syncthreads();
        }
    }
    // kept: position 0 (includeFirst), then the k − first best; each goes to its rank among them by position
    for (int c = threadIdx.x; c < k; c += blockDim.x) {
        int p = c < first ? 0 : pos[c - first];
        real v = c < first ? logits[(i64) b * T * Hm + m] : l[c - first];
        int rank = 0;
        for (int j = 0; j < k; j++) rank += (j < first ? 0 : pos[j - first]) < p;
        idx[((i64) b * Hm + m) * k + rank] = p;
        rsel[((i64) m * B + b) * k + rank] = (real) 1 / ((real) 1 + exp(-v));
    }
}

// Xs [Hm, B, k, h] = X[b, idx[b, m, i], :]. X is x, or, when x is null (an operand that keeps only its
// twin), its twin x16, whose bits are copied into xs16 (xs is then null too: the same rounding either way).
extern "C" __global__ void gather_rows(const real* x, const unsigned short* x16, const int* idx, real* xs, unsigned short* xs16,
                                       int B, int T, int Hm, int k, int h) {
    int row = blockIdx.x;  // (m, b, i)
    int i = row % k, b = (row / k) % B, m = row / (k * B);
    int p = idx[((i64) b * Hm + m) * k + i];
    i64 from = ((i64) b * T + p) * h, to = (i64) row * h;
    for (int c = threadIdx.x; c < h; c += blockDim.x) {
        if (x) store_operand(xs, xs16, to + c, x[from + c]);
        else xs16[to + c] = x16[from + c];
    }
}

// out[b, idx[b, m, i], :] += Y[m, b, i, :] (several heads may pick one token, hence atomics).
extern "C" __global__ void scatter_add_rows(const real* y, const int* idx, real* out, int B, int T, int Hm, int k, int h) {
    int row = blockIdx.x;
    int i = row % k, b = (row / k) % B, m = row / (k * B);
    int p = idx[((i64) b * Hm + m) * k + i];
    real* dst = out + ((i64) b * T + p) * h;
    const real* src = y + (i64) row * h;
    for (int c = threadIdx.x; c < h; c += blockDim.x) atomicAdd(dst + c, src[c]);
}

// A = O ⊙ r (each selected row scaled by its router score); rows [Hm·B·k, h′].
extern "C" __global__ void scale_rows(const real* o, const real* r, real* a, unsigned short* a16, i64 rows, int hd) {
    i64 total = rows * hd;
    for (i64 t = blockIdx.x * (i64) blockDim.x + threadIdx.x; t < total; t += (i64) gridDim.x * blockDim.x) {
        real v = o[t] * r[t / hd];
        store_operand(a, a16, t, v);
    }
}

// Backward of scale_rows, one warp per row: dO = dA·r, and the router logit's gradient
// dr·σ′ = (Σ_c dA·O)·r·(1 − r), stored at dlogits[b, idx, m] (zeroed by the caller; each (b, m, position)
// appears at most once, so a plain store).
extern "C" __global__ void scale_rows_bwd(const real* da, const real* o, const real* r, const int* idx, real* dO,
                                          real* dlogits, unsigned short* dlogits16, int B, int T, int Hm, int k, int hd) {
    i64 row = (blockIdx.x * (i64) blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= (i64) Hm * B * k) return;
    real rv = r[row];
    real dot = 0;
    for (int c = lane; c < hd; c += 32) {
        real g = da[row * hd + c];
        dot += g * o[row * hd + c];
        dO[row * hd + c] = g * rv;
    }
    dot = warp_sum(dot);
    if (lane == 0) {
        int i = (int) (row % k), b = (int) ((row / k) % B), m = (int) (row / ((i64) k * B));
        int p = idx[((i64) b * Hm + m) * k + i];
        store_operand(dlogits, dlogits16, ((i64) b * T + p) * Hm + m, dot * rv * ((real) 1 - rv));
    }
}

// --------------------------------------------------------------------------------- LM head loss

// One block per row of logits [n, V]: loss_row = logsumexp − logit[target]; logits are overwritten by
// the gradient of the mean loss, (softmax − onehot)·invCount. A target of −1 contributes nothing.
extern "C" __global__ void softmax_xent(real* logits, unsigned short* grad16, const int* targets, real* rowLoss, int n, int V,
                                        real invCount) {
    __shared__ real s32[32];
    __shared__ real targetLogit;
    int row = blockIdx.x;
    if (row >= n) return;
    real* r = logits + (i64) row * V;
    int tgt = targets[row];
    if (tgt < 0) {
        for (int c = threadIdx.x; c < V; c += blockDim.x) {
            r[c] = 0;
            store_twin(grad16, (i64) row * V + c, 0);
        }
        if (threadIdx.x == 0) rowLoss[row] = 0;
        return;
    }
    real mx = -INFINITY;
    for (int c = threadIdx.x; c < V; c += blockDim.x) mx = max(mx, r[c]);
    mx = block_max(mx, s32);
    real s = 0;
    for (int c = threadIdx.x; c < V; c += blockDim.x) s += exp(r[c] - mx);
    s = block_sum(s, s32);
    if (threadIdx.x == 0) targetLogit = r[tgt];
    __syncthreads();
    real lse = mx + log(s);
    if (threadIdx.x == 0) rowLoss[row] = lse - targetLogit;
    real inv = (real) 1 / s;
    for (int c = threadIdx.x; c < V; c += blockDim.x) {
        real p = exp(r[c] - mx) * inv;
        real gc = (p - (c == tgt ? (real) 1 : (real) 0)) * invCount;
        r[c] = gc;
        store_twin(grad16, (i64) row * V + c, gc);
    }
}

// ------------------------------------------------------------------------------- optimizer

// Σ g² over a buffer into *out (double, for every precision; zeroed by the caller).
extern "C" __global__ void sum_squares(const real* g, i64 n, double* out) {
    __shared__ double s32[32];
    double s = 0;
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) {
        double v = g[i];
        s += v * v;
    }
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    if (lane == 0) s32[warp] = s;
    __syncthreads();
    if (warp == 0) {
        s = lane < (blockDim.x >> 5) ? s32[lane] : 0;
        for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
        if (lane == 0) atomicAdd(out, s);
    }
}

// ND4J's Adam (the rule the CPU backend trains with): g ← g·gradScale (global-norm clipping) + l2·θ;
// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − αt·m/(√v + ε) with αt = lr·√(1−β2^t)/(1−β1^t);
// then decoupled weight decay θ ← θ − lr·wd·θ (AdamW) when wd > 0. One launch for every parameter
// tensor of the flat buffers: tensor s is [segStart[s], segStart[s+1]), and l2 and lrWd apply to it only
// where segDecays[s] is set (matrices). A thread finds its first tensor by bisection, then steps forward.
extern "C" __global__ void adam_step(real* p, const real* g, real* m, real* v, const i64* segStart,
                                     const int* segDecays, int segments, double gradScale, double l2,
                                     double b1, double b2, double eps, double alphat, double lrWd) {
    i64 n = segStart[segments];
    i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x;
    int lo = 0, hi = segments - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (segStart[mid] <= i) lo = mid; else hi = mid - 1;
    }
    int s = lo;
    for (; i < n; i += (i64) gridDim.x * blockDim.x) {
        while (i >= segStart[s + 1]) s++;
        bool decays = segDecays[s] != 0;
        real th = p[i];
        real gi = (real) (g[i] * gradScale) + (real) (decays ? l2 : 0) * th;
        real mi = (real) b1 * m[i] + (real) (1 - b1) * gi;
        real vi = (real) b2 * v[i] + (real) (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        th -= (real) alphat * mi / (sqrt(vi) + (real) eps);
        if (decays && lrWd != 0) th -= (real) lrWd * th;
        p[i] = th;
    }
}
