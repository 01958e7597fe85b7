"""Lanes per second for the same job: in-process Python, the CLI, the HTTP API, and Ray with
1 and 2 workers (docs/benchmarks.md, "Python and batch"). Run from the repository root:

    python crates/py/bench/lanes_per_second.py --cli target/release/corridor --lanes 400

Prints a Markdown table. Wall times include what a user waits for: process start and network
load for the CLI, actor start and load for Ray; the HTTP figures exclude the server's start.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse

import corridor
import corridor.batch
import corridor.ray


def lanes(cli: str, n: int):
    places = json.loads(subprocess.run([cli, "places", "--format", "json"], capture_output=True, check=True).stdout)
    pick = lambda cs: sorted(p["id"] for p in places if p["country"] in cs and p["kind"] != "border_post")
    east, west = pick({"CN", "KZ", "UZ", "KG"}), pick({"DE", "PL", "NL", "TR", "GE", "AZ", "HU", "CZ", "AT", "LT", "RO"})
    base = [(a, b) for a in east for b in west]
    return [base[i % len(base)] for i in range(n)]  # cycled past the distinct pairs


def timed(f):
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="target/release/corridor")
    ap.add_argument("--lanes", type=int, default=400)
    ap.add_argument("--draws", type=int, default=2000, help="Monte Carlo draws per lane (0: no reliability)")
    ap.add_argument("--no-ray", action="store_true")
    a = ap.parse_args()
    cli = os.path.abspath(a.cli)
    L = lanes(cli, a.lanes)
    n = len(L)
    rows = []
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "lanes.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["from", "to"])
        w.writerows(L)
    job = os.path.join(work, "job.toml")
    with open(job, "w") as f:
        f.write('name = "bench"\nlanes_file = "lanes.csv"\nchunk = 25\n[options]\ncargo = "2xFEU"\n')
        if a.draws:
            f.write(f"reliability = true\ndraws = {a.draws}\nseed = 1\n")
    rel = {"reliability": True, "draws": a.draws, "seed": 1} if a.draws else {}
    rel_args = ["--reliability", "--draws", str(a.draws), "--seed", "1"] if a.draws else []

    # In-process Python: one Engine, loaded once (load time reported apart).
    t_load, eng = timed(corridor.Engine)
    t, tab = timed(lambda: eng.table(pairs=L, cargo="2xFEU", **rel))
    no_route = sum(1 for c in tab.cells if c.get("error"))
    rows.append(("Python `Engine.table` (1 thread)", 1, t, n / t))
    def per_lane():
        for x, y in L:
            try:
                eng.route(x, y, optimize="time", cargo="2xFEU", **rel)
            except corridor.CorridorError:
                pass  # a lane without a route costs its search too, as in a table

    t, _ = timed(per_lane)
    rows.append(("Python `Engine.route` per lane, full answers (1 thread)", 1, t, n / t))
    for threads in (1, 2):
        st = os.path.join(work, f"py{threads}.sqlite")
        t, _ = timed(lambda: corridor.batch.run_batch(job, store=st, threads=threads, out=os.path.join(work, "o")))
        rows.append((f"Python `corridor.batch.run_batch` ({threads} thread{'s' if threads > 1 else ''}, incl. load + store + export)", threads, t, n / t))

    # The CLI: a process per job (start, load, compute, write).
    t, _ = timed(lambda: subprocess.run([cli, "table", "--pairs", os.path.join(work, "lanes.csv"), "--cargo", "2xFEU", *rel_args, "-o", os.path.join(work, "t.csv")], check=True))
    rows.append(("CLI `corridor table --pairs` (process incl. load)", 1, t, n / t))
    for threads in (1, 2):
        st = os.path.join(work, f"cli{threads}.sqlite")
        t, _ = timed(lambda: subprocess.run([cli, "batch", job, "--store", st, "--threads", str(threads), "--quiet"], check=True))
        rows.append((f"CLI `corridor batch --threads {threads}` (process incl. load + store + export)", threads, t, n / t))

    # The HTTP API on this machine.
    port = free_port()
    srv = subprocess.Popen([cli, "serve", "--listen", f"127.0.0.1:{port}", "--max-body-bytes", "16000000", "--timeout-ms", "600000"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

        def table():
            c.request("POST", "/v1/table", body=json.dumps({"pairs": [list(x) for x in L], "cargo": "2xFEU", **rel}), headers={"Content-Type": "application/json"})
            r = c.getresponse()
            assert r.status == 200, r.read()[:200]
            return json.loads(r.read())

        t, _ = timed(table)
        rows.append(("HTTP `POST /v1/table` (one request, keep-alive)", 1, t, n / t))

        def per_lane():
            for x, y in L:
                q = urllib.parse.urlencode({"from": x, "to": y, "optimize": "time", "cargo": "2xFEU", **{k: str(v).lower() for k, v in rel.items()}})
                c.request("GET", f"/v1/route?{q}")
                r = c.getresponse()
                r.read()

        t, _ = timed(per_lane)
        rows.append(("HTTP `GET /v1/route` per lane, full answers (sequential, keep-alive)", 1, t, n / t))
    finally:
        srv.terminate()
        srv.wait()

    if not a.no_ray:
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        for workers in (1, 2):
            st = os.path.join(work, f"ray{workers}.sqlite")
            t, r = timed(lambda: corridor.ray.run_batch(job, store=st, workers=workers, out=os.path.join(work, "r")))
            rows.append((f"Ray `corridor.ray.run_batch`, {workers} worker{'s' if workers > 1 else ''} (incl. actor start + load)", workers, t, n / t))
        ray.shutdown()

    print(
        f"{n} lanes (CN/KZ/UZ/KG terminals × European, Turkish and Caucasus terminals; {no_route} without a route), "
        f"cargo 2xFEU, optimize time, {'reliability ' + str(a.draws) + ' draws' if a.draws else 'no reliability'}; "
        f"engine load in-process {t_load:.2f} s\n"
    )
    print("| runner | cores | seconds | lanes/s | lanes/s per core |")
    print("|---|---:|---:|---:|---:|")
    for name, cores, t, lps in rows:
        print(f"| {name} | {cores} | {t:.2f} | {lps:.0f} | {lps / cores:.0f} |")


if __name__ == "__main__":
    main()
