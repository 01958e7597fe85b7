#!/usr/bin/env python3
"""Issue 20 measure: the short list of alternatives against the whole front on 30 lanes.

For each lane, `corridor route ... --format json` twice: with `--all-alternatives` (the
answer before the short list: the top of the Pareto front) and without (the short list,
docs/alternatives.md). Prints the number of alternatives, the corridor families shown
(distinct `corridor` strings) and the longest alternative's days over the fastest's.

    python3 bench/alternatives_lanes.py [path/to/corridor]
"""
import json
import shlex
import subprocess
import sys

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/debug/corridor"

# The first 10 are the cases of issue 20 (and their neighbours); 20 more across the corridors.
LANES = [
    'Dushanbe Shanghai --reefer',
    'Chongqing Tbilisi',
    'Shanghai Rotterdam --avoid passage:suez',
    '"Xi\'an" Duisburg --cargo 2xFEU',
    '"Xi\'an" Duisburg --cargo 2xFEU --avoid country:RU --avoid country:BY',
    'Lianyungang Almaty',
    'Urumqi Baku',
    'Urumqi Baku --avoid country:RU',
    'Chongqing Duisburg',
    'Shanghai Rotterdam',
    'Ashgabat Shanghai --reefer',
    'Tashkent Rotterdam',
    'Kashgar Tehran',
    'Bishkek Hamburg',
    'Shanghai Tbilisi',
    'Dushanbe Rotterdam',
    '"Xi\'an" Tashkent',
    'Almaty Istanbul',
    'Chengdu Budapest',
    'Yiwu Madrid',
    'Zhengzhou Hamburg',
    'Wuhan Lodz',
    'Khorgos Poti',
    'Altynkol Baku',
    'Aktau Istanbul',
    'Tashkent Istanbul',
    'Hefei Duisburg --avoid country:RU',
    'Chongqing Istanbul',
    'Urumqi Tehran',
    'Almaty Rotterdam --avoid country:RU --avoid country:BY',
]


def run(args):
    cmd = [BIN, "route", *shlex.split(args), "--format", "json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[0] if p.stderr else f"exit {p.returncode}"
    return json.loads(p.stdout), None


def summary(a):
    its = a["itineraries"]
    days = [i["totals"]["transit_days"] for i in its]
    fams = []
    for i in its:
        c = i.get("corridor") or "?"
        if c not in fams:
            fams.append(c)
    return len(its), len(fams), max(days) / min(days), fams


def main():
    print(f"{'lane':58} {'before: n fam long':>19} {'after: n fam long':>18}")
    tot = [0, 0, 0, 0]
    worst = [0.0, 0.0]
    for lane in LANES:
        b, eb = run(lane + " --all-alternatives")
        a, ea = run(lane)
        if eb or ea:
            print(f"{lane:58} error: {eb or ea}")
            continue
        nb, fb, lb, _ = summary(b)
        na, fa, la, fams = summary(a)
        tot[0] += nb; tot[1] += fb; tot[2] += na; tot[3] += fa
        worst[0] = max(worst[0], lb); worst[1] = max(worst[1], la)
        print(f"{lane:58} {nb:>5} {fb:>4} {lb:>6.2f}× {na:>6} {fa:>4} {la:>6.2f}×")
    n = len(LANES)
    print(f"{'mean / worst':58} {tot[0]/n:>5.1f} {tot[1]/n:>4.1f} {worst[0]:>6.2f}× {tot[2]/n:>6.1f} {tot[3]/n:>4.1f} {worst[1]:>6.2f}×")


if __name__ == "__main__":
    main()
