#!/usr/bin/env bash
# The Python package (crates/py, docs/python.md), batch from Python and Ray (docs/batch.md):
# a venv inside the repo (.venv-py, ignored by git), pinned packages, the package built with
# maturin (dev profile: it reuses the workspace's debug build), pytest, and the Ray tests on a
# local cluster of a head and one worker process on 127.0.0.1. Every step bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
[ -x .venv-py/bin/python ] || timeout 120 "$PY" -m venv .venv-py
export PATH="$PWD/.venv-py/bin:$PATH"
timeout 600 pip install -q --disable-pip-version-check \
  "maturin==1.9.6" "pytest==8.3.4" "pandas==2.2.3" "pyarrow==18.1.0" "ray==2.40.0" \
  "geopandas==1.1.1" "shapely==2.2.0" "pyproj==3.7.2" "pyogrio==0.13.0"

# The CLI is the reference the tests compare with.
timeout 900 cargo build --locked -q -p corridor-cli
MATURIN_PEP517_ARGS="--profile dev --locked" timeout 900 \
  pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./crates/py

export CORRIDOR_REFERENCE_DIR="${CORRIDOR_REFERENCE_DIR:-$PWD/../shared/reference}"
export RAY_USAGE_STATS_ENABLED=0

# A local Ray cluster: the head and one worker node, one CPU each, loopback only.
RAY_PORT=${CORRIDOR_RAY_PORT:-6399}
ray stop --force >/dev/null 2>&1 || true
trap 'ray stop --force >/dev/null 2>&1 || true' EXIT
timeout 120 ray start --head --node-ip-address=127.0.0.1 --port="$RAY_PORT" --num-cpus=1 \
  --include-dashboard=false --disable-usage-stats >/dev/null
timeout 120 ray start --address="127.0.0.1:$RAY_PORT" --node-ip-address=127.0.0.1 --num-cpus=1 \
  --disable-usage-stats >/dev/null
export RAY_ADDRESS="127.0.0.1:$RAY_PORT"

timeout 600 pytest -q -p no:cacheprovider crates/py/tests
