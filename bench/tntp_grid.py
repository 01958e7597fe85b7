#!/usr/bin/env python3
"""Write a synthetic TNTP folder: a k x k grid of two-way links with BPR costs (b 0.15, power 4)
and a seeded random demand between Z zones, sized like Chicago Sketch by default (30 x 30 =
900 nodes, 3,480 links, 387 zones). For benchmarks where the published networks are not at
hand; it is not a real network. The same arguments write the same files.

usage: tntp_grid.py OUT_DIR [K] [ZONES] [SEED]
"""

import os
import random
import sys


def main():
    out = sys.argv[1]
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    zones = int(sys.argv[3]) if len(sys.argv) > 3 else 387
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    r = random.Random(seed)
    n = k * k
    cells = list(range(n))
    r.shuffle(cells)
    # TNTP zones are nodes 1..zones: number the grid cells so that the zones land scattered
    number = {cell: i + 1 for i, cell in enumerate(cells)}
    links = []
    for row in range(k):
        for col in range(k):
            c = row * k + col
            for dr, dc in ((0, 1), (1, 0)):
                rr, cc = row + dr, col + dc
                if rr < k and cc < k:
                    d = rr * k + cc
                    fft = round(r.uniform(1.0, 3.0), 3)
                    cap = round(r.uniform(2000.0, 6000.0), 1)
                    links.append((number[c], number[d], cap, fft))
                    links.append((number[d], number[c], cap, fft))
    os.makedirs(out, exist_ok=True)
    name = f"Grid{k}"
    with open(os.path.join(out, f"{name}_net.tntp"), "w") as f:
        f.write(f"<NUMBER OF ZONES> {zones}\n<NUMBER OF NODES> {n}\n<FIRST THRU NODE> 1\n")
        f.write(f"<NUMBER OF LINKS> {len(links)}\n<END OF METADATA>\n\n")
        f.write("~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;\n")
        for a, b, cap, fft in links:
            f.write(f"\t{a}\t{b}\t{cap}\t{fft}\t{fft}\t0.15\t4\t0\t0\t1\t;\n")
    total = 0.0
    rows = []
    for o in range(1, zones + 1):
        entries = []
        for d in range(1, zones + 1):
            q = 0.0 if o == d or r.random() < 0.5 else round(r.uniform(0.1, 2.0), 2)
            total += q
            entries.append(f"{d:5d} : {q:8.2f};")
        rows.append((o, entries))
    with open(os.path.join(out, f"{name}_trips.tntp"), "w") as f:
        f.write(f"<NUMBER OF ZONES> {zones}\n<TOTAL OD FLOW> {total:.1f}\n<END OF METADATA>\n\n")
        for o, entries in rows:
            f.write(f"Origin {o}\n")
            for i in range(0, len(entries), 5):
                f.write("  " + " ".join(entries[i : i + 5]) + "\n")
            f.write("\n")


if __name__ == "__main__":
    main()
