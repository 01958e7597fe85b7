#!/usr/bin/env bash
# The pairs of issue 4 (and published reference routes) on the healed OSM rail network:
# network km, great circle, connector km, published km and the ratio, in one run.
#
#   python3 -m venv .venv && .venv/bin/pip install 'scgraph-data==2.*'
#   cargo build --release -p corridor-cli
#   target/release/corridor import scgraph-data --only rail --heal --network-dir /tmp/nets
#   bash bench/rail_pairs.sh /tmp/nets
#
# Published lengths (km; empty where none was found):
#   Altynkol–Aktau 3,128: SeaNews.ru 2024-03-12 (KTZ, Xi'an–Baku block train)
#   Baku–Kars 826 (838–849): Wikipedia 'Kars–Tbilisi–Baku railway'; AzVision; Railway Magazine
#   Chongqing–Lanzhou 862: Railway Gazette 2017-10 ('Lanzhou – Chongqing mixed-traffic artery completed')
#   Chongqing–Duisburg 11,179 (2013, via Xi'an; 650 km shorter since 2017): China Daily 2013-09-13
set -euo pipefail
cd "$(dirname "$0")/.."
NETS=${1:-${CORRIDOR_DATA:-$HOME/.local/share/corridor}}
BIN=${BIN:-target/release/corridor}
PLACES=$(mktemp); trap 'rm -f "$PLACES"' EXIT
"$BIN" places --format json > "$PLACES"
printf '%-24s %-12s %9s %9s %7s %10s %10s %7s  %s\n' from to km gc_km ratio connector published net/pub verdict
while IFS='|' read -r from to published; do
  out=$("$BIN" path --network rail --network-dir "$NETS" "$from" "$to" --format json --simplify-km 0 2>&1) || {
    printf '%-24s %-12s %s\n' "$from" "$to" "no path: $(echo "$out" | head -1)"; continue; }
  echo "$out" | python3 -c '
import json, math, sys
from_, to, pub = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(sys.stdin)
a, b = d["from"], d["to"]
p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b["lon"] - a["lon"]) / 2) ** 2
gc = 2 * 6371.0088 * math.asin(min(1, math.sqrt(h)))
km = d["distance_km"]
ratio = km / gc
detour = any("lacks a line" in w for w in d["warnings"])
vs = f"{km / float(pub):.2f}" if pub else "-"
verdict = "detour: a line is missing" if detour else "routes"
# Border stations of the corridor layer the line passes within 5 km of, in order.
posts = [p for p in json.load(open(sys.argv[4])) if p["kind"] == "border_post"]
def gc_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1, math.sqrt(h)))
seen = []
for lon, lat in d["geometry"]["coordinates"]:
    for p in posts:
        if p["name"] not in seen and abs(p["lat"] - lat) < 0.1 and gc_km(lat, lon, p["lat"], p["lon"]) < 5:
            seen.append(p["name"])
if seen:
    verdict += " via " + ", ".join(seen)
ck = d["connector_km"]
pubs = pub or "-"
print(f"{from_:<24} {to:<12} {km:9.0f} {gc:9.0f} {ratio:7.2f} {ck:10.1f} {pubs:>10} {vs:>7}  {verdict}")
' "$from" "$to" "$published" "$PLACES"
done <<'PAIRS'
Xi'an|Baku|
Khorgos|Aktau|
Altynkol|Aktau|3128
Baku|Tbilisi|
Baku|Kars|826
Tbilisi|Istanbul|
Istanbul|Duisburg|
Almaty|Dushanbe|
Lianyungang|Khorgos|
Chongqing|Lanzhou|862
Chongqing|Duisburg|10529
PAIRS
