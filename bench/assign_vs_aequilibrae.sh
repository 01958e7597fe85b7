#!/usr/bin/env bash
# corridor assign vs AequilibraE on a TNTP folder (default: Sioux Falls from the shared
# reference folder), same thread count, target gaps 1e-4 and 1e-5. Not run in CI.
#   bench/assign_vs_aequilibrae.sh [TNTP_DIR|grid] [THREADS]
# `grid` writes and runs the synthetic Chicago-Sketch-sized grid of bench/tntp_grid.py
# (target/tntp-grid); any other folder of the TransportationNetworks collection works as is.
# Needs .venv with aequilibrae==1.7.2:
#   python3 -m venv .venv && .venv/bin/pip install aequilibrae==1.7.2
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-${CORRIDOR_REFERENCE_DIR:-../shared/reference}/tntp/SiouxFalls}
THREADS=${2:-$(nproc)}
PY=${PYTHON:-.venv/bin/python}
if [ "$DIR" = grid ]; then
  DIR=target/tntp-grid
  python3 bench/tntp_grid.py "$DIR" 30 387 1
fi
[ -d "$DIR" ] || { echo "no TNTP folder at $DIR (give one: $0 DIR [THREADS])" >&2; exit 2; }
"$PY" -c 'import aequilibrae' 2>/dev/null || {
  echo "$PY lacks aequilibrae: python3 -m venv .venv && .venv/bin/pip install aequilibrae==1.7.2" >&2; exit 2; }
cargo build --release -q -p corridor-cli
"$PY" bench/assign_vs_aequilibrae.py "$DIR" target/release/corridor "$THREADS" 1e-4 1e-5
