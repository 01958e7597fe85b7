#!/usr/bin/env bash
# The results store on a real PostgreSQL server (docs/batch.md): installs Debian's postgresql
# if missing, starts a throwaway server on 127.0.0.1 (a temporary folder, trust auth), runs the
# store's tests against it (CORRIDOR_TEST_PG), and stops it. Bounded with `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  timeout 600 $SUDO bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null'
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGVER=$(basename "$(dirname "$PGBIN")")
# PostGIS for the rows' lines (geometry(LineString, 4326)); Debian's package for this server.
if ! ls /usr/share/postgresql/"$PGVER"/extension/postgis.control >/dev/null 2>&1; then
  timeout 600 $SUDO bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$PGVER-postgis-3 >/dev/null"
fi
PGDIR=$(mktemp -d)
PORT=${CORRIDOR_PG_PORT:-54329}
# initdb refuses to run as root: the server runs as the `postgres` user when we are root.
RUN=(bash -c)
if [ "$(id -u)" = 0 ]; then
  chown postgres "$PGDIR"
  RUN=(su postgres -s /bin/bash -c)
fi
"${RUN[@]}" "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres >/dev/null"
"${RUN[@]}" "$PGBIN/pg_ctl -D $PGDIR/data -o '-k $PGDIR -h 127.0.0.1 -p $PORT' -l $PGDIR/log -w -t 60 start >/dev/null"
trap '"${RUN[@]}" "$PGBIN/pg_ctl -D $PGDIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$PGDIR"' EXIT

export CORRIDOR_TEST_PG="postgres://postgres@127.0.0.1:$PORT/postgres"
# The extension made once here (the tests open stores in parallel), and required by the tests.
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
export CORRIDOR_TEST_POSTGIS=1
timeout 900 cargo test --locked -p corridor-batch --test run --test flows -- postgres --nocapture
# The CLI on the same server: a run, listed.
JOB=$(mktemp -d)
printf 'name = "pg"\nlanes = [["Urumqi", "Baku"]]\ngeometry = true\n' > "$JOB/job.toml"
timeout 300 cargo run --locked -q -p corridor-cli -- batch "$JOB/job.toml" --store "$CORRIDOR_TEST_PG" --quiet
timeout 60 cargo run --locked -q -p corridor-cli -- runs list --store "$CORRIDOR_TEST_PG" | grep -q ' pg '
# Its rows' lines are PostGIS geometries a GIS can query.
"$PGBIN/psql" -qtA -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
  -c "SELECT GeometryType(geometry) FROM results WHERE geometry IS NOT NULL LIMIT 1" | grep -qx LINESTRING
rm -rf "$JOB"
echo "postgres store: ok"
