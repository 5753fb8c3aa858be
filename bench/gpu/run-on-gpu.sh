#!/usr/bin/env bash
# Runs the CUDA backend's GPU checks on a GPU host that has CUDA 13 libraries but no Java or Maven:
# parity, the Tiny step benchmark against PyTorch (eager, torch.compile), product rates, and the
# trainer's worker loop (bench's WorkerLoopRun) on the CUDA backend.
# Needs what bench/gpu/pack.sh puts in .gpu-pack/: a jlinked Java 17 (jre.tar.xz) and the runner's jars.
#   bench/gpu/run-on-gpu.sh OUTDIR [attention] [selection] [loop] [parity] [step] [profile] [torch] [gemm]
# Precisions: PRECISIONS (default "tf32"; add bf16) for step, torch and loop; PARITY_DTYPES (default
# "float64 float32 tf32 bf16"); TORCH_PRECISIONS (default PRECISIONS); MOSA_BENCH_BATCH (default 8);
# STEP_VARIANTS (default "direct graphs materialised"; also flashtf32: BF16 with the fused attention on
# TF32 inputs); PROFILE_PRECISIONS (default "tf32"); LOOP_GRAPHS (default "false true": the worker
# loop with each step launched directly and replayed as a CUDA graph); STEP_WARMUP and STEP_REPEATS (default
# 20 and 20: with 3 and 10, the last five timed steps of a Tiny run at B = 8 were 7-12% faster than the
# first five on an H100, 2026-12-08); TORCH_WARMUP and TORCH_REPEATS (default 3 and 10).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: run-on-gpu.sh OUTDIR [parity] [step] [torch]}"; shift
what="${*:-loop parity step torch}"
mkdir -p "$out"
pack="$here/.gpu-pack"
if [[ ! -x /tmp/mosa-jre/bin/java ]]; then
  mkdir -p /tmp/mosa-jre && tar -xJf "$pack/jre.tar.xz" -C /tmp/mosa-jre --strip-components=1 || exit 3
fi
java=/tmp/mosa-jre/bin/java
# The CUDA 13 libraries JavaCPP's bindings link to (libcudart.so.13, libcublas(Lt).so.13, libnvrtc.so.13)
# and the driver's libcuda.so.1: wherever this host keeps them.
libdirs=$(find /usr/local /usr/lib /opt -maxdepth 9 \( -name 'libcudart.so.13' -o -name 'libcublas.so.13' \
  -o -name 'libnvrtc.so.13' -o -name 'libcublasLt.so.13' -o -name 'libcuda.so.1' \) -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -)
export LD_LIBRARY_PATH="${libdirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
cp="$pack/jars/*"
run() { "$java" -Xmx8g ${JAVA_OPTS:-} -cp "$cp" io.mosaspark.cuda.CudaMain "$@"; }
parity_files=("$here"/model/src/test/resources/parity/*.safetensors)
precisions="${PRECISIONS:-tf32}"
batch="${MOSA_BENCH_BATCH:-8}"
if [[ " $what " == *" attention "* ]]; then
  # the fused attention kernels against the materialised path and float64 (AttentionCheck)
  for p in $precisions; do
    run attention --precision "$p" --repeats 10 --cases 72x1024x64,136x32x64,6x200x64,4x130x32,3x77x16,5x33x8 --out "$out/attention-$p.json" > "$out/attention-$p.log" 2>&1 \
      || tail -30 "$out/attention-$p.log"
  done
fi
if [[ " $what " == *" selection "* ]]; then
  # the token selection kernel against its ranking definition, ties included (SelectionCheck)
  for p in tf32 float64; do
    run selection --precision "$p" --out "$out/selection-$p.json" > "$out/selection-$p.log" 2>&1 || tail -30 "$out/selection-$p.log"
  done
fi
if [[ " $what " == *" loop "* ]]; then
  # The worker loop, one JVM, no Spark: the loss-curve config (the same as the CPU run's, docs/gpu.md),
  # then Tiny at T = 1024 for tokens/s. MOSA_NVIDIA_SMI unset: the backend is chosen from nvidia-smi.
  curve=(--preset tiny --set model.n_layers=2 --set model.attention.d_model=256 --set model.d_ff=1024
         --set model.vocab_size=1000 --set model.seq_len=128 --set training.batch_size=8
         --set training.learning_rate=1e-3 --set training.warmup_steps=10 --set training.steps=100
         --rounds 10 --local-steps 10 --routing-every 4)
  for p in $precisions; do
    for g in ${LOOP_GRAPHS:-false true}; do
      tag=$p; [[ $g == true ]] && tag=$p-graphs
      for m in dense matched; do
        "$java" -Xmx8g -Dmosa.cuda.precision="$p" -Dmosa.cuda.graphs="$g" -cp "$cp" io.mosaspark.bench.train.WorkerLoopRun \
          --backend mosa-cuda --model "$m" "${curve[@]}" --out "$out/loop-curve-$m-$tag.json" > "$out/loop-curve-$m-$tag.log" 2>&1 \
          || tail -20 "$out/loop-curve-$m-$tag.log"
        "$java" -Xmx8g -Dmosa.cuda.precision="$p" -Dmosa.cuda.graphs="$g" -cp "$cp" io.mosaspark.bench.train.WorkerLoopRun \
          --backend mosa-cuda --model "$m" --preset tiny --set training.batch_size="$batch" --set training.steps=40 \
          --set training.warmup_steps=4 --rounds 4 --local-steps 10 --routing-every 4 --out "$out/loop-tiny-$m-$tag.json" \
          > "$out/loop-tiny-$m-$tag.log" 2>&1 || tail -20 "$out/loop-tiny-$m-$tag.log"
      done
    done
  done
fi
if [[ " $what " == *" parity "* ]]; then
  for d in ${PARITY_DTYPES:-float64 float32 tf32 bf16}; do
    sync=0; [[ $d == float64 ]] && sync=1
    MOSA_CUDA_SYNC=$sync run parity --dtype "$d" --json "$out/parity-$d.json" "${parity_files[@]}" > "$out/parity-$d.txt" 2>&1
    tail -1 "$out/parity-$d.txt"
  done
fi
if [[ " $what " == *" step "* ]]; then
  for p in $precisions; do
    for m in dense matched; do
      # direct launches (fused attention where it can run), the same replayed as a CUDA graph (the
      # default), and the materialised attention path (graphs) for comparison
      for variant in ${STEP_VARIANTS:-direct graphs materialised}; do
        case $variant in
          flashtf32) [[ $p == bf16 ]] || continue; opts=(-Dmosa.cuda.graphs=true -Dmosa.cuda.flash.inputs=tf32); suffix=-graphs-flashtf32 ;;
          direct) opts=(-Dmosa.cuda.graphs=false); suffix= ;;
          graphs) opts=(-Dmosa.cuda.graphs=true); suffix=-graphs ;;
          materialised) opts=(-Dmosa.cuda.attention=materialised); suffix=-materialised ;;
        esac
        JAVA_OPTS="${opts[*]:-}" run step --preset tiny --model "$m" --batch "$batch" --precision "$p" \
          --warmup "${STEP_WARMUP:-20}" --repeats "${STEP_REPEATS:-20}" \
          --out "$out/step-$m-$p$suffix.json" > "$out/step-$m-$p$suffix.log" 2>&1 || tail -20 "$out/step-$m-$p$suffix.log"
      done
    done
  done
fi
if [[ " $what " == *" profile "* ]]; then
  # every launch's host and GPU time (LaunchProfile)
  for p in ${PROFILE_PRECISIONS:-tf32}; do
    for m in dense matched; do
      run step --preset tiny --model "$m" --batch "$batch" --precision "$p" --warmup 2 --repeats 3 --profile true \
        --out "$out/profile-$m-$p.json" > "$out/profile-$m-$p.log" 2>&1 || tail -20 "$out/profile-$m-$p.log"
    done
  done
fi
tiny_config() {  # the ModelConfig JSON of the Tiny preset's dense model or perplexity-matched hybrid
  python3 - "$here/conf/presets/tiny.json" "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
m = p["model"]
if sys.argv[2] == "matched":
    m["attention"].update(p["perplexity_matched"])
print(json.dumps(m))
PY
}
if [[ " $what " == *" torch "* ]]; then
  for mode in eager compile; do
    for p in ${TORCH_PRECISIONS:-$precisions}; do
      dtype=float32; [[ $p == bf16 ]] && dtype=bf16   # float32 = TF32 products on CUDA (torch_mosa.py)
      for m in dense matched; do
        flag=(); [[ $mode == compile ]] && flag=(--compile)
        timeout 240 python3 "$here/bench/torch_mosa.py" --bench --device cuda "${flag[@]}" --dtype "$dtype" \
          --config-json "$(tiny_config $m)" --batch "$batch" --warmup "${TORCH_WARMUP:-3}" --repeats "${TORCH_REPEATS:-10}" \
          > "$out/torch-$m-$mode-$p.json" \
          2> "$out/torch-$m-$mode-$p.err" || tail -5 "$out/torch-$m-$mode-$p.err"
      done
    done
  done
fi
if [[ " $what " == *" gemm "* ]]; then
  python3 "$here/bench/gpu/gemm_rate.py" --batch "$batch" > "$out/gemm-dense.json" 2>&1 || cat "$out/gemm-dense.json"
  python3 "$here/bench/gpu/gemm_rate.py" --batch "$batch" --dense 4 --mosa 17 --k 32 > "$out/gemm-matched.json" 2>&1 || cat "$out/gemm-matched.json"
fi
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
def load(n):
    p = os.path.join(d, n)
    try:
        return json.load(open(p))
    except Exception:
        return None
for prec in ("float64", "float32", "tf32", "bf16"):
    r = load(f"parity-{prec}.json")
    if r:
        print(f"parity {prec}: passed={r['passed']}", " ".join(f"{os.path.basename(f['file'])}:{f.get('max_abs', f.get('error'))!s:.9}/{f.get('max_rel', '')!s:.9}" for f in r["files"]))
for p in ("tf32", "float64"):
    r = load(f"selection-{p}.json")
    if r:
        print(f"selection {p}: passed={r['passed']}", " ".join(f"[{c['case']}: wrong {c['wrong_positions']}, score err {c['worst_score_error']:.1e}]" for c in r["cases"]))
for p in ("tf32", "bf16"):
    r = load(f"attention-{p}.json")
    if r:
        print(f"attention {p}: passed={r['passed']}")
        for c in r["cases"]:
            print(f"  {c['n']}x{c['l']}x{c['head_dim']}: fused err {c['error_fused']}  materialised err {c['error_materialised']}"
                  f"  fwd+bwd {c['fused_forward_backward_ms']:.3f} vs {c['materialised_forward_backward_ms']:.3f} ms"
                  f" ({c['speedup_forward_backward']:.2f}x)")
for p in ("tf32", "bf16"):
    for m in ("dense", "matched"):
        for n in (f"step-{m}-{p}.json", f"step-{m}-{p}-graphs.json", f"step-{m}-{p}-graphs-flashtf32.json", f"step-{m}-{p}-materialised.json",
                  f"torch-{m}-eager-{p}.json", f"torch-{m}-compile-{p}.json"):
            r = load(n)
            if r:
                host = f"  host {r['host_s_median']*1e3:7.2f} ms" if "host_s_median" in r else ""
                print(f"{n:34s} step {r['step_s_median']*1e3:8.2f} ms{host}  tok/s {r['tokens_per_s']:10.0f}  peak {r.get('peak_bytes', 0)/2**20:8.0f} MiB  loss {r.get('loss_last')}")
        for g in ("", "-graphs"):
            for n in (f"loop-curve-{m}-{p}{g}.json", f"loop-tiny-{m}-{p}{g}.json"):
                r = load(n)
                if r:
                    print(f"{n:34s} loop tok/s {r['tokens_per_s_after_first_round']:10.0f}  losses", " ".join(f"{x['mean_loss']:.3f}" for x in r["per_round"]))
for p, m in [(p, m) for p in ("tf32", "bf16") for m in ("dense", "matched")]:
    r = load(f"profile-{m}-{p}.json")
    if r and "profile" in r:
        pr = r["profile"]
        print(f"profile {m} {p}: {pr['launches_per_step']:.0f} launches/step, host {pr['host_ms_per_step']:.2f} ms, gpu {pr['gpu_ms_per_step']:.2f} ms per step (plain step {r['step_s_median']*1e3:.2f} ms)")
        for row in pr["by_label"][:25]:
            print(f"  {row['label']:40s} x{row['calls_per_step']:5.0f}  gpu {row['gpu_ms_per_step']:7.3f} ms  host {row['host_ms_per_step']:7.3f} ms")
PY
