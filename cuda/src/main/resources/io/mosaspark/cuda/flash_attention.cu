// Fused causal attention for the float32 precisions that use tensor cores (TF32, BF16): the scores never
// leave the chip. softmax(q·kᵀ/√h′ + causal mask)·v for N heads of L rows, forward and backward, the
// way FlashAttention-2 (Dao 2023) organises it:
//   forward   one block per (head, 64 query rows): stream key/value tiles through shared memory, keep
//             each row's running max and sum (online softmax), write o and the row's log-sum-exp;
//   backward  D = rowsum(dO ⊙ o) (row_dot), then dk/dv with one block per (head, 64 keys) streaming the
//             queries at or after them, and dq with one block per (head, 64 queries) streaming the keys at
//             or before them. Two passes instead of atomics: every value is written by one thread, so
//             the result is the same on every run.
// Products are warp-wide mma.sync with float32 accumulation (sm_80 and newer): m16n8k8 on TF32 inputs
// (the TF32 precision) or m16n8k16 on bfloat16 inputs (BF16), the inputs rounded as they are loaded;
// exp2 with log2(e) folded into the scale. Layout as the materialised path: q, k, v, o [N, L, h′].
// Head dims 8, 16, 32, 64 (the register budget of the backward kernels); CausalAttention serves the rest.

#define FA_THREADS 128

// The tensor-core operations the kernels are written in, one struct per input type: the shared tiles'
// element and row stride, storing tile elements and loading a warp's A fragments, and the two products
// (A·tileᵀ into accumulators; accumulators · tile). The algorithms below are templates over these, so TF32 and BF16
// share one forward and one backward.
//
// Tf32Mma: mma.m16n8k8, inputs float32 rounded to TF32. Fragments (PTX ISA), lane = 4·g + t:
//   A 16×8: a0 (g, t), a1 (g+8, t), a2 (g, t+4), a3 (g+8, t+4);  B 8×8: b0 (t, g), b1 (t+4, g);
//   C 16×8: c0 (g, 2t), c1 (g, 2t+1), c2 (g+8, 2t), c3 (g+8, 2t+1).
//   A C fragment becomes the A operand of the next product (P·V, dS·K) when the summed index is
//   permuted: A's column t is key 2t and column t+4 is key 2t+1, and the B operand is read with the same
//   permutation. Shared tiles have rows of h′+4 words so that both access patterns hit 32 banks.
struct Tf32Mma {
    typedef unsigned Elem;
    static constexpr int K = 8;
    static constexpr int PAD = 4;     // a tile row is HD + PAD elements

    static __device__ __forceinline__ unsigned round(float x) {
#if __CUDA_ARCH__ >= 800
        unsigned r;
        asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
        return r;
#else
        __trap();
        return 0u;
#endif
    }

    static __device__ __forceinline__ void mma(float (&d)[4], unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0,
                                               unsigned b1) {
#if __CUDA_ARCH__ >= 800
        asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                     : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                     : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
#else
        __trap();
#endif
    }

    // four consecutive tile elements (fa_load_tile)
    static __device__ __forceinline__ void store4(Elem* d, float4 x) {
        d[0] = round(x.x);
        d[1] = round(x.y);
        d[2] = round(x.z);
        d[3] = round(x.w);
    }

    // the A fragments of rows r0 and r0 + 8 of a [L, HD] matrix (all HD columns), zero past L
    template <int HD>
    static __device__ __forceinline__ void load_rows(const float* m, int r0, int L, int t, unsigned (&a)[HD / K][4]) {
        int r1 = r0 + 8;
#pragma unroll
        for (int kk = 0; kk < HD / K; kk++) {
            int c0 = kk * 8 + t, c1 = c0 + 4;
            a[kk][0] = round(r0 < L ? m[(i64) r0 * HD + c0] : 0.f);
            a[kk][1] = round(r1 < L ? m[(i64) r1 * HD + c0] : 0.f);
            a[kk][2] = round(r0 < L ? m[(i64) r0 * HD + c1] : 0.f);
            a[kk][3] = round(r1 < L ? m[(i64) r1 * HD + c1] : 0.f);
        }
    }

    // acc[16 × 8·NT] = A[16 × HD] · tileᵀ, tile rows = the product's columns (keys or queries)
    template <int HD, int NT>
    static __device__ __forceinline__ void abt(const unsigned (&a)[HD / K][4], const Elem* tile, int g, int t, float (&acc)[NT][4]) {
        constexpr int S = HD + PAD;
#pragma unroll
        for (int nt = 0; nt < NT; nt++) {
            acc[nt][0] = acc[nt][1] = acc[nt][2] = acc[nt][3] = 0.f;
            const Elem* row = tile + (nt * 8 + g) * S + t;
#pragma unroll
            for (int kk = 0; kk < HD / K; kk++) mma(acc[nt], a[kk][0], a[kk][1], a[kk][2], a[kk][3], row[kk * 8], row[kk * 8 + 4]);
        }
    }

    // out[16 × HD] += C[16 × 8·NT] · tile[8·NT × HD], C in accumulator layout (the permuted summation index)
    template <int HD, int NT>
    static __device__ __forceinline__ void cb(const float (&c)[NT][4], const Elem* tile, int g, int t, float (&out)[HD / 8][4]) {
        constexpr int S = HD + PAD;
#pragma unroll
        for (int kt = 0; kt < NT; kt++) {
            unsigned a0 = round(c[kt][0]), a1 = round(c[kt][2]), a2 = round(c[kt][1]), a3 = round(c[kt][3]);
            const Elem* even = tile + (kt * 8 + 2 * t) * S + g;
            const Elem* odd = even + S;
#pragma unroll
            for (int dt = 0; dt < HD / 8; dt++) mma(out[dt], a0, a1, a2, a3, even[dt * 8], odd[dt * 8]);
        }
    }
};

// Bf16Mma: mma.m16n8k16 with bfloat16 inputs (rounded to nearest even) and float32 accumulation, twice
// the TF32 rate on the tensor cores and half the shared memory. Fragments (PTX ISA), two bf16 a register,
// the lower column (or row, for B) in the low half:
//   A 16×16: a0 (g, 2t…2t+1), a1 (g+8, 2t…), a2 (g, 2t+8…2t+9), a3 (g+8, 2t+8…);
//   B 16×8: b0 (2t…2t+1, g), b1 (2t+8…2t+9, g);  C 16×8 as for TF32.
//   Two C tiles side by side are exactly an A fragment (no permutation). A B fragment of A·tileᵀ is two
//   adjacent elements of one tile row (one 32-bit load); of C·tile it is one column of two tile rows.
//   Rows of h′+8 halves keep both patterns free of bank conflicts.
struct Bf16Mma {
    typedef unsigned short Elem;
    static constexpr int K = 16;
    static constexpr int PAD = 8;

    // lo in the low half, hi in the high half
    static __device__ __forceinline__ unsigned pack(float lo, float hi) {
#if __CUDA_ARCH__ >= 800
        unsigned r;
        asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
        return r;
#else
        __trap();
        return 0u;
#endif
    }

    static __device__ __forceinline__ void mma(float (&d)[4], unsigned a0, unsigned a1, unsigned a2, unsigned a3, unsigned b0,
                                               unsigned b1) {
#if __CUDA_ARCH__ >= 800
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                     : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                     : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
#else
        __trap();
#endif
    }

    static __device__ __forceinline__ void store4(Elem* d, float4 x) {
        *(uint2*) d = make_uint2(pack(x.x, x.y), pack(x.z, x.w));
    }

    template <int HD>
    static __device__ __forceinline__ void load_rows(const float* m, int r0, int L, int t, unsigned (&a)[HD / K][4]) {
        int r1 = r0 + 8;
        const float2 zero = make_float2(0.f, 0.f);
#pragma unroll
        for (int kk = 0; kk < HD / K; kk++) {
            int c0 = kk * 16 + 2 * t, c1 = c0 + 8;
            float2 x00 = r0 < L ? *(const float2*) (m + (i64) r0 * HD + c0) : zero;
            float2 x10 = r1 < L ? *(const float2*) (m + (i64) r1 * HD + c0) : zero;
            float2 x01 = r0 < L ? *(const float2*) (m + (i64) r0 * HD + c1) : zero;
            float2 x11 = r1 < L ? *(const float2*) (m + (i64) r1 * HD + c1) : zero;
            a[kk][0] = pack(x00.x, x00.y);
            a[kk][1] = pack(x10.x, x10.y);
            a[kk][2] = pack(x01.x, x01.y);
            a[kk][3] = pack(x11.x, x11.y);
        }
    }

    template <int HD, int NT>
    static __device__ __forceinline__ void abt(const unsigned (&a)[HD / K][4], const Elem* tile, int g, int t, float (&acc)[NT][4]) {
        constexpr int S = HD + PAD;
#pragma unroll
        for (int nt = 0; nt < NT; nt++) {
            acc[nt][0] = acc[nt][1] = acc[nt][2] = acc[nt][3] = 0.f;
            const Elem* row = tile + (nt * 8 + g) * S + 2 * t;
#pragma unroll
            for (int kk = 0; kk < HD / K; kk++) {
                mma(acc[nt], a[kk][0], a[kk][1], a[kk][2], a[kk][3], *(const unsigned*) (row + kk * 16),
                    *(const unsigned*) (row + kk * 16 + 8));
            }
        }
    }

    template <int HD, int NT>
    static __device__ __forceinline__ void cb(const float (&c)[NT][4], const Elem* tile, int g, int t, float (&out)[HD / 8][4]) {
        constexpr int S = HD + PAD;
        static_assert(NT % 2 == 0, "BF16 products sum over 16 keys at a time");
#pragma unroll
        for (int kc = 0; kc < NT / 2; kc++) {
            unsigned a0 = pack(c[2 * kc][0], c[2 * kc][1]), a1 = pack(c[2 * kc][2], c[2 * kc][3]);
            unsigned a2 = pack(c[2 * kc + 1][0], c[2 * kc + 1][1]), a3 = pack(c[2 * kc + 1][2], c[2 * kc + 1][3]);
            const Elem* r = tile + (kc * 16 + 2 * t) * S + g;
#pragma unroll
            for (int dt = 0; dt < HD / 8; dt++) {
                unsigned b0 = (unsigned) r[dt * 8] | ((unsigned) r[S + dt * 8] << 16);
                unsigned b1 = (unsigned) r[8 * S + dt * 8] | ((unsigned) r[9 * S + dt * 8] << 16);
                mma(out[dt], a0, a1, a2, a3, b0, b1);
            }
        }
    }
};

// rows `first` … `first + R − 1` of a [L, HD] matrix into shared memory as M's elements, rows of HD + M::PAD;
// rows at or past L are zero
template <class M, int HD, int R>
__device__ __forceinline__ void fa_load_tile(const float* m, int first, int L, typename M::Elem* tile) {
    constexpr int S = HD + M::PAD, V = HD / 4;
    for (int e = threadIdx.x; e < R * V; e += FA_THREADS) {
        int row = e / V, c = (e % V) * 4;
        float4 x = make_float4(0.f, 0.f, 0.f, 0.f);
        if (first + row < L) x = *(const float4*) (m + (i64) (first + row) * HD + c);
        M::store4(tile + row * S + c, x);
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
template <class M, int HD>
__device__ void fa_forward(const float* q, const float* k, const float* v, float* o, float* lse, int L, float scaleLog2) {
    constexpr int BR = 64, BC = 64, S = HD + M::PAD;
    __shared__ __align__(16) typename M::Elem ks[BC * S], vs[BC * S];
    FaThread w(L, HD);
    const int n = w.n, i0 = w.first, g = w.g, t = w.t, r0 = w.r0, r1 = r0 + 8;
    const i64 base = w.base;
    unsigned qa[HD / M::K][4];
    M::template load_rows<HD>(q + base, r0, L, t, qa);
    float acc[HD / 8][4];
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) acc[dt][0] = acc[dt][1] = acc[dt][2] = acc[dt][3] = 0.f;
    // key 0 is in the first tile and allowed for every row, so the running maxima are finite after it
    float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.f, l1 = 0.f;
    int end = min(L, i0 + BR);
    for (int j0 = 0; j0 < end; j0 += BC) {
        __syncthreads();
        fa_load_tile<M, HD, BC>(k + base, j0, L, ks);
        fa_load_tile<M, HD, BC>(v + base, j0, L, vs);
        __syncthreads();
        float s[BC / 8][4];
        M::template abt<HD, BC / 8>(qa, ks, g, t, s);
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
        M::template cb<HD, BC / 8>(s, vs, g, t, acc);
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
template <class M, int HD>
__device__ void fa_backward_kv(const float* q, const float* k, const float* v, const float* dO, const float* lse,
                               const float* delta, float* dk, float* dv, int L, float scale, float scaleLog2) {
    constexpr int BQ = 32, S = HD + M::PAD;
    __shared__ __align__(16) typename M::Elem qs[BQ * S], dos[BQ * S];
    __shared__ float ls[BQ], ds[BQ];
    FaThread w(L, HD);  // its rows are keys here
    const int n = w.n, j0 = w.first, g = w.g, t = w.t, k0 = w.r0, k1 = k0 + 8;
    const i64 base = w.base;
    unsigned ka[HD / M::K][4], va[HD / M::K][4];
    M::template load_rows<HD>(k + base, k0, L, t, ka);
    M::template load_rows<HD>(v + base, k0, L, t, va);
    float gk[HD / 8][4], gv[HD / 8][4];
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) {
        gk[dt][0] = gk[dt][1] = gk[dt][2] = gk[dt][3] = 0.f;
        gv[dt][0] = gv[dt][1] = gv[dt][2] = gv[dt][3] = 0.f;
    }
    for (int q0 = j0; q0 < L; q0 += BQ) {
        __syncthreads();
        fa_load_tile<M, HD, BQ>(q + base, q0, L, qs);
        fa_load_tile<M, HD, BQ>(dO + base, q0, L, dos);
        for (int e = threadIdx.x; e < BQ; e += FA_THREADS) {
            bool in = q0 + e < L;
            ls[e] = in ? lse[(i64) n * L + q0 + e] : 0.f;
            ds[e] = in ? delta[(i64) n * L + q0 + e] : 0.f;
        }
        __syncthreads();
        float p[BQ / 8][4], dp[BQ / 8][4];
        M::template abt<HD, BQ / 8>(ka, qs, g, t, p);   // scores transposed: [keys, queries]
        M::template abt<HD, BQ / 8>(va, dos, g, t, dp); // dPᵀ = v·dOᵀ
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
        M::template cb<HD, BQ / 8>(p, dos, g, t, gv);   // dv += Pᵀ·dO
        M::template cb<HD, BQ / 8>(dp, qs, g, t, gk);   // dk += dSᵀ·q (scaled below)
    }
    fa_store_rows<HD>(dk + base, k0, L, t, gk, scale, scale);
    fa_store_rows<HD>(dv + base, k0, L, t, gv, 1.f, 1.f);
}

// dq for 64 queries per block (16 per warp), streaming 32 keys at a time up to the block's last query.
template <class M, int HD>
__device__ void fa_backward_q(const float* q, const float* k, const float* v, const float* dO, const float* lse,
                              const float* delta, float* dq, int L, float scale, float scaleLog2) {
    constexpr int BR = 64, BC = 32, S = HD + M::PAD;
    __shared__ __align__(16) typename M::Elem ks[BC * S], vs[BC * S];
    FaThread w(L, HD);
    const int n = w.n, i0 = w.first, g = w.g, t = w.t, r0 = w.r0, r1 = r0 + 8;
    const i64 base = w.base;
    unsigned qa[HD / M::K][4], da[HD / M::K][4];
    M::template load_rows<HD>(q + base, r0, L, t, qa);
    M::template load_rows<HD>(dO + base, r0, L, t, da);
    float ls0 = r0 < L ? lse[(i64) n * L + r0] : 0.f, ls1 = r1 < L ? lse[(i64) n * L + r1] : 0.f;
    float d0 = r0 < L ? delta[(i64) n * L + r0] : 0.f, d1 = r1 < L ? delta[(i64) n * L + r1] : 0.f;
    float gq[HD / 8][4];
#pragma unroll
    for (int dt = 0; dt < HD / 8; dt++) gq[dt][0] = gq[dt][1] = gq[dt][2] = gq[dt][3] = 0.f;
    int end = min(L, i0 + BR);
    for (int j0 = 0; j0 < end; j0 += BC) {
        __syncthreads();
        fa_load_tile<M, HD, BC>(k + base, j0, L, ks);
        fa_load_tile<M, HD, BC>(v + base, j0, L, vs);
        __syncthreads();
        float p[BC / 8][4], dp[BC / 8][4];
        M::template abt<HD, BC / 8>(qa, ks, g, t, p);
        M::template abt<HD, BC / 8>(da, vs, g, t, dp);  // dP = dO·vᵀ
#pragma unroll
        for (int nt = 0; nt < BC / 8; nt++) {
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int row = e < 2 ? r0 : r1, col = j0 + nt * 8 + 2 * t + (e & 1);
                float pe = (col <= row && col < L) ? exp2f(p[nt][e] * scaleLog2 - (e < 2 ? ls0 : ls1)) : 0.f;
                dp[nt][e] = pe * (dp[nt][e] - (e < 2 ? d0 : d1));  // dS
            }
        }
        M::template cb<HD, BC / 8>(dp, ks, g, t, gq);   // dq += dS·k (scaled below)
    }
    fa_store_rows<HD>(dq + base, r0, L, t, gq, scale, scale);
}

// The kernels, one per input type and head dim (BF16 from 16: its mma sums 16 columns).
// Arguments: q, k, v, o, lse [N, L], L, scale·log2(e).
#define FA_KERNELS(MMA, NAME, HD)                                                                                 \
    extern "C" __global__ void flash_fwd_##NAME##_##HD(const float* q, const float* k, const float* v, float* o,    \
            float* lse, int L, float scaleLog2) {                                                                    \
        fa_forward<MMA, HD>(q, k, v, o, lse, L, scaleLog2);                                                          \
    }                                                                                                                \
    extern "C" __global__ void flash_bwd_kv_##NAME##_##HD(const float* q, const float* k, const float* v,           \
            const float* dO, const float* lse, const float* delta, float* dk, float* dv, int L, float scale,         \
            float scaleLog2) {                                                                                       \
        fa_backward_kv<MMA, HD>(q, k, v, dO, lse, delta, dk, dv, L, scale, scaleLog2);                               \
    }                                                                                                                \
    extern "C" __global__ void flash_bwd_q_##NAME##_##HD(const float* q, const float* k, const float* v,            \
            const float* dO, const float* lse, const float* delta, float* dq, int L, float scale, float scaleLog2) { \
        fa_backward_q<MMA, HD>(q, k, v, dO, lse, delta, dq, L, scale, scaleLog2);                                    \
    }

FA_KERNELS(Tf32Mma, tf32, 8)
FA_KERNELS(Tf32Mma, tf32, 16)
FA_KERNELS(Tf32Mma, tf32, 32)
FA_KERNELS(Tf32Mma, tf32, 64)
FA_KERNELS(Bf16Mma, bf16, 16)
FA_KERNELS(Bf16Mma, bf16, 32)
FA_KERNELS(Bf16Mma, bf16, 64)
