#!/usr/bin/python3
"""PyTorch data-parallel baseline for `mosa bench train-vs-torch`: the model of torch_mosa.py trained by
N processes on this machine over the gloo backend (loopback only), one thread each, Adam.

Two modes, the two a PyTorch user would pick:
  --period 1   DistributedDataParallel: gradients all-reduced during every step's backward (what H = 1
               is for us).
  --period H   local SGD: each process takes H steps alone, then torch's PeriodicModelAverager averages
               the parameters (one all-reduce of a flat buffer) after steps H, 2H, ...: what parameter
               averaging every H steps is for us (which also averages Adam's moments; torch keeps them
               per process).

Every step clips the global gradient norm (--grad-clip) and takes an Adam step, as ours does.
Prints one JSON line: tokens/s of all processes together over the timed steps (wall time of the
slowest process, between two barriers), with the settings, and the warm-up steps' rate (for comparing
what a short run sees). Random tokens: throughput does not depend on the text.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.distributed.algorithms.model_averaging.averagers import PeriodicModelAverager

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_mosa import MosaLm, blas_library  # noqa: E402


def worker(rank, args, cfg, queue):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(args.port)
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=args.procs)
    torch.manual_seed(args.seed)
    model = MosaLm(cfg)
    net = torch.nn.parallel.DistributedDataParallel(model) if args.period == 1 else model
    opt = torch.optim.Adam(model.parameters(), lr=2.5e-4)
    # averages after steps period, 2·period, ... (its own counter starts at 0)
    averager = PeriodicModelAverager(period=args.period, warmup_steps=args.period - 1) if args.period > 1 else None
    T, V = cfg["seq_len"], cfg["vocab_size"]
    gen = torch.Generator().manual_seed(args.seed + rank)
    tokens = torch.randint(0, V, (args.batch, T + 1), generator=gen)

    def step():
        opt.zero_grad(set_to_none=True)
        loss, _ = lm_loss(net, tokens)
        loss.backward()
        if args.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        opt.step()
        if averager is not None:
            averager.average_parameters(model.parameters())

    w0 = time.perf_counter()
    for _ in range(args.warmup):
        step()
    dist.barrier()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.steps):
        step()
    dist.barrier()
    queue.put((rank, time.perf_counter() - t0, time.process_time() - c0, t0 - w0))
    dist.destroy_process_group()


def lm_loss(net, tokens):
    # through net's own forward: DDP hooks its gradient all-reduce into the backward of that call
    logits = net(tokens[:, :-1])
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))
    return loss, logits


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config-json", required=True, help="ModelConfig JSON (as the Java side writes it)")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16, help="sequences per process per step")
    ap.add_argument("--period", type=int, default=1, help="1: DDP every step; H > 1: average parameters every H steps")
    ap.add_argument("--warmup", type=int, default=8, help="untimed steps first (a multiple of --period)")
    ap.add_argument("--steps", type=int, default=32, help="timed steps (a multiple of --period)")
    ap.add_argument("--grad-clip", type=float, default=0.0, help="global gradient-norm clipping (0 = off)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--port", type=int, default=29517, help="TCP port of the gloo rendezvous on 127.0.0.1")
    args = ap.parse_args()
    for name in ("warmup", "steps"):
        if getattr(args, name) % args.period != 0:
            ap.error(f"--{name} = {getattr(args, name)}: must be a multiple of --period = {args.period}")
    if args.procs < 1 or args.steps < 1:
        ap.error("--procs and --steps must be >= 1")
    cfg = json.loads(args.config_json)
    ctx = mp.get_context("spawn")
    queue = ctx.SimpleQueue()
    procs = [ctx.Process(target=worker, args=(r, args, cfg, queue)) for r in range(args.procs)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        sys.exit("a DDP process failed (exit codes %s)" % [p.exitcode for p in procs])
    timings = [queue.get() for _ in procs]
    seconds = max(t[1] for t in timings)
    warmup_seconds = max(t[3] for t in timings)
    tokens = args.procs * args.batch * cfg["seq_len"] * args.steps
    warmup_tokens = args.procs * args.batch * cfg["seq_len"] * args.warmup
    print(json.dumps({"impl": "pytorch-ddp" if args.period == 1 else "pytorch-local-sgd", "torch_version": torch.__version__,
                      "backend": "gloo", "procs": args.procs, "threads_per_proc": 1, "period": args.period,
                      "batch_per_proc": args.batch, "seq_len": cfg["seq_len"], "grad_clip": args.grad_clip,
                      "warmup_steps": args.warmup, "steps": args.steps, "seconds": seconds,
                      "cpu_seconds_per_proc": [t[2] for t in sorted(timings)], "tokens_per_s": tokens / seconds,
                      "warmup_seconds": warmup_seconds,
                      "warmup_tokens_per_s": warmup_tokens / warmup_seconds if args.warmup > 0 else None,
                      "blas_library": blas_library()}))


if __name__ == "__main__":
    main()
