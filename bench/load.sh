#!/usr/bin/env bash
# Load benchmark of `corridor serve` with wrk, loopback only, bounded in time.
#
#   bash bench/load.sh [DURATION_S=60] [CONNECTIONS=64]
#
# Rotates more than 100 distinct /v1/route requests (city pairs × objective; the server caches
# nothing), prints requests/s, latency p50/p99, errors, and the server's resident memory sampled
# every second from 10 s to the end (it should stay within 10%). Needs wrk (Debian: apt-get
# install wrk) and a release build (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-60}
CONNS=${2:-64}
PORT=${PORT:-18181}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
cargo build --release -q -p corridor-cli
BIN=target/release/corridor
TMP=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT

# Distinct requests: every ordered pair of these cities, checked routable with `corridor table`.
CITIES=("Xi'an" Chongqing Chengdu Zhengzhou Yiwu Urumqi Almaty Tashkent Baku Tbilisi Istanbul Duisburg Hamburg Warsaw Lodz Rotterdam)
ARGS=()
for c in "${CITIES[@]}"; do ARGS+=(--from "$c" --to "$c"); done
$BIN table "${ARGS[@]}" --format csv > "$TMP/table.csv" 2>/dev/null || true
python3 - "$TMP/table.csv" "$TMP/requests.lua" <<'PY'
import csv, sys, urllib.parse
rows = [r for r in csv.DictReader(open(sys.argv[1])) if not r["error"]]
objs = ["time", "cost", "co2"]
paths = []
for i, r in enumerate(rows):
    q = {"from": r["from"], "to": r["to"], "optimize": objs[i % 3], "cargo": ["1xFEU", "2xFEU", "3xTEU"][i % 3]}
    paths.append("/v1/route?" + urllib.parse.urlencode(q))
assert len(paths) >= 100, len(paths)
with open(sys.argv[2], "w") as f:
    f.write("local paths = {\n" + ",\n".join('  "%s"' % p for p in paths) + "\n}\n")
    f.write("""local i = 0
setup = function(thread) thread:set("offset", math.random(1, #paths)) end
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i + (offset or 0)) % #paths) + 1])
end
""")
print(f"{len(paths)} distinct route requests", file=sys.stderr)
PY

$BIN serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

( for s in $(seq 1 "$DURATION"); do
    sleep 1
    if [ "$s" -ge 10 ]; then awk '/VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null; fi
  done > "$TMP/rss.txt" ) &
SAMPLER=$!
wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$TMP/requests.lua" "http://127.0.0.1:$PORT" | tee "$TMP/wrk.txt"
wait $SAMPLER || true

python3 - "$TMP/wrk.txt" "$TMP/rss.txt" <<'PY'
import re, sys
w = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", w).group(1))
def lat(p):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, w)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", w)
errs = re.search(r"Socket errors: (.*)", w)
rss = [int(x) for x in open(sys.argv[2]).read().split()]
print("\n== corridor serve under wrk")
print(f"requests/s: {rps:,.0f}   (target >= 5,000 on 2 cores: {'met' if rps >= 5000 else 'MISSED'})")
print(f"latency p50: {lat(50):.2f} ms   p99: {lat(99):.2f} ms")
print(f"errors: non-2xx {non2xx.group(1) if non2xx else 0}; socket {errs.group(1) if errs else 'none'}")
if rss:
    lo, hi = min(rss), max(rss)
    n = len(rss)
    first, last = sum(rss[: n // 3]) / max(1, n // 3), sum(rss[-(n // 3):]) / max(1, n // 3)
    print("resident memory samples (MiB):", " ".join(f"{x/1024:.1f}" for x in rss))
    print(f"mean of first third {first/1024:.1f} MiB, last third {last/1024:.1f} MiB (trend {100*(last-first)/first:+.1f}%)")
    print(f"resident memory 10 s..end: {lo/1024:.1f}–{hi/1024:.1f} MiB, spread {100*(hi-lo)/lo:.1f}% ({'within' if hi <= lo * 1.10 else 'OUTSIDE'} 10%)")
PY
