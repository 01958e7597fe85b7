#!/usr/bin/env python3
"""corridor assign vs AequilibraE (PyPI aequilibrae==1.7.2) on one TNTP folder, in one run.

Both read the same *_net.tntp / *_trips.tntp, run on the same number of threads, and stop at
the same relative gap, which both define as (sum x*c(x) - sum y*c(x)) / sum x*c(x) with y the
all-or-nothing flows at the current costs. For each target gap (1e-4, 1e-5) it prints the time
of the assignment alone (files read and graphs built beforehand, on both sides), iterations,
the largest relative difference between the two link flow vectors, and the time ratio. corridor
runs bi-conjugate Frank-Wolfe (the same algorithm as AequilibraE's 'bfw') and gradient
projection ('gp'). Run through bench/assign_vs_aequilibrae.sh, which builds corridor in release.

usage: assign_vs_aequilibrae.py TNTP_DIR CORRIDOR_BINARY THREADS [GAP ...]
"""

import glob
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

# AequilibraE's tqdm bars cost time at thousands of iterations per second; corridor's bar is off
# too (--format json)
os.environ.setdefault("AEQ_SHOW_PROGRESS", "FALSE")


def metadata_and_rows(path):
    meta, rows, in_data = {}, [], False
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not in_data:
                if s.startswith("<END OF METADATA>"):
                    in_data = True
                elif s.startswith("<"):
                    key, _, value = s[1:].partition(">")
                    meta[key.strip().upper()] = value.strip()
                continue
            if s and not s.startswith("~"):
                rows.append(s)
    return meta, rows


def read_net(path):
    meta, rows = metadata_and_rows(path)
    recs = [r.rstrip(";").split() for r in rows]
    df = pd.DataFrame(
        {
            "a_node": [int(r[0]) for r in recs],
            "b_node": [int(r[1]) for r in recs],
            "capacity": [float(r[2]) for r in recs],
            "free_flow_time": [float(r[4]) for r in recs],
            "b": [float(r[5]) for r in recs],
            "power": [float(r[6]) for r in recs],
        }
    )
    return int(meta["NUMBER OF ZONES"]), int(meta.get("FIRST THRU NODE", "1")), df


def read_trips(path, zones):
    _, rows = metadata_and_rows(path)
    od = np.zeros((zones, zones))
    origin = None
    for r in rows:
        if r.startswith("Origin"):
            origin = int(r.split()[1]) - 1
            continue
        for entry in r.split(";"):
            if ":" in entry:
                d, q = entry.split(":")
                od[origin, int(d) - 1] += float(q)
    np.fill_diagonal(od, 0.0)
    return od


def aequilibrae_run(zones, first_thru, links, od, gap, threads, max_iter):
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    net = links.copy()
    net["link_id"] = np.arange(1, len(net) + 1)
    net["direction"] = 1
    # AequilibraE's BPR: t0 * (1 + alpha * (x / capacity)^beta)
    g = Graph()
    g.network = net
    g.prepare_graph(np.arange(1, zones + 1, dtype=np.int64))
    g.set_graph("free_flow_time")
    g.set_blocked_centroid_flows(first_thru > 1)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=zones, matrix_names=["matrix"], memory_only=True)
    mat.index[:] = np.arange(1, zones + 1)
    mat.matrix["matrix"][:, :] = od
    mat.computational_view(["matrix"])
    assig = TrafficAssignment()
    assig.set_classes([TrafficClass("car", g, mat)])
    assig.set_vdf("BPR")
    assig.set_vdf_parameters({"alpha": "b", "beta": "power"})
    assig.set_capacity_field("capacity")
    assig.set_time_field("free_flow_time")
    assig.set_algorithm("bfw")
    assig.max_iter = max_iter
    assig.rgap_target = gap
    assig.set_cores(threads)
    t = time.perf_counter()
    assig.execute()
    seconds = time.perf_counter() - t
    res = assig.results().sort_index()
    flows = res["PCE_AB"].to_numpy()
    report = assig.assignment.convergence_report
    return seconds, len(report["iteration"]), float(report["rgap"][-1]), flows


def corridor_run(binary, folder, gap, threads, algorithm, max_iter):
    cmd = [binary, "assign", "--tntp", folder, "--format", "json", "--gap", str(gap),
           "--threads", str(threads), "--algorithm", algorithm, "--max-iter", str(max_iter)]
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    v = json.loads(out)
    c = v["convergence"]
    flows = np.array([l["flow"] for l in v["links"]])
    return c["seconds"], wall, c["iterations"], c["relative_gap"], c["converged"], flows


def max_rel_diff(a, b):
    """Largest |a - b| / b over the links that carry at least 1% of the largest flow (below
    that, relative differences of nearly empty links say nothing about agreement)."""
    mask = np.abs(b) >= 0.01 * np.max(np.abs(b))
    return float(np.max(np.abs(a[mask] - b[mask]) / np.abs(b[mask])))


def l1_rel_diff(a, b):
    """Sum |a - b| / sum b: the share of all link flow that differs."""
    return float(np.sum(np.abs(a - b)) / np.sum(np.abs(b)))


def main():
    folder, binary, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    gaps = [float(g) for g in sys.argv[4:]] or [1e-4, 1e-5]
    max_iter = int(os.environ.get("MAX_ITER", "20000"))
    net_path = glob.glob(os.path.join(folder, "*_net.tntp"))[0]
    trips_path = glob.glob(os.path.join(folder, "*_trips.tntp"))[0]
    flow_paths = glob.glob(os.path.join(folder, "*_flow.tntp"))
    zones, first_thru, links, = read_net(net_path)
    od = read_trips(trips_path, zones)
    best = None
    if flow_paths:
        best = pd.read_csv(flow_paths[0], sep=r"\s+", engine="python").iloc[:, 2].to_numpy(dtype=float)
    name = os.path.basename(net_path).replace("_net.tntp", "")
    from importlib.metadata import version
    print(f"# {name}: {len(links)} links, {zones} zones, demand {od.sum():.0f}; {threads} thread(s); "
          f"aequilibrae {version('aequilibrae')}; max_rel over links with >= 1% of the largest flow, "
          f"l1 = sum|dx| / sum x")
    print("gap      tool                  seconds  wall_s  iters  gap_reached  vs_aeq max_rel/l1   vs_best max_rel  speedup")
    for gap in gaps:
        a_sec, a_it, a_gap, a_flows = aequilibrae_run(zones, first_thru, links, od, gap, threads, max_iter)
        rows = [("aequilibrae bfw", a_sec, a_sec, a_it, a_gap, a_flows)]
        for alg in ["bfw", "gp"]:
            c_sec, c_wall, c_it, c_gap, _, c_flows = corridor_run(binary, folder, gap, threads, alg, max_iter)
            rows.append((f"corridor {alg}", c_sec, c_wall, c_it, c_gap, c_flows))
        for tool, sec, wall, it, g, flows in rows:
            vs_a = f"{max_rel_diff(flows, a_flows):.1e}/{l1_rel_diff(flows, a_flows):.1e}"
            vs_b = f"{max_rel_diff(flows, best):.2e}" if best is not None else "-"
            print(f"{gap:<8.0e} {tool:<20} {sec:8.4f} {wall:7.3f} {it:6d}  {g:11.3e}  {vs_a:>17}  {vs_b:>15}  "
                  f"{a_sec / sec:7.1f}x")


if __name__ == "__main__":
    main()
