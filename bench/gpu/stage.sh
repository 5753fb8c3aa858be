#!/usr/bin/env bash
# Copies what a GPU run needs (this checkout's GPU scripts, the PyTorch baseline, the parity files and
# .gpu-pack/) into DIR/.gpu-backend-run/, a folder the repository's info/exclude ignores, for tools that
# ship a checkout's ignored folders to a GPU host by name.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="${1:?usage: stage.sh DIR}/.gpu-backend-run"
rm -rf "$dest" && mkdir -p "$dest/bench/gpu" "$dest/model/src/test/resources"
cp "$here"/bench/gpu/*.sh "$here"/bench/gpu/*.py "$dest/bench/gpu/" 2>/dev/null || true
cp "$here/bench/torch_mosa.py" "$dest/bench/"
cp -r "$here/model/src/test/resources/parity" "$dest/model/src/test/resources/"
mkdir -p "$dest/conf/presets" && cp "$here/conf/presets/tiny.json" "$dest/conf/presets/"
cp -r "$here/.gpu-pack" "$dest/"
du -sh "$dest"
