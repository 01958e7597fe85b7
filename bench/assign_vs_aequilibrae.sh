#!/usr/bin/env bash
# corridor-assign vs AequilibraE on TNTP folders, same thread count, target gaps 1e-4 and 1e-5
# (and corridor's gradient projection alone to 1e-8). Not run in CI.
#   bench/assign_vs_aequilibrae.sh [THREADS] [TNTP_DIR|grid ...]
# Folders: any of the TransportationNetworks collection (github.com/bstabler/TransportationNetworks;
# the files are not in this repository). Without folders: every one of Chicago-Sketch, Anaheim,
# Barcelona, Winnipeg found under $CORRIDOR_TNTP_DIR, else Sioux Falls from the shared reference
# folder. `grid` writes and runs the synthetic Chicago-Sketch-sized grid of bench/tntp_grid.py.
# Env: GAPS (1e-4,1e-5), GP_ONLY_GAPS (1e-8), REPEAT (3), MAX_ITER, TOLL_WEIGHT/DISTANCE_WEIGHT
# (default: the folder's README.md). Creates .venv with aequilibrae==1.7.2 from PyPI if absent.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}
shift || true
DIRS=("$@")
if [ ${#DIRS[@]} -eq 0 ]; then
  if [ -n "${CORRIDOR_TNTP_DIR:-}" ]; then
    for n in Chicago-Sketch Anaheim Barcelona Winnipeg; do
      [ -d "$CORRIDOR_TNTP_DIR/$n" ] && DIRS+=("$CORRIDOR_TNTP_DIR/$n")
    done
  fi
  [ ${#DIRS[@]} -gt 0 ] || DIRS=("${CORRIDOR_REFERENCE_DIR:-../shared/reference}/tntp/SiouxFalls")
fi
for i in "${!DIRS[@]}"; do
  if [ "${DIRS[$i]}" = grid ]; then
    DIRS[$i]=target/tntp-grid
    python3 bench/tntp_grid.py target/tntp-grid 30 387 1
  fi
  [ -d "${DIRS[$i]}" ] || { echo "no TNTP folder at ${DIRS[$i]}" >&2; exit 2; }
done
PY=${PYTHON:-.venv/bin/python}
if ! "$PY" -c 'import aequilibrae' 2>/dev/null; then
  [ "$PY" = .venv/bin/python ] || { echo "$PY lacks aequilibrae==1.7.2" >&2; exit 2; }
  python3 -m venv .venv && .venv/bin/pip install -q aequilibrae==1.7.2
fi
cargo build --release -q -p corridor-assign --example tntp_assign
"$PY" bench/assign_vs_aequilibrae.py target/release/examples/tntp_assign "$THREADS" "${GAPS:-1e-4,1e-5}" "${DIRS[@]}"
