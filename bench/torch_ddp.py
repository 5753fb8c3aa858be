#!/usr/bin/python3
"""PyTorch data-parallel baseline for `mosa bench train-vs-torch`: the model of torch_mosa.py trained by
N processes on this machine over the gloo backend (loopback only), one thread each, Adam.

Two modes, the two a PyTorch user would pick:
  --period 1   DistributedDataParallel: gradients all-reduced after every step (what H = 1 is for us).
  --period H   local SGD: each process takes H steps alone, then the parameters are all-reduced and
               divided by N (torch's PeriodicModelAverager does the same); what parameter averaging
               every H steps is for us.

Prints one JSON line: tokens/s of all processes together (median over timed steps of the slowest
process), with the settings. Random tokens: throughput does not depend on the text.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_mosa import MosaLm  # noqa: E402


def worker(rank, args, cfg, port, queue):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=args.procs)
    torch.manual_seed(args.seed)
    model = MosaLm(cfg)
    net = torch.nn.parallel.DistributedDataParallel(model) if args.period == 1 else model
    opt = torch.optim.Adam(model.parameters(), lr=2.5e-4)
    T, V = cfg["seq_len"], cfg["vocab_size"]
    gen = torch.Generator().manual_seed(args.seed + rank)
    tokens = torch.randint(0, V, (args.batch, T + 1), generator=gen)

    def step(i):
        opt.zero_grad(set_to_none=True)
        loss, _ = lm_loss(net, tokens)
        loss.backward()
        opt.step()
        if args.period > 1 and (i + 1) % args.period == 0:
            with torch.no_grad():
                for p in model.parameters():
                    dist.all_reduce(p.data)
                    p.data /= args.procs

    for i in range(args.warmup):
        step(i)
    dist.barrier()
    t0 = time.perf_counter()
    for i in range(args.steps):
        step(args.warmup + i)
    dist.barrier()
    seconds = time.perf_counter() - t0
    queue.put((rank, seconds))
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
    ap.add_argument("--warmup", type=int, default=8)
    ap.add_argument("--steps", type=int, default=32, help="timed steps (a multiple of --period)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--port", type=int, default=29517)
    args = ap.parse_args()
    cfg = json.loads(args.config_json)
    ctx = mp.get_context("spawn")
    queue = ctx.SimpleQueue()
    procs = [ctx.Process(target=worker, args=(r, args, cfg, args.port, queue)) for r in range(args.procs)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        sys.exit("a DDP process failed")
    seconds = max(queue.get()[1] for _ in procs)
    tokens = args.procs * args.batch * cfg["seq_len"] * args.steps
    print(json.dumps({"impl": "pytorch-ddp" if args.period == 1 else "pytorch-local-sgd", "torch_version": torch.__version__,
                      "procs": args.procs, "threads_per_proc": 1, "period": args.period, "batch_per_proc": args.batch,
                      "seq_len": cfg["seq_len"], "steps": args.steps, "seconds": seconds, "tokens_per_s": tokens / seconds}))


if __name__ == "__main__":
    main()
