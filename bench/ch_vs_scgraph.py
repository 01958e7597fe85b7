"""Driver of bench/ch_vs_scgraph.sh: corridor's contraction hierarchies against scgraph.

Fairness: each OD pair is snapped once (by corridor, to the nearest nodes of a component that
both ends reach) and both tools get those node coordinates; scgraph is queried by node id on
its graph object (its best case: no snapping inside the timing), corridor by node id too. Km
are compared on the unhealed graph (scgraph's arcs as shipped; corridor raised sub-metre arcs
to their great-circle length, +1 m each). Times are medians over REPS in-process calls. Load
is open + checks + first query answered. Peak memory is the process's VmHWM / ru_maxrss.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import scgraph

sys.modules["scgraph.core"] = scgraph  # scgraph-data 2.x imports scgraph.core (gone in 3.x)

DATASETS = {"rail": "world_railways", "road+sea": "world_highways_and_marnet"}


def rust(bin_, *args):
    out = subprocess.run([bin_, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def timed(fn, reps):
    ts, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fmt_us(s):
    return "—" if s is None else f"{s * 1e6:,.1f} µs" if s < 1e-3 else f"{s * 1e3:,.2f} ms"


def ratio(peer, ours):
    return "—" if peer is None or ours is None else f"{peer / ours:,.1f}×"


def scgraph_side(net, pairs, reps, big_ch):
    """scgraph's timings for `pairs` (list of ((lat, lon), (lat, lon)))."""
    import importlib

    t = time.perf_counter()
    mod = importlib.import_module(f"scgraph_data.{DATASETS[net]}")
    gg = getattr(mod, DATASETS[net] + "_geograph")
    g = gg.graph_object
    ids = [
        (gg.geokdtree.closest_idx(point=list(a)), gg.geokdtree.closest_idx(point=list(b)))
        for a, b in pairs
    ]
    g.dijkstra(origin_id=ids[0][0], destination_id=ids[0][1])
    res = {"load_s": time.perf_counter() - t, "pairs": []}
    do_ch = net == "rail" or big_ch
    if do_ch:
        t = time.perf_counter()
        g.create_contraction_hierarchy()
        res["ch_build_s"] = time.perf_counter() - t
        t = time.perf_counter()
        g.create_tnr_hierarchy(50)  # the size scgraph's tnr() uses
        res["tnr_build_s"] = time.perf_counter() - t
    for (o, d), (a, b) in zip(ids, pairs):
        row = {"o": o, "d": d}
        try:
            row["dijkstra_s"], out = timed(lambda: g.dijkstra(origin_id=o, destination_id=d), max(3, reps // 7))
            row["km"] = out["length"]
            row["buckets_s"], _ = timed(lambda: g.bidirectional_buckets(origin_id=o, destination_id=d), max(3, reps // 7))
        except Exception as e:  # no path
            row["error"] = str(e)[:80]
            res["pairs"].append(row)
            continue
        if do_ch:
            row["ch_path_s"], out = timed(lambda: g.contraction_hierarchy(origin_id=o, destination_id=d), reps)
            row["ch_km"] = out["length"]
            row["ch_len_s"], _ = timed(lambda: g.contraction_hierarchy(origin_id=o, destination_id=d, length_only=True), reps)
            row["tnr_len_s"], out = timed(lambda: g.tnr(origin_id=o, destination_id=d, length_only=True), reps)
            row["tnr_km"] = out["length"]
        res["pairs"].append(row)
    pts = sorted({p for ab in pairs for p in ab})
    nodes = [{"latitude": la, "longitude": lo} for la, lo in pts]
    t = time.perf_counter()
    gg.distance_matrix(nodes, silent=True)
    res["matrix_s"] = time.perf_counter() - t
    res["matrix_per_pair_s"] = res["matrix_s"] / (len(nodes) ** 2)
    res["matrix_points"] = len(nodes)
    if net == "rail":
        try:
            import networkx as nx

            G = nx.DiGraph()
            for u, nbrs in enumerate(g.graph):
                for v, w in nbrs.items():
                    G.add_edge(u, v, weight=w)
            o, d = ids[0]
            res["networkx_s"], res["networkx_km"] = timed(lambda: nx.dijkstra_path_length(G, o, d), 3)
        except ImportError:
            pass
        try:
            import numpy as np
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import dijkstra as sp_dijkstra

            rows, cols, ws = [], [], []
            for u, nbrs in enumerate(g.graph):
                for v, w in nbrs.items():
                    rows.append(u), cols.append(v), ws.append(w)
            M = csr_matrix((ws, (rows, cols)), shape=(len(g.graph),) * 2)
            o, d = ids[0]
            res["scipy_s"], dist = timed(lambda: sp_dijkstra(M, indices=o), 3)
            res["scipy_km"] = float(dist[d])
        except ImportError:
            pass
    res["peak_mb"] = peak_mb()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--networks", required=True)
    ap.add_argument("--od", required=True)
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--json", help="also write everything to this file")
    a = ap.parse_args()
    lines = [l.rstrip("\n").split("\t") for l in open(a.od) if l.strip()]
    head, od = lines[0], lines[1:]
    names = [(r[0], r[3]) for r in od]
    coords = "/tmp/corridor_bench_od.tsv"
    with open(coords, "w") as f:
        for r in od:
            f.write("\t".join([r[1], r[2], r[4], r[5]]) + "\n")
    big_ch = os.environ.get("SCGRAPH_CH_BIG") == "1"
    everything = {}
    for net in ["rail", "road+sea"]:
        ch_file = os.path.join(a.networks, f"{net}.ch")
        build = rust(a.bin, "build", a.networks, net)
        q = rust(a.bin, "query", a.networks, net, coords, str(a.reps))
        pairs = [(tuple(p["from"]), tuple(p["to"])) for p in q["pairs"]]
        # scgraph in a child process per network so its peak memory is its own.
        code = (
            "import sys, json; sys.path.insert(0, %r); import ch_vs_scgraph as b; "
            "print(json.dumps(b.scgraph_side(%r, %r, %d, %r)))"
        ) % (os.path.dirname(os.path.abspath(__file__)), net, pairs, a.reps, big_ch)
        s = json.loads(subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1])
        everything[net] = {"corridor_build": build, "corridor": q, "scgraph": s}
        report(net, names, build, q, s)
    if a.json:
        json.dump(everything, open(a.json, "w"), indent=1)


def report(net, names, build, q, s):
    print(f"\n## {net} ({DATASETS[net]}, {q['nodes']:,} nodes)\n")
    print("| pair | km corridor | km scgraph | Δ | corridor path | corridor length | scgraph CH path | scgraph CH length | scgraph TNR length | scgraph Dijkstra | path vs best scgraph path | length vs TNR | vs Dijkstra |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    path_r, len_r = [], []
    for (o, d), p, r in zip(names, q["pairs"], s["pairs"]):
        if "error" in r or p["km"] is None:
            print(f"| {o} → {d} | {p['km'] or '—'} | no path | | | | | | | | | | |")
            continue
        ours_p, ours_l = p["path_us"] / 1e6, p["length_us"] / 1e6
        best_path = min(x for x in [r.get("ch_path_s"), r.get("buckets_s"), r.get("dijkstra_s")] if x is not None)
        best_len = r.get("tnr_len_s") or r.get("ch_len_s") or best_path
        dk = 100 * (p["km"] - r["km"]) / r["km"] if r["km"] else 0.0
        path_r.append(best_path / ours_p)
        len_r.append(best_len / ours_l)
        print(
            f"| {o} → {d} | {p['km']:,.1f} | {r['km']:,.1f} | {dk:+.3f}% | {fmt_us(ours_p)} | {fmt_us(ours_l)} | "
            f"{fmt_us(r.get('ch_path_s'))} | {fmt_us(r.get('ch_len_s'))} | {fmt_us(r.get('tnr_len_s'))} | {fmt_us(r['dijkstra_s'])} | "
            f"{ratio(best_path, ours_p)} | {ratio(best_len, ours_l)} | {ratio(r['dijkstra_s'], ours_p)} |"
        )
    med = lambda v: statistics.median(v) if v else None
    print()
    print(f"- median ratio, path query vs scgraph's best path query: {med(path_r) and f'{med(path_r):.1f}×'} (target ≥ 10×)")
    print(f"- median ratio, length-only vs scgraph's best length-only ({'TNR' if s.get('tnr_build_s') else 'no TNR built: best path query'}): {med(len_r) and f'{med(len_r):.1f}×'} (target ≥ 2×)")
    mp = q["matrix_us_per_pair"] / 1e6
    m1 = q["matrix_1thread_us_per_pair"] / 1e6
    print(f"- matrix {q['matrix_points']}×{q['matrix_points']}: corridor {fmt_us(mp)}/pair (2 threads), {fmt_us(m1)}/pair (1 thread); scgraph distance_matrix {fmt_us(s['matrix_per_pair_s'])}/pair → {ratio(s['matrix_per_pair_s'], mp)} (1 thread: {ratio(s['matrix_per_pair_s'], m1)}) (target ≥ 3×)")
    print(f"- build: corridor CH {build['build_s']:.1f} s ({build['shortcuts']:,} shortcuts, {build['file_mb']:.0f} MB file, peak {build['build_peak_mb']:.0f} MB); scgraph CH {s.get('ch_build_s') and '%.1f s' % s['ch_build_s'] or 'not run (issue: 451 s)'}; scgraph TNR {s.get('tnr_build_s') and '%.1f s' % s['tnr_build_s'] or 'not run (issue: 854 s)'}")
    print(f"- load (open + checks + first query): corridor {q['load_ms']:.1f} ms (+{q['snap_index_ms']:.0f} ms for the snap R-tree); scgraph {s['load_s']:.2f} s")
    print(f"- peak memory: corridor query {q['peak_mb']:.0f} MB, build {build['build_peak_mb']:.0f} MB; scgraph {s['peak_mb']:.0f} MB")
    if "networkx_s" in s:
        print(f"- plain oracles, {names[0][0]} → {names[0][1]}: networkx {fmt_us(s['networkx_s'])} ({s['networkx_km']:,.1f} km)" + (f", scipy {fmt_us(s['scipy_s'])} ({s['scipy_km']:,.1f} km)" if "scipy_s" in s else ", scipy not installed"))


if __name__ == "__main__":
    main()
