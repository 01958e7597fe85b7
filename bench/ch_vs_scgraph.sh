#!/usr/bin/env bash
# Contraction hierarchies (issue 5): corridor against scgraph, side by side, one run.
#
#   bash bench/ch_vs_scgraph.sh [REPS=21]
#
# Sets up a Python venv with scgraph 3.x and scgraph-data 2.x (reuses ./.venv when it has both,
# else creates bench/.venv), builds the Rust side (release example `bench_ch`), imports and
# prepares world_railways (`rail`) and world_highways_and_marnet (`road+sea`) into
# bench/.networks, and runs the pairs of ../shared/reference/od-pairs.tsv (or $OD_PAIRS).
# Set SCGRAPH_CH_BIG=1 to also build scgraph's CH on road+sea (the issue measured 451 s and
# 8 GB; off by default).
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-21}
OD=${OD_PAIRS:-../shared/reference/od-pairs.tsv}
PY=.venv/bin/python
if ! { [ -x "$PY" ] && "$PY" -c 'import scgraph, importlib.util as u; assert u.find_spec("scgraph_data")' 2>/dev/null; }; then
  PY=bench/.venv/bin/python
  [ -x "$PY" ] || python3 -m venv bench/.venv
  "$PY" -m pip install -q 'scgraph>=3,<4' 'scgraph-data==2.*' networkx
fi
cargo build --release -q -p corridor-physical --example bench_ch
BIN=target/release/examples/bench_ch
NETS=bench/.networks
mkdir -p "$NETS"
PKG=$("$PY" -c 'import importlib.util as u, os; print(os.path.dirname(u.find_spec("scgraph_data").origin))')
for n in rail road+sea; do
  [ -f "$NETS/$n.cnet" ] || "$BIN" import "$NETS" "$n" "$PKG" >&2
done
"$PY" bench/ch_vs_scgraph.py --bin "$BIN" --networks "$NETS" --od "$OD" --reps "$REPS"
