#!/usr/bin/env python3
"""corridor-assign vs AequilibraE (PyPI aequilibrae==1.7.2) on TNTP folders, in one run.

Both read the same *_net.tntp / *_trips.tntp, with the same generalised cost (BPR time +
toll_weight * toll + distance_weight * length, the weights of the network's README), run on the
same number of threads, and stop at the same relative gap, which both define as
(sum x*c(x) - sum y*c(x)) / sum x*c(x) with y the all-or-nothing flows at the current costs.
For each folder and target gap it prints the time of the assignment alone (files read and graphs
built beforehand, on both sides; the median of REPEAT runs, alternating the tools), iterations,
the agreement of the link flows with AequilibraE's and with the published best-known flows
(*_flow.tntp), and the time ratio. corridor runs bi-conjugate Frank-Wolfe (the same algorithm as
AequilibraE's 'bfw') and gradient projection ('gp'); gaps in GP_ONLY_GAPS (default 1e-8) run
corridor's gradient projection alone, since Frank-Wolfe methods do not reach them.

corridor is run through the `tntp_assign` example of crates/assign (the library behind
`corridor assign --tntp`, with the same JSON convergence record), so that only that crate needs a
release build. Run through bench/assign_vs_aequilibrae.sh.

usage: assign_vs_aequilibrae.py CORRIDOR_BINARY THREADS GAPS TNTP_DIR [TNTP_DIR ...]
  GAPS: comma-separated, e.g. 1e-4,1e-5
env: REPEAT (default 3), MAX_ITER (20000), GP_ONLY_GAPS (1e-8; empty for none),
     TOLL_WEIGHT / DISTANCE_WEIGHT (default: read from the folder's README.md, else 0)
"""

import glob
import json
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

# AequilibraE's tqdm bars cost time at thousands of iterations per second
os.environ.setdefault("AEQ_SHOW_PROGRESS", "FALSE")

STANDARD_COLUMNS = ["init_node", "term_node", "capacity", "length", "free_flow_time", "b", "power",
                    "speed", "toll", "link_type"]


def metadata_and_rows(path):
    meta, rows, header, in_data = {}, [], None, False
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
            if s.startswith("~"):
                names = [re.sub(r"[^a-z0-9_]", "", t.lower()) for t in s[1:].replace(";", " ").split()]
                if "init_node" in names:
                    header = names
            elif s:
                rows.append(s)
    return meta, rows, header


def read_net(path):
    meta, rows, header = metadata_and_rows(path)
    cols = header or STANDARD_COLUMNS
    idx = {name: cols.index(name) for name in STANDARD_COLUMNS if name in cols}
    recs = [r.rstrip(";").split() for r in rows]

    def col(name, kind=float):
        i = idx.get(name)
        return [kind(r[i]) if i is not None and i < len(r) else kind(0) for r in recs]

    df = pd.DataFrame(
        {
            "a_node": col("init_node", int),
            "b_node": col("term_node", int),
            "capacity": col("capacity"),
            "length": col("length"),
            "free_flow_time": col("free_flow_time"),
            "b": col("b"),
            "power": col("power"),
            "toll": col("toll"),
        }
    )
    return int(meta["NUMBER OF ZONES"]), int(meta.get("FIRST THRU NODE", "1")), df


def read_trips(path, zones):
    _, rows, _ = metadata_and_rows(path)
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


def readme_weights(folder):
    """Toll and distance weights of the README's 'Generalized Cost Weights' section (0 if absent)."""
    weights = {"toll": 0.0, "distance": 0.0}
    path = os.path.join(folder, "README.md")
    if os.path.exists(path):
        text = open(path, encoding="utf-8", errors="replace").read()
        section = text.split("Generalized Cost Weights", 1)[-1].split("##", 1)[0] if "Generalized Cost Weights" in text else ""
        for key in weights:
            m = re.search(rf"{key}\s*:\s*([0-9.eE+-]+)", section, re.IGNORECASE)
            if m:
                weights[key] = float(m.group(1))
    weights["toll"] = float(os.environ.get("TOLL_WEIGHT", weights["toll"]))
    weights["distance"] = float(os.environ.get("DISTANCE_WEIGHT", weights["distance"]))
    return weights


def aequilibrae_run(zones, first_thru, links, od, weights, gap, threads, max_iter):
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    net = links.copy()
    net["link_id"] = np.arange(1, len(net) + 1)
    net["direction"] = 1
    net["fixed_cost"] = weights["toll"] * net["toll"] + weights["distance"] * net["length"]
    # AequilibraE refuses free-flow times of 0 (Chicago Sketch's 774 zone connectors have 0 and
    # cost only their length): 1e-6 min there, a change of at most 1e-6 * 1.15 min per link
    net["free_flow_time"] = net["free_flow_time"].clip(lower=1e-6)
    # and BPR powers below 1: Barcelona's and Winnipeg's connectors have b = 0 and power 0, where
    # the power changes nothing
    net.loc[net["b"] == 0, "power"] = 1.0
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
    cls = TrafficClass("car", g, mat)
    if net["fixed_cost"].any():
        # generalised cost = congested time + fixed_cost * 1 / vot (vot 1)
        cls.set_fixed_cost("fixed_cost", 1.0)
    assig = TrafficAssignment()
    assig.set_classes([cls])
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
    return seconds, seconds, len(report["iteration"]), float(report["rgap"][-1]), flows


def corridor_run(binary, folder, weights, gap, threads, algorithm, max_iter):
    cmd = [binary, folder, "--gap", str(gap), "--threads", str(threads), "--algorithm", algorithm,
           "--max-iter", str(max_iter), "--toll-weight", str(weights["toll"]),
           "--distance-weight", str(weights["distance"])]
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    v = json.loads(out)
    c = v["convergence"]
    return c["seconds"], wall, c["iterations"], c["relative_gap"], np.array(v["flows"])


def agreement(a, b, rises):
    """(max, mean) of |a - b| / b over the links whose cost rises with flow (`rises`: only their
    equilibrium flows are unique) and whose reference flow b is at least 1% of the largest
    (below that, relative differences of nearly empty links say nothing about agreement), and
    l1 = sum |a - b| / sum b over all links."""
    mask = rises & (np.abs(b) >= 0.01 * np.max(np.abs(b)))
    rel = np.abs(a[mask] - b[mask]) / np.abs(b[mask])
    return float(np.max(rel)), float(np.mean(rel)), float(np.sum(np.abs(a - b)) / np.sum(np.abs(b)))


def bench_folder(folder, binary, threads, gaps, repeat, max_iter, gp_only):
    net_path = glob.glob(os.path.join(folder, "*_net.tntp"))[0]
    trips_path = glob.glob(os.path.join(folder, "*_trips.tntp"))[0]
    flow_paths = glob.glob(os.path.join(folder, "*_flow.tntp"))
    zones, first_thru, links = read_net(net_path)
    od = read_trips(trips_path, zones)
    weights = readme_weights(folder)
    best = None
    if flow_paths:
        bk = pd.read_csv(flow_paths[0], sep=r"\s+", engine="python")
        if len(bk) == len(links) and (bk.iloc[:, 0].to_numpy() == links["a_node"].to_numpy()).all():
            best = bk.iloc[:, 2].to_numpy(dtype=float)
    rises = ((links["b"] > 0) & (links["power"] > 0) & (links["free_flow_time"] > 0)).to_numpy()
    name = os.path.basename(net_path).replace("_net.tntp", "")
    from importlib.metadata import version
    print(f"\n# {name}: {len(links)} links, {zones} zones, first thru node {first_thru}, demand {od.sum():.0f}; "
          f"toll weight {weights['toll']}, distance weight {weights['distance']}; {threads} thread(s); "
          f"aequilibrae {version('aequilibrae')}; median of {repeat}")
    print(f"# rel = |dx|/x over the {int(rises.sum())} links whose cost rises with flow and with x >= 1% of the "
          "largest flow (max / mean), l1 = sum|dx| / sum x over all links")
    print("gap      tool              seconds (runs)                 wall_s  iters  gap_reached  "
          "vs_aeq max/mean/l1          vs_best max/mean/l1         aeq/corridor")
    sys.stdout.flush()
    for gap in gaps + gp_only:
        tools = [("corridor gp", lambda: corridor_run(binary, folder, weights, gap, threads, "gp", max_iter))]
        if gap not in gp_only:
            tools = [
                ("aequilibrae bfw", lambda: aequilibrae_run(zones, first_thru, links, od, weights, gap, threads, max_iter)),
                ("corridor bfw", lambda: corridor_run(binary, folder, weights, gap, threads, "bfw", max_iter)),
            ] + tools
        runs = {t: [] for t, _ in tools}
        for _ in range(repeat):  # alternate the tools so that load changes hit all alike
            for t, fn in tools:
                runs[t].append(fn())
        rows = []
        for t, _ in tools:
            rs = runs[t]
            secs = [r[0] for r in rs]
            m = statistics.median(secs)
            rep = min(rs, key=lambda r: abs(r[0] - m))
            rows.append((t, m, secs, statistics.median(r[1] for r in rs), rep[2], rep[3], rep[4]))
        aeq = next((r for r in rows if r[0] == "aequilibrae bfw"), None)
        for t, sec, secs, wall, it, g, flows in rows:
            vs_a = "-" if aeq is None else "{:.1e}/{:.1e}/{:.1e}".format(*agreement(flows, aeq[6], rises))
            vs_b = "-" if best is None else "{:.1e}/{:.1e}/{:.1e}".format(*agreement(flows, best, rises))
            ratio = "-" if aeq is None else f"{aeq[1] / sec:.1f}x"
            runs_s = ",".join(f"{s:.3f}" for s in secs)
            print(f"{gap:<8.0e} {t:<17} {sec:8.3f} ({runs_s:<20}) {wall:7.3f} {it:6d}  {g:11.3e}  "
                  f"{vs_a:>26}  {vs_b:>26}  {ratio:>8}")
            sys.stdout.flush()


def main():
    binary, threads, gaps = sys.argv[1], int(sys.argv[2]), [float(g) for g in sys.argv[3].split(",") if g]
    folders = sys.argv[4:]
    repeat = int(os.environ.get("REPEAT", "3"))
    max_iter = int(os.environ.get("MAX_ITER", "20000"))
    gp_only = [float(g) for g in os.environ.get("GP_ONLY_GAPS", "1e-8").split(",") if g]
    for folder in folders:
        bench_folder(folder, binary, threads, gaps, repeat, max_iter, gp_only)


if __name__ == "__main__":
    main()
