#!/usr/bin/python3
"""cuBLAS's rate on the matrix products of one Tiny training step (T=1024), through PyTorch on the GPU.

Lists every product of the step the CUDA backend makes (projections, MLP, LM head, the heads' batched
q·kᵀ and p·v, each with its two backward products), times the whole list in BF16 and in TF32 (median of
repeats, CUDA events), and prints one JSON line: FLOPs of the list and the achieved rate. Model-FLOPs
utilisation is then step FLOPs / step time / this rate (docs/gpu.md).
  gemm_rate.py --batch 8 [--dense 9 --mosa 0 --k 32]
"""
import argparse, json, statistics
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--batch", type=int, default=8)
ap.add_argument("--dense", type=int, default=9)
ap.add_argument("--mosa", type=int, default=0)
ap.add_argument("--k", type=int, default=32)
a = ap.parse_args()
B, T, h, ff, V, hd, L = a.batch, 1024, 512, 2048, 8000, 64, 6
n = B * T
# (batch, m, k, n): C[m×n] = A[m×k]·B[k×n]; forward then the two backward products of each
fwd = [(1, n, h, 3 * hd * a.dense), (a.dense * B, T, hd, T), (a.dense * B, T, T, hd), (1, n, hd * a.dense, h),
       (1, n, h, ff), (1, n, ff, h)]
if a.mosa:
    sel = B * a.k
    fwd += [(1, n, h, a.mosa), (a.mosa, sel, h, 3 * hd), (a.mosa * B, a.k, hd, a.k), (a.mosa * B, a.k, a.k, hd),
            (a.mosa, sel, hd, h)]
shapes = []
for (bt, m, k, nn) in fwd:
    shapes += [(bt, m, k, nn), (bt, m, nn, k), (bt, k, m, nn)] * L
shapes += [(1, n, h, V), (1, n, V, h), (1, h, n, V)]
flops = sum(2 * bt * m * k * nn for bt, m, k, nn in shapes)


def rate(dtype, tf32):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    ops = [(torch.randn(bt, m, k, device="cuda", dtype=dtype), torch.randn(bt, k, nn, device="cuda", dtype=dtype))
           for bt, m, k, nn in shapes]
    times = []
    for rep in range(13):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        for x, y in ops:
            torch.bmm(x, y)
        e.record()
        torch.cuda.synchronize()
        if rep >= 3:
            times.append(s.elapsed_time(e) / 1e3)
    t = statistics.median(times)
    return {"seconds": t, "tflops_per_s": flops / t / 1e12}


print(json.dumps({"batch": B, "dense_heads": a.dense, "mosa_heads": a.mosa, "k": a.k, "products": len(shapes),
                  "flops": flops, "bf16": rate(torch.bfloat16, False), "tf32": rate(torch.float32, True),
                  "gpu": torch.cuda.get_device_name()}))
