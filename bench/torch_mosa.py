#!/usr/bin/python3
"""PyTorch (CPU) reference of the MoSA language model of docs/model.md, for benchmarking.

Three modes:
  --validate FILE...   rebuild the model from parity vectors (kind mosa_lm or mosa_attention_layer),
                       run it in float64 and compare output, loss and every gradient; exit 1 on mismatch.
  --bench              time training steps (forward, backward, clipping, Adam) of a ModelConfig given as the
                       same JSON the Java side writes (--config-json), print one JSON line with tokens/s.
  --load-safetensors FILE --tokens FILE
                       load a model file of `mosa train` / `mosa export` (canonical names, config in the
                       metadata) in its own precision and print one JSON line with the mean next-token loss
                       and the logits on the token windows of the JSON file ([[t0, ..., tT], ...]).

Only torch and the standard library are needed: Debian bookworm's python3-torch (1.13) works, so does
any newer torch. The safetensors reader is hand-written (one page of format, and bookworm ships no
safetensors package) so that the script runs on a stock Debian host.
"""
import argparse
import json
import math
import os
import platform
import statistics
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------- model
class Rope:
    """Rotates the first n_rot dims of each q/k by angles p · inv_freq (p: original token position)."""

    def __init__(self, head_dim, rotate_fraction, base):
        n = int(math.floor(rotate_fraction * head_dim))
        self.n_rot = n - 1 if n % 2 == 1 else n
        self.base = base

    def __call__(self, x, positions):
        # x: [..., L, h′]; positions: broadcastable to [..., L] (integer)
        if self.n_rot == 0:
            return x
        half = self.n_rot // 2
        j = torch.arange(half, dtype=x.dtype, device=x.device)
        inv_freq = self.base ** (-2.0 * j / self.n_rot)                      # [n_rot/2]
        theta = positions.to(x.dtype).unsqueeze(-1) * inv_freq               # [..., L, n_rot/2]
        cos, sin = theta.cos(), theta.sin()
        x1, x2, rest = x[..., :half], x[..., half:self.n_rot], x[..., self.n_rot:]
        return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin, rest), dim=-1)


class DenseHeads(nn.Module):
    def __init__(self, d_model, head_dim, heads, rope):
        super().__init__()
        self.heads, self.head_dim, self.rope = heads, head_dim, rope
        self.qkv = nn.Linear(d_model, 3 * head_dim * heads, bias=False)
        self.o = nn.Linear(head_dim * heads, d_model, bias=False)

    def forward(self, x):
        B, T, _ = x.shape
        qkv = self.qkv(x).view(B, T, self.heads, 3 * self.head_dim).transpose(1, 2)  # [B, Hd, T, 3h′]
        q, k, v = qkv.split(self.head_dim, dim=-1)                                     # [B, Hd, T, h′]
        pos = torch.arange(T, device=x.device)
        q, k = self.rope(q, pos), self.rope(k, pos)
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim)                     # [B, Hd, T, T]
        att = att.masked_fill(~causal, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, self.heads * self.head_dim)         # head-major
        return self.o(y)


class MosaHeads(nn.Module):
    """Expert-choice sparse heads: each head picks its top-k tokens by router score."""

    def __init__(self, d_model, head_dim, heads, sparsity, include_first, rope):
        super().__init__()
        self.heads, self.head_dim, self.sparsity = heads, head_dim, sparsity
        self.include_first, self.rope = include_first, rope
        self.router = nn.Linear(d_model, heads, bias=False)
        self.qkv = nn.Parameter(torch.empty(heads, d_model, 3 * head_dim))
        self.o = nn.Parameter(torch.empty(heads, head_dim, d_model))
        nn.init.normal_(self.qkv, std=d_model ** -0.5)
        nn.init.normal_(self.o, std=head_dim ** -0.5)

    def select(self, r, k):
        # r: [B, Hm, T] → I: [B, Hm, k] sorted ascending (order is irrelevant to the result)
        if self.include_first:
            rest = r[..., 1:].topk(k - 1, dim=-1).indices + 1
            idx = torch.cat((torch.zeros_like(rest[..., :1]), rest), dim=-1)
        else:
            idx = r.topk(k, dim=-1).indices
        return idx.sort(dim=-1).values

    def forward(self, x):
        B, T, h = x.shape
        k = min(max(T // self.sparsity, 2), T)
        r = torch.sigmoid(self.router(x)).transpose(1, 2)                           # [B, Hm, T]
        idx = self.select(r.detach(), k)                                             # [B, Hm, k]
        batch = torch.arange(B, device=x.device)[:, None, None]
        xs = x[batch, idx]                                                           # [B, Hm, k, h]
        qkv = torch.einsum("bnkh,nhd->bnkd", xs, self.qkv)                           # [B, Hm, k, 3h′]
        q, kk, v = qkv.split(self.head_dim, dim=-1)                                  # [B, Hm, k, h′]
        q, kk = self.rope(q, idx), self.rope(kk, idx)
        allowed = idx.unsqueeze(-1) >= idx.unsqueeze(-2)                             # [B, Hm, k, k]
        att = (q @ kk.transpose(-1, -2)) / math.sqrt(self.head_dim)
        att = att.masked_fill(~allowed, float("-inf")).softmax(-1)
        a = (att @ v) * r.gather(-1, idx).unsqueeze(-1)                              # [B, Hm, k, h′]
        y = torch.einsum("bnkd,ndh->bnkh", a, self.o)                                # [B, Hm, k, h]
        out = x.new_zeros(B, T, h)
        flat = idx.reshape(B, -1, 1).expand(-1, -1, h)                               # [B, Hm·k, h]
        return out.scatter_add(1, flat, y.reshape(B, -1, h))


class HybridAttention(nn.Module):
    def __init__(self, a):
        super().__init__()
        rope = Rope(a["head_dim"], a.get("rotate_fraction", 0.5), a.get("rope_base", 10000.0))
        self.dense = DenseHeads(a["d_model"], a["head_dim"], a["dense_heads"], rope) if a["dense_heads"] else None
        self.mosa = MosaHeads(a["d_model"], a["head_dim"], a["mosa_heads"], a["sparsity"],
                              bool(a.get("include_first", False)), rope) if a["mosa_heads"] else None

    def forward(self, x):
        out = 0
        if self.dense is not None:
            out = out + self.dense(x)
        if self.mosa is not None:
            out = out + self.mosa(x)
        return out


class Mlp(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff, bias=False)
        self.fc2 = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, eps = c["attention"]["d_model"], c["ln_eps"]
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=eps), nn.LayerNorm(h, eps=eps)
        self.attn = HybridAttention(c["attention"])
        self.mlp = Mlp(h, c["d_ff"])

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class MosaLm(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, V = c["attention"]["d_model"], c["vocab_size"]
        self.tok_emb = nn.Embedding(V, h)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c["n_layers"]))
        self.ln_f = nn.LayerNorm(h, eps=c["ln_eps"])
        self.lm_head = nn.Linear(h, V, bias=False)

    def forward(self, tokens):
        x = self.tok_emb(tokens)
        for b in self.blocks:
            x = b(x)
        return self.lm_head(self.ln_f(x))

    def loss(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1)), logits


def flat_config(c):
    """A parity file's flat config → the nested ModelConfig JSON the Java side writes."""
    keys = ("d_model", "head_dim", "dense_heads", "mosa_heads", "sparsity", "include_first", "rotate_fraction",
            "rope_base")
    return {"vocab_size": c["vocab_size"], "n_layers": c["n_layers"], "d_ff": c["d_ff"], "seq_len": c["seq_len"],
            "ln_eps": c["ln_eps"], "attention": {k: c[k] for k in keys}}


# --------------------------------------------------------------------------------------- parity check
def read_safetensors(path):
    dtypes = {"F64": torch.float64, "F32": torch.float32, "I64": torch.int64, "I32": torch.int32}
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = bytearray(raw[8 + n:])
    tensors = {}
    for name, t in header.items():
        start, end = t["data_offsets"]
        flat = torch.frombuffer(body[start:end], dtype=dtypes[t["dtype"]]) if end > start else torch.empty(0)
        tensors[name] = flat.reshape(t["shape"]).clone()
    return tensors, meta


def load_params(module, tensors, prefix):
    own = dict(module.named_parameters())
    missing = sorted(set(own) - {n[len(prefix):] for n in tensors if n.startswith(prefix)})
    if missing:
        raise SystemExit(f"parity file lacks parameters {missing}")
    with torch.no_grad():
        for name, p in own.items():
            p.copy_(tensors[prefix + name])


def compare(report, name, got, want, tol):
    err = ((got - want).abs().max() / want.abs().max().clamp_min(1e-300)).item()
    report.append({"tensor": name, "max_rel_err": err, "ok": err <= tol})


def validate(path, tol):
    t, meta = read_safetensors(path)
    cfg, kind = json.loads(meta["config"]), meta["kind"]
    torch.manual_seed(0)
    report = []
    if kind == "mosa_lm":
        model = MosaLm(flat_config(cfg)).double()
        load_params(model, t, "param.")
        loss, logits = model.loss(t["tokens"])
        loss.backward()
        compare(report, "expected_logits", logits.detach(), t["expected_logits"], tol)
        compare(report, "expected_loss", loss.detach().reshape(1), t["expected_loss"], tol)
    elif kind == "mosa_attention_layer":
        model = HybridAttention(cfg).double()
        load_params(model, t, "param.")
        x = t["input"].clone().requires_grad_(True)
        y = model(x)
        (y * t["upstream_grad"]).sum().backward()
        compare(report, "expected_output", y.detach(), t["expected_output"], tol)
        compare(report, "expected_input_grad", x.grad, t["expected_input_grad"], tol)
        if model.mosa is not None:
            r = torch.sigmoid(model.mosa.router(x.detach())).transpose(1, 2)
            k = t["selected_indices"].shape[-1]
            same = torch.equal(model.mosa.select(r, k), t["selected_indices"])
            report.append({"tensor": "selected_indices", "max_rel_err": 0.0 if same else 1.0, "ok": same})
    else:
        raise SystemExit(f"{path}: unknown kind {kind!r}")
    for name, p in model.named_parameters():
        compare(report, "grad." + name, p.grad, t["grad." + name], tol)
    return {"file": os.path.basename(path), "kind": kind, "ok": all(r["ok"] for r in report),
            "worst": max(report, key=lambda r: r["max_rel_err"]), "checked": len(report)}


# --------------------------------------------------------------------------------- exported model files
def load_model_file(path):
    """A model.safetensors of mosa-spark: the network its metadata describes, holding its weights."""
    t, meta = read_safetensors(path)
    if meta.get("format") != "mosa-spark-lm" or "config" not in meta:
        raise SystemExit(f"{path}: not a mosa-spark-lm model file (__metadata__.format = {meta.get('format')!r})")
    cfg = json.loads(meta["config"])
    if cfg.get("attention", {}).get("selection", "EXPERT_CHOICE") != "EXPERT_CHOICE":
        raise SystemExit(f"{path}: only selection EXPERT_CHOICE is implemented here")
    dtypes = {v.dtype for v in t.values()}
    if len(dtypes) != 1:
        raise SystemExit(f"{path}: tensors of several dtypes {sorted(map(str, dtypes))}")
    model = MosaLm(cfg).to(dtypes.pop())
    unknown = sorted(set(t) - set(dict(model.named_parameters())))
    if unknown:
        raise SystemExit(f"{path}: tensors the model does not have {unknown}")
    load_params(model, t, "")
    return model, cfg


def score(model_file, tokens_file):
    model, cfg = load_model_file(model_file)
    with open(tokens_file) as f:
        windows = torch.tensor(json.load(f), dtype=torch.int64)
    with torch.no_grad():
        loss, logits = model.loss(windows)
    return {"impl": "pytorch", "torch_version": torch.__version__, "dtype": str(logits.dtype),
            "windows": list(windows.shape), "loss": loss.item(), "logits_shape": list(logits.shape),
            "logits": logits.reshape(-1).tolist()}


# ---------------------------------------------------------------------------------------------- bench
def bench(cfg, batch, warmup, repeats, threads, seed, grad_clip, device="cpu", compile_model=False, dtype="float32"):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    dev = torch.device(device)
    if dev.type == "cuda":
        # TF32 for float32 products, the same as the CUDA backend's tf32 precision
        torch.backends.cuda.matmul.allow_tf32 = dtype != "float32-strict"
        torch.backends.cudnn.allow_tf32 = dtype != "float32-strict"
    model = MosaLm(cfg).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=2.5e-4)
    T, V = cfg["seq_len"], cfg["vocab_size"]
    tokens = torch.randint(0, V, (batch, T + 1), generator=torch.Generator().manual_seed(seed)).to(dev)
    loss_fn = torch.compile(model.loss) if compile_model else model.loss
    autocast = torch.autocast(device_type=dev.type, dtype=torch.bfloat16) if dtype == "bf16" else None

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def step():
        opt.zero_grad(set_to_none=True)
        if autocast is not None:
            with autocast:
                loss, _ = loss_fn(tokens)
        else:
            loss, _ = loss_fn(tokens)
        loss.backward()
        if grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    sync()
    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times, cpu, losses = [], [], []
    for _ in range(repeats):
        sync()
        c0, t0 = time.process_time(), time.perf_counter()
        losses.append(step())
        sync()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    med = statistics.median(times)
    out = {"impl": "pytorch", "torch_version": torch.__version__, "threads": torch.get_num_threads(),
           "device": device, "compiled": compile_model, "dtype": dtype,
           "batch": batch, "seq_len": T, "grad_clip": grad_clip, "params": sum(p.numel() for p in model.parameters()),
           "step_s_median": med, "step_s_min": min(times), "step_s_max": max(times),
           "step_s_all": times, "tokens_per_s": batch * T / med, "loss_last": losses[-1],
           "step_cpu_s_median": statistics.median(cpu), "tokens_per_cpu_s": batch * T / statistics.median(cpu), "warmup": warmup, "repeats": repeats,
           "python": platform.python_version(), "config": cfg}
    if dev.type == "cuda":
        out["peak_bytes"] = torch.cuda.max_memory_allocated()
        out["gpu"] = torch.cuda.get_device_name()
    else:
        out["blas_library"] = blas_library()
        out["gemm_gflops_per_s_1024"] = gemm_rate(1024)
    return out


def blas_library():
    """The BLAS shared object this process loaded: Debian's torch uses whatever libblas.so.3 points to
    (reference BLAS unless an optimised one such as libopenblas0-openmp is installed)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(libs)
    except OSError:
        return []


def gemm_rate(n, repeats=5):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t0 = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n ** 3 * repeats / (time.perf_counter() - t0) / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--validate", nargs="+", metavar="FILE", help="parity safetensors files to check")
    ap.add_argument("--tol", type=float, default=1e-9, help="max relative error (float64) for --validate")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--config-json", help="ModelConfig JSON (keys as the Java ModelConfig writes them)")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--grad-clip", type=float, default=0.0, help="global gradient-norm clipping (0 = off)")
    ap.add_argument("--load-safetensors", metavar="FILE", help="a model.safetensors of mosa train / mosa export")
    ap.add_argument("--tokens", metavar="FILE", help="JSON token windows [[t0..tT], ...] to score with --load-safetensors")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (GPU benchmarks: TF32 products unless --dtype float32-strict)")
    ap.add_argument("--compile", action="store_true", help="run the loss through torch.compile")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float32-strict", "bf16"],
                    help="bf16: autocast the forward to bfloat16 (float32 master weights)")
    a = ap.parse_args()
    if a.load_safetensors:
        if not a.tokens:
            ap.error("--load-safetensors needs --tokens")
        print(json.dumps(score(a.load_safetensors, a.tokens)))
        return
    if a.validate:
        results = [validate(p, a.tol) for p in a.validate]
        for r in results:
            print(json.dumps(r))
        sys.exit(0 if all(r["ok"] for r in results) else 1)
    if a.bench:
        if not a.config_json:
            ap.error("--bench needs --config-json")
        cfg = json.loads(a.config_json)
        if cfg.get("attention", {}).get("selection", "EXPERT_CHOICE") != "EXPERT_CHOICE":
            ap.error("only selection EXPERT_CHOICE is implemented here")
        print(json.dumps(bench(cfg, a.batch, a.warmup, a.repeats, a.threads, a.seed, a.grad_clip, a.device, a.compile,
                               a.dtype)))
        return
    ap.error("give --validate FILE..., --bench or --load-safetensors FILE --tokens FILE")


if __name__ == "__main__":
    main()
