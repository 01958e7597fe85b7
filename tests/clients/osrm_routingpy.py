"""Drives corridor's OSRM-compatible API with the unmodified PyPI client routingpy.

Usage: python tests/clients/osrm_routingpy.py http://127.0.0.1:PORT
The server must serve a `road` network imported from tests/fixtures/osm/fixture.osm.pbf.
Prints 'N passed, 0 failed' and exits non-zero on the first failure.
"""
import sys

import routingpy
from routingpy.exceptions import RouterApiError

base = sys.argv[1]
client = routingpy.OSRM(base_url=base)
passed = 0

# Two points on the fixture's roads near Brest/Terespol (lon, lat as OSRM wants).
a, b = [23.30, 52.02], [23.70, 52.09]

route = client.directions(locations=[a, b], profile="driving")
assert route.distance > 0, route.raw
assert route.duration > 0, route.raw
assert len(route.geometry) >= 2, route.geometry  # decoded from the polyline
passed += 1

route = client.directions(locations=[a, b], profile="driving", geometries="geojson", overview="full")
assert route.geometry[0] == [a[0], a[1]] or len(route.geometry) >= 2
passed += 1

matrix = client.matrix(locations=[a, b, [23.60, 52.00]], profile="driving", annotations=["distance", "duration"])
assert len(matrix.durations) == 3 and len(matrix.durations[0]) == 3, matrix.raw
assert matrix.distances[0][0] == 0
passed += 1

try:
    client.directions(locations=[a, b], profile="driving", steps=True)
    raise AssertionError("steps=true must answer NotImplemented")
except RouterApiError as e:
    assert "NotImplemented" in str(e), e
    passed += 1

print(f"{passed} passed, 0 failed")
