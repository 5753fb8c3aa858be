#!/usr/bin/env python3
"""Compares the loss curves of two WorkerLoopRun outputs (same config, seed and data; e.g. the CPU backend
against the CUDA backend): per round, the mean training loss of each and their difference, then the largest
difference and the tokens/s of each.   compare_loops.py BASE.json OTHER.json [--tolerance 0.05]"""
import argparse, json

ap = argparse.ArgumentParser()
ap.add_argument("base")
ap.add_argument("other")
ap.add_argument("--tolerance", type=float, default=0.05, help="largest allowed |difference| of a round's mean loss (nats)")
a = ap.parse_args()
b, o = json.load(open(a.base)), json.load(open(a.other))
for key in ("model", "rounds", "local_steps", "batch", "seq_len", "params"):
    if b[key] != o[key]:
        raise SystemExit(f"{key} differs: {b[key]} vs {o[key]}: not the same run")
worst = 0.0
print(f"{'steps':>6} {b['device'][:28]:>28} {o['device'][:40]:>40} {'diff':>8}")
for rb, ro in zip(b["per_round"], o["per_round"]):
    d = ro["mean_loss"] - rb["mean_loss"]
    worst = max(worst, abs(d))
    print(f"{rb['steps_done']:6d} {rb['mean_loss']:28.4f} {ro['mean_loss']:40.4f} {d:+8.4f}")
print(f"largest |difference| {worst:.4f} nats (tolerance {a.tolerance}): {'within' if worst <= a.tolerance else 'OUTSIDE'}")
print(f"tokens/s after the first round: {b['tokens_per_s_after_first_round']:.0f} vs {o['tokens_per_s_after_first_round']:.0f}"
      f" ({o['tokens_per_s_after_first_round'] / b['tokens_per_s_after_first_round']:.1f}x)")
