#!/usr/bin/env python3
"""Issue 15 measure: flows on the corridor network, the data's demand at factors 1 and 2
(as published, and with China–Kazakhstan and the rest doubled), with and without the planned
capacities. Runs `corridor assign --format json` (release build recommended) and prints, per
run, the wall time (median of 5), the iterations and gap reached, and the five most saturated
capacities with V/C and the source of their figure.

    cargo build --release -p corridor-cli
    python3 bench/flows_corridor.py [path/to/corridor]
"""
import json
import statistics
import subprocess
import sys
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/corridor"
RUNS = [
    ["--demand-factor", "1"],
    ["--demand-factor", "2"],
    ["--demand-factor", "2", "--planned"],
    ["--demand-factor", "2", "--objective", "so"],
    ["--demand-factor", "2", "--algorithm", "bfw"],
]


def run(args):
    times = []
    out = None
    for _ in range(5):
        t = time.perf_counter()
        p = subprocess.run([BIN, "assign", *args, "--gap", "1e-6", "--format", "json"], capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t)
        out = json.loads(p.stdout)
    return statistics.median(times), out


for args in RUNS:
    t, a = run(args)
    c = a["convergence"]
    print(f"\n{' '.join(args)}: {a['demand_teu_per_year']:,.0f} TEU/yr, {t:.2f} s wall (median of 5; "
          f"{c['seconds']:.3f} s in the assignment), {c['iterations']} iterations, gap {c['relative_gap']:.1e}, "
          f"{len(a['bottlenecks'])} capacities at V/C >= 0.8 of {len(a['capacities'])}")
    for b in a["capacities"][:5]:
        print(f"  {b['vc']:5.2f}  {b['name'][:60]:<60} {b['load_teu_per_year']:>10,.0f} / {b['capacity_teu_per_year']:>10,.0f}  [{b['source'][:50]}]")
    for f in a["corridors"][:4]:
        print(f"        {f['share'] * 100:5.1f}%  {f['corridor']}")
