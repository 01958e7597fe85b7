#!/usr/bin/env bash
# Refreshes web/vendor/ from the npm packages pinned in web/package-lock.json.
# web/vendor/ is committed, so `cargo build` needs no npm; run this only to update a package:
#   bash web/vendor.sh        (then review `git diff web/vendor` and commit it)
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
rm -rf vendor
mkdir -p vendor/licenses
nm=node_modules
cp "$nm/world-atlas/countries-50m.json" vendor/countries-50m.json
cp "$nm/topojson-client/dist/topojson-client.min.js" vendor/topojson-client.min.js
cp "$nm/d3-array/dist/d3-array.min.js" vendor/d3-array.min.js
cp "$nm/d3-geo/dist/d3-geo.min.js" vendor/d3-geo.min.js
for p in world-atlas topojson-client d3-array d3-geo; do
  cp "$nm/$p/LICENSE" "vendor/licenses/$p.LICENSE.txt"
done
{
  echo "Files copied by web/vendor.sh from npm (versions from web/package-lock.json):"
  for p in world-atlas topojson-client d3-array d3-geo; do
    echo "  $p $(node -p "require('./$nm/$p/package.json').version")"
  done
  echo "world-atlas: Natural Earth (public domain) boundaries, TopoJSON by Mike Bostock (ISC)."
} > vendor/VERSIONS.txt
ls -l vendor vendor/licenses
