#!/usr/bin/env bash
# Runs the CUDA backend's GPU checks on a GPU host that has CUDA 13 libraries but no Java or Maven:
# parity in float64 and float32, then the Tiny step benchmark against PyTorch (eager, torch.compile).
# Needs what bench/gpu/pack.sh puts in .gpu-pack/: a jlinked Java 17 (jre.tar.xz) and the runner's jars.
#   bench/gpu/run-on-gpu.sh OUTDIR [parity] [step] [torch]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: run-on-gpu.sh OUTDIR [parity] [step] [torch]}"; shift
what="${*:-parity step torch}"
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
run() { "$java" -Xmx8g -cp "$cp" io.mosaspark.cuda.CudaMain "$@"; }
parity_files=("$here"/model/src/test/resources/parity/*.safetensors)
if [[ " $what " == *" parity "* ]]; then
  MOSA_CUDA_SYNC=1 run parity --dtype float64 --json "$out/parity-float64.json" "${parity_files[@]}" 2>&1 | tee "$out/parity-float64.txt"
  run parity --dtype float32 --json "$out/parity-float32.json" "${parity_files[@]}" 2>&1 | tee "$out/parity-float32.txt"
  run parity --dtype tf32 --json "$out/parity-tf32.json" "${parity_files[@]}" 2>&1 | tee "$out/parity-tf32.txt"
fi
batch="${MOSA_BENCH_BATCH:-8}"
if [[ " $what " == *" step "* ]]; then
  for m in dense matched; do
    run step --preset tiny --model "$m" --batch "$batch" --precision tf32 --warmup 3 --repeats 10 --out "$out/step-$m-tf32.json" \
      > "$out/step-$m-tf32.log" 2>&1 || tail -20 "$out/step-$m-tf32.log"
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
    for m in dense matched; do
      flag=(); [[ $mode == compile ]] && flag=(--compile)
      python3 "$here/bench/torch_mosa.py" --bench --device cuda "${flag[@]}" --config-json "$(tiny_config $m)" --batch "$batch" \
        --warmup 3 --repeats 10 > "$out/torch-$m-$mode.json" 2> "$out/torch-$m-$mode.err" || tail -5 "$out/torch-$m-$mode.err"
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
for prec in ("float64", "float32", "tf32"):
    r = load(f"parity-{prec}.json")
    if r:
        print(f"parity {prec}: passed={r['passed']}", " ".join(f"{os.path.basename(f['file'])}:{f.get('max_abs', f.get('error'))!s:.9}/{f.get('max_rel', '')!s:.9}" for f in r["files"]))
for m in ("dense", "matched"):
    for n in (f"step-{m}-tf32.json", f"torch-{m}-eager.json", f"torch-{m}-compile.json"):
        r = load(n)
        if r:
            print(f"{n:28s} step {r['step_s_median']*1e3:8.2f} ms  tok/s {r['tokens_per_s']:10.0f}  peak {r.get('peak_bytes', 0)/2**20:8.0f} MiB  loss {r.get('loss_last')}")
PY
