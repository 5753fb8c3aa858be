// Fused causal attention for the float32 precisions that use tensor cores (TF32, BF16): the scores never
// leave the chip. softmax(q·kᵀ/√h′ + causal mask)·v for N heads of L rows, forward and backward, the
// way FlashAttention-2 (Dao 2023) organises it:
//   forward   one block per (head, 64 query rows): stream key/value tiles through shared memory, keep
//             each row's running max and sum (online softmax), write o and the row's log-sum-exp;
//   backward  D = rowsum(dO ⊙ o) (row_dot), then dk/dv with one block per (head, 64 keys) streaming the
//             queries at or after them, and dq with one block per (head, 64 queries) streaming the keys at
//             or before them. Two passes instead of atomics: every value is written by one thread, so
//             the result is the same on every run.
// Products are warp-wide mma.sync m16n8k8 with TF32 inputs and float32 accumulation (sm_80 and newer);
// exp2 with log2(e) folded into the scale. Layout as the materialised path: q, k, v, o [N, L, h′].
// Head dims 8, 16, 32, 64 (the register budget of the backward kernels); CausalAttention serves the rest.
//
// Fragment layouts of mma.m16n8k8 (PTX ISA), lane = 4·g + t:  A 16×8: a0 (g, t), a1 (g+8, t),
// a2 (g, t+4), a3 (g+8, t+4);  B 8×8: b0 (t, g), b1 (t+4, g);  C 16×8: c0 (g, 2t), c1 (g, 2t+1),
// c2 (g+8, 2t), c3 (g+8, 2t+1). A C fragment becomes the A operand of the next product (P·V, dS·K) when
// the summed index is permuted: A's column t is key 2t and column t+4 is key 2t+1, and the B operand is
// read with the same permutation. Shared tiles have rows of h′+4 words so that both access patterns hit
// 32 different banks.

#define FA_THREADS 128

__device__ __forceinline__ unsigned fa_tf32(float x) {
#if __CUDA_ARCH__ >= 800
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
#else
    __trap();
    return 0u;
#endif
}

__device__ __forceinline__ void fa_mma(float (&d)[4], unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0,
                                       unsigned b1) {
#if __CUDA_ARCH__ >= 800
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
#else
    __trap();
#endif
}

// rows `first` … `first + R − 1` of a [L, HD] matrix into shared memory as TF32 bits, rows of HD + 4
// words; rows at or past L are zero.
template <int HD, int R>
__device__ __forceinline__ void fa_load_tile(const float* m, int first, int L, unsigned* tile) {
    constexpr int S = HD + 4, V = HD / 4;
    for (int e = threadIdx.x; e < R * V; e += FA_THREADS) {
        int row = e / V, c = (e % V) * 4;
        float4 x = make_float4(0.f, 0.f, 0.f, 0.f);
        if (first + row < L) x = *(const float4*) (m + (i64) (first + row) * HD + c);
        unsigned* d = tile + row * S + c;
        d[0] = fa_tf32(x.x);
        d[1] = fa_tf32(x.y);
        d[2] = fa_tf32(x.z);
        d[3] = fa_tf32(x.w);
    }
}

// The A fragments of rows r0 and r0 + 8 of a [L, HD] matrix (all HD columns), zero past L.
template <int HD>
__device__ __forceinline__ void fa_load_rows(const float* m, int r0, int L, int t, unsigned (&a)[HD / 8][4]) {
    int r1 = r0 + 8;
#pragma unroll
    for (int kk = 0; kk < HD / 8; kk++) {
        int c0 = kk * 8 + t, c1 = c0 + 4;
        a[kk][0] = fa_tf32(r0 < L ? m[(i64) r0 * HD + c0] : 0.f);
        a[kk][1] = fa_tf32(r1 < L ? m[(i64) r1 * HD + c0] : 0.f);
        a[kk][2] = fa_tf32(r0 < L ? m[(i64) r0 * HD + c1] : 0.f);
        a[kk][3] = fa_tf32(r1 < L ? m[(i64) r1 * HD + c1] : 0.f);
    }
}

// acc[16 × 8·NT] = A[16 × HD] · tileᵀ, tile rows = the product's columns (keys or queries).
template <int HD, int NT>
__device__ __forceinline__ void fa_abt(const unsigned (&a)[HD / 8][4], const unsigned* tile, int g, int t,
                                       float (&acc)[NT][4]) {
    constexpr int S = HD + 4;
#pragma unroll
    for (int nt = 0; nt < NT; nt++) {
        acc[nt][0] = acc[nt][1] = acc[nt][2] = acc[nt][3] = 0.f;
        const unsigned* row = tile + (nt * 8 + g) * S + t;
#pragma unroll
        for (int kk = 0; kk < HD / 8; kk++) fa_mma(acc[nt], a[kk][0], a[kk][1], a[kk][2], a[kk][3], row[kk * 8], row[kk * 8 + 4]);
    }
}

// out[16 × HD] += C[16 × 8·NT] · tile[8·NT × HD], C in accumulator layout (the permuted summation index).
template <int HD, int NT>
__device__ __forceinline__ void fa_cb(const float (&c)[NT][4], const unsigned* tile, int g, int t, float (&out)[HD / 8][4]) {
    constexpr int S = HD + 4;
#pragma unroll
    for (int kt = 0; kt < NT; kt++) {
        unsigned a0 = fa_tf32(c[kt][0]), a1 = fa_tf32(c[kt][2]), a2 = fa_tf32(c[kt][1]), a3 = fa_tf32(c[kt][3]);
        const unsigned* even = tile + (kt * 8 + 2 * t) * S + g;
        const unsigned* odd = even + S;
#pragma unroll
        for (int dt = 0; dt < HD / 8; dt++) fa_mma(out[dt], a0, a1, a2, a3, even[dt * 8], odd[dt * 8]);
    }
}

__device__ __forceinline__ float fa_quad_max(float v) {
    v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
    return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 2));
}

__device__ __forceinline__ float fa_quad_sum(float v) {
    v += __shfl_xor_sync(0xffffffffu, v, 1);
    return v + __shfl_xor_sync(0xffffffffu, v, 2);
}

// Writes rows r0 and r0 + 8 (those before L) of acc · scale into a [L, HD] matrix.
template <int HD>
__device__ __forceinline__ void fa_store_rows(float* m, int r0, int L, int t, const float (&acc)[HD / 8][4], float s0,
                                              float s1) {
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) {
        int c = dt * 8 + 2 * t;
        if (r0 < L) *(float2*) (m + (i64) r0 * HD + c) = make_float2(acc[dt][0] * s0, acc[dt][1] * s0);
        if (r0 + 8 < L) *(float2*) (m + (i64) (r0 + 8) * HD + c) = make_float2(acc[dt][2] * s1, acc[dt][3] * s1);
    }
}

// Where a thread works: head n (its [L, HD] matrices start at base), its block's 64-row tile starting at
// `first` (block x takes tile tiles − 1 − x, so the tiles with the most work start first), its warp's 16
// rows of which it holds r0 and r0 + 8, and its lane coordinates g, t in the fragment layouts.
struct FaThread {
    int n, first, g, t, r0;
    i64 base;
    __device__ FaThread(int L, int HD) {
        n = blockIdx.y;
        first = (gridDim.x - 1 - blockIdx.x) * 64;
        int lane = threadIdx.x & 31;
        g = lane >> 2;
        t = lane & 3;
        r0 = first + (threadIdx.x >> 5) * 16 + g;
        base = (i64) n * L * HD;
    }
};

// ---------------------------------------------------------------------------------------------- forward

// grid (⌈L/64⌉, N), FA_THREADS threads; lse [N, L] in log2 units (of the scores times scaleLog2).
template <int HD>
__device__ void fa_forward(const float* q, const float* k, const float* v, float* o, float* lse, int L, float scaleLog2) {
    constexpr int BR = 64, BC = 64, S = HD + 4;
    __shared__ unsigned ks[BC * S], vs[BC * S];
    FaThread w(L, HD);
    const int n = w.n, i0 = w.first, g = w.g, t = w.t, r0 = w.r0, r1 = r0 + 8;
    const i64 base = w.base;
    unsigned qa[HD / 8][4];
    fa_load_rows<HD>(q + base, r0, L, t, qa);
    float acc[HD / 8][4];
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) acc[dt][0] = acc[dt][1] = acc[dt][2] = acc[dt][3] = 0.f;
    // key 0 is in the first tile and allowed for every row, so the running maxima are finite after it
    float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;
    int end = min(L, i0 + BR);
    for (int j0 = 0; j0 < end; j0 += BC) {
        __syncthreads();
        fa_load_tile<HD, BC>(k + base, j0, L, ks);
        fa_load_tile<HD, BC>(v + base, j0, L, vs);
        __syncthreads();
        float s[BC / 8][4];
        fa_abt<HD, BC / 8>(qa, ks, g, t, s);
        float mx0 = m0, mx1 = m1;
#pragma unroll
        for (int nt = 0; nt < BC / 8; nt++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int row = e < 2 ? r0 : r1, col = j0 + nt * 8 + 2 * t + (e & 1);
                s[nt][e] = (col <= row && col < L) ? s[nt][e] * scaleLog2 : -INFINITY;
            }
            mx0 = fmaxf(mx0, fmaxf(s[nt][0], s[nt][1]));
            mx1 = fmaxf(mx1, fmaxf(s[nt][2], s[nt][3]));
        }
        mx0 = fa_quad_max(mx0);
        mx1 = fa_quad_max(mx1);
        float c0 = exp2f(m0 - mx0), c1 = exp2f(m1 - mx1);
        m0 = mx0;
        m1 = mx1;
        float rs0 = 0.f, rs1 = 0.f;
#pragma unroll
        for (int nt = 0; nt < BC / 8; nt++) {
            s[nt][0] = exp2f(s[nt][0] - m0);
            s[nt][1] = exp2f(s[nt][1] - m0);
            s[nt][2] = exp2f(s[nt][2] - m1);
            s[nt][3] = exp2f(s[nt][3] - m1);
            rs0 += s[nt][0] + s[nt][1];
            rs1 += s[nt][2] + s[nt][3];
        }
        // each thread keeps the partial sum of its own columns; the four of a row are added at the end
        l0 = l0 * c0 + rs0;
        l1 = l1 * c1 + rs1;
#pragma unroll
        for (int dt = 0; dt < HD / 8; dt++) {
            acc[dt][0] *= c0;
            acc[dt][1] *= c0;
            acc[dt][2] *= c1;
            acc[dt][3] *= c1;
        }
        fa_cb<HD, BC / 8>(s, vs, g, t, acc);
    }
    l0 = fa_quad_sum(l0);
    l1 = fa_quad_sum(l1);
    fa_store_rows<HD>(o + base, r0, L, t, acc, 1.f / l0, 1.f / l1);
    if (t == 0) {
        if (r0 < L) lse[(i64) n * L + r0] = m0 + log2f(l0);
        if (r1 < L) lse[(i64) n * L + r1] = m1 + log2f(l1);
    }
}

// --------------------------------------------------------------------------------------------- backward

// D[r] = Σ_c a[r, c]·b[r, c] for `rows` rows of `width`, one warp per row (the backward's rowsum(dO ⊙ o)).
extern "C" __global__ void row_dot(const real* a, const real* b, real* d, i64 rows, int width) {
    i64 row = (blockIdx.x * (i64) blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= rows) return;
    real s = 0;
    for (int c = lane; c < width; c += 32) s += a[row * width + c] * b[row * width + c];
    s = warp_sum(s);
    if (lane == 0) d[row] = s;
}

// dk, dv for 64 keys per block (16 per warp), streaming 32 queries at a time from the block's first key
// on (earlier queries cannot see these keys). grid (⌈L/64⌉, N).
template <int HD>
__device__ void fa_backward_kv(const float* q, const float* k, const float* v, const float* dO, const float* lse,
                               const float* delta, float* dk, float* dv, int L, float scale, float scaleLog2) {
    constexpr int BQ = 32, S = HD + 4;
    __shared__ unsigned qs[BQ * S], dos[BQ * S];
    __shared__ float ls[BQ], ds[BQ];
    FaThread w(L, HD);  // its rows are keys here
    const int n = w.n, j0 = w.first, g = w.g, t = w.t, k0 = w.r0, k1 = k0 + 8;
    const i64 base = w.base;
    unsigned ka[HD / 8][4], va[HD / 8][4];
    fa_load_rows<HD>(k + base, k0, L, t, ka);
    fa_load_rows<HD>(v + base, k0, L, t, va);
    float gk[HD / 8][4], gv[HD / 8][4];
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) {
        gk[dt][0] = gk[dt][1] = gk[dt][2] = gk[dt][3] = 0.f;
        gv[dt][0] = gv[dt][1] = gv[dt][2] = gv[dt][3] = 0.f;
    }
    for (int q0 = j0; q0 < L; q0 += BQ) {
        __syncthreads();
        fa_load_tile<HD, BQ>(q + base, q0, L, qs);
        fa_load_tile<HD, BQ>(dO + base, q0, L, dos);
        for (int e = threadIdx.x; e < BQ; e += FA_THREADS) {
            bool in = q0 + e < L;
            ls[e] = in ? lse[(i64) n * L + q0 + e] : 0.f;
            ds[e] = in ? delta[(i64) n * L + q0 + e] : 0.f;
        }
        __syncthreads();
        float p[BQ / 8][4], dp[BQ / 8][4];
        fa_abt<HD, BQ / 8>(ka, qs, g, t, p);   // scores transposed: [keys, queries]
        fa_abt<HD, BQ / 8>(va, dos, g, t, dp); // dPᵀ = v·dOᵀ
#pragma unroll
        for (int nt = 0; nt < BQ / 8; nt++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int key = e < 2 ? k0 : k1, c = nt * 8 + 2 * t + (e & 1), query = q0 + c;
                float pe = (key <= query && query < L) ? exp2f(p[nt][e] * scaleLog2 - ls[c]) : 0.f;
                p[nt][e] = pe;
                dp[nt][e] = pe * (dp[nt][e] - ds[c]);  // dSᵀ
            }
        }
        fa_cb<HD, BQ / 8>(p, dos, g, t, gv);   // dv += Pᵀ·dO
        fa_cb<HD, BQ / 8>(dp, qs, g, t, gk);   // dk += dSᵀ·q (scaled below)
    }
    fa_store_rows<HD>(dk + base, k0, L, t, gk, scale, scale);
    fa_store_rows<HD>(dv + base, k0, L, t, gv, 1.f, 1.f);
}

// dq for 64 queries per block (16 per warp), streaming 32 keys at a time up to the block's last query.
template <int HD>
__device__ void fa_backward_q(const float* q, const float* k, const float* v, const float* dO, const float* lse,
                              const float* delta, float* dq, int L, float scale, float scaleLog2) {
    constexpr int BR = 64, BC = 32, S = HD + 4;
    __shared__ unsigned ks[BC * S], vs[BC * S];
    FaThread w(L, HD);
    const int n = w.n, i0 = w.first, g = w.g, t = w.t, r0 = w.r0, r1 = r0 + 8;
    const i64 base = w.base;
    unsigned qa[HD / 8][4], da[HD / 8][4];
    fa_load_rows<HD>(q + base, r0, L, t, qa);
    fa_load_rows<HD>(dO + base, r0, L, t, da);
    float ls0 = r0 < L ? lse[(i64) n * L + r0] : 0.f, ls1 = r1 < L ? lse[(i64) n * L + r1] : 0.f;
    float d0 = r0 < L ? delta[(i64) n * L + r0] : 0.f, d1 = r1 < L ? delta[(i64) n * L + r1] : 0.f;
    float gq[HD / 8][4];
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) gq[dt][0] = gq[dt][1] = gq[dt][2] = gq[dt][3] = 0.f;
    int end = min(L, i0 + BR);
    for (int j0 = 0; j0 < end; j0 += BC) {
        __syncthreads();
        fa_load_tile<HD, BC>(k + base, j0, L, ks);
        fa_load_tile<HD, BC>(v + base, j0, L, vs);
        __syncthreads();
        float p[BC / 8][4], dp[BC / 8][4];
        fa_abt<HD, BC / 8>(qa, ks, g, t, p);
        fa_abt<HD, BC / 8>(da, vs, g, t, dp);  // dP = dO·vᵀ
#pragma unroll
        for (int nt = 0; nt < BC / 8; nt++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int row = e < 2 ? r0 : r1, col = j0 + nt * 8 + 2 * t + (e & 1);
                float pe = (col <= row && col < L) ? exp2f(p[nt][e] * scaleLog2 - (e < 2 ? ls0 : ls1)) : 0.f;
                dp[nt][e] = pe * (dp[nt][e] - (e < 2 ? d0 : d1));  // dS
            }
        }
        fa_cb<HD, BC / 8>(dp, ks, g, t, gq);   // dq += dS·k (scaled below)
    }
    fa_store_rows<HD>(dq + base, r0, L, t, gq, scale, scale);
}

// The kernels, one per head dim. Arguments: q, k, v, o, lse [N, L], L, scale·log2(e).
#define FA_KERNELS(HD)                                                                                              \
    extern "C" __global__ void flash_fwd_##HD(const float* q, const float* k,         \
            const float* v, float* o, float* lse, int L, float scaleLog2) {                                          \
        fa_forward<HD>(q, k, v, o, lse, L, scaleLog2);                                                               \
    }                                                                                                                \
    extern "C" __global__ void flash_bwd_kv_##HD(const float* q, const float* k,      \
            const float* v, const float* dO, const float* lse, const float* delta, float* dk, float* dv, int L,      \
            float scale, float scaleLog2) {                                                                          \
        fa_backward_kv<HD>(q, k, v, dO, lse, delta, dk, dv, L, scale, scaleLog2);                                    \
    }                                                                                                                \
    extern "C" __global__ void flash_bwd_q_##HD(const float* q, const float* k,       \
            const float* v, const float* dO, const float* lse, const float* delta, float* dq, int L, float scale,    \
            float scaleLog2) {                                                                                       \
        fa_backward_q<HD>(q, k, v, dO, lse, delta, dq, L, scale, scaleLog2);                                         \
    }

FA_KERNELS(8)
FA_KERNELS(16)
FA_KERNELS(32)
FA_KERNELS(64)
