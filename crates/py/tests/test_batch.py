"""Batch jobs from Python: the same runs as `corridor batch`, resumable, exported."""

import subprocess

import pytest

import corridor
import corridor.batch as batch

JOB = """name = "py-demo"
scenarios = ["baseline", "caspian-backlog"]
lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"], ["Xi'an", "Baku"], ["Chengdu", "Budapest"], ["Urumqi", "Tbilisi"]]
chunk = 2
[options]
cargo = "2xFEU"
reliability = true
draws = 300
seed = 5
"""


FLOWS_JOB = """name = "py-flows"
scenarios = ["baseline", "no-russia-belarus"]
lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"]]
geometry = true
[flows]
demand_factors = [1, 2]
"""


@pytest.fixture()
def job(tmp_path):
    p = tmp_path / "job.toml"
    p.write_text(JOB)
    return p


def test_in_process_equals_the_cli(job, tmp_path, cli):
    o = batch.run_batch(job, store=str(tmp_path / "py.sqlite"), out=tmp_path / "py-out")
    assert o["complete"] and o["computed"] == 6 and not o["resumed"]
    subprocess.run([cli, "batch", str(job), "--store", str(tmp_path / "cli.sqlite"), "--quiet"], check=True)
    a = batch.rows(o["run_id"], str(tmp_path / "py.sqlite"), as_frame=False)
    b = batch.rows(1, str(tmp_path / "cli.sqlite"), as_frame=False)
    assert a == b and len(a) == 10
    # and equal to Engine.table on each scenario (the same cells, the same seed)
    eng = corridor.Engine()
    t = eng.table(pairs=[["Xi'an", "Duisburg"]], cargo="2xFEU", reliability=True, draws=300, seed=5)
    assert a[0]["transit_days_p90"] == t.cells[0].transit_days_p90


def test_resumes_and_exports(job, tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    store = str(tmp_path / "s.sqlite")
    first = batch.run_batch(job, store=store, max_parts=2)
    assert not first["complete"] and first["computed"] == 2 and first["files"] == []
    assert batch.runs(store)[0]["status"] == "running"
    second = batch.run_batch(job, store=store, out=tmp_path / "out")
    assert second["resumed"] and second["run_id"] == first["run_id"]
    assert (second["computed"], second["skipped"]) == (4, 2)
    table = pa.read_table(tmp_path / "out" / "results.parquet")
    df = batch.rows(second["run_id"], store)
    assert table.num_rows == len(df) == 10
    assert table.column("transit_h").to_pylist() == list(df["transit_h"])
    assert table.column_names[:4] == ["scenario", "lane", "from", "to"]


def test_a_bad_job_names_every_problem(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('name = "x"\ncolour = 1\nlanes = [["Aktauu", "Baku"]]\n[options]\ncargo = "z"\n')
    with pytest.raises(corridor.InvalidJob) as e:
        batch.run_batch(p, store=str(tmp_path / "s.sqlite"))
    assert [x["line"] for x in e.value.problems] == [2, 3, 5]
    assert isinstance(e.value, corridor.InvalidData)


def test_flows_and_lines_equal_the_cli(tmp_path, cli):
    pa = pytest.importorskip("pyarrow.parquet")
    job = tmp_path / "flows.toml"
    job.write_text(FLOWS_JOB)
    o = batch.run_batch(job, store=str(tmp_path / "py.sqlite"), out=tmp_path / "out")
    assert o["complete"] and o["computed"] == 6
    assert sorted(p.rsplit("/", 1)[-1] for p in o["files"]) == sorted(
        f"{t}.{x}" for t in ("results", "flows", "flow_runs") for x in ("csv", "parquet")
    )
    subprocess.run([cli, "batch", str(job), "--store", str(tmp_path / "cli.sqlite"), "--quiet"], check=True)
    a = batch.flows(o["run_id"], str(tmp_path / "py.sqlite"), as_frame=False)
    b = batch.flows(1, str(tmp_path / "cli.sqlite"), as_frame=False)
    assert a == b and len(a) > 20
    runs = batch.flow_runs(o["run_id"], str(tmp_path / "py.sqlite"))
    assert list(zip(runs["scenario"], runs["demand_factor"])) == [
        ("baseline", 1.0), ("baseline", 2.0), ("no-russia-belarus", 1.0), ("no-russia-belarus", 2.0)
    ]
    assert runs["converged"].all()
    # Without Russia and Belarus, no load crosses Brest; at ×2 the Dostyk yard is fuller than at ×1.
    df = batch.flows(o["run_id"], str(tmp_path / "py.sqlite"))
    brest = df[(df.capacity_id == "CAP-BYPL-BREST-BORDER")]
    assert (brest[brest.scenario == "no-russia-belarus"].load_teu_per_year == 0).all()
    assert (brest[brest.scenario == "baseline"].load_teu_per_year > 0).all()
    yard = df[(df.capacity_id == "CAP-CNKZ-DOSTYK-YARD") & (df.scenario == "baseline")].set_index("demand_factor")
    assert yard.vc[2.0] > yard.vc[1.0]
    # The same assignment as Engine.flows at that factor.
    eng = corridor.Engine()
    f2 = eng.flows(demand_factor=2)
    want = {c["id"] + c["direction"]: c["vc"] for c in f2["capacities"]}
    got = df[(df.scenario == "baseline") & (df.demand_factor == 2.0)]
    assert {i + d: v for i, d, v in zip(got.capacity_id, got.direction, got.vc)} == pytest.approx(want, rel=1e-6)
    # Lines: WKT in the store and the CSV, WKB with GeoParquet metadata in the Parquet file.
    rows = batch.rows(o["run_id"], str(tmp_path / "py.sqlite"), as_frame=False)
    assert all(r["geometry"].startswith("LINESTRING (") for r in rows if r["error"] is None)
    t = pa.read_table(tmp_path / "out" / "results.parquet")
    assert b"geo" in t.schema.metadata
    assert t.column("geometry").to_pylist()[0][:5] == bytes([1, 2, 0, 0, 0])
    frame = batch.rows(o["run_id"], str(tmp_path / "py.sqlite"))
    assert "geometry" in frame.columns


def test_lines_read_as_geodataframes(tmp_path):
    """With GeoPandas: the store's rows as a GeoDataFrame, and results.parquet as GeoParquet
    that geopandas.read_parquet opens with the same lines."""
    gpd = pytest.importorskip("geopandas")
    job = tmp_path / "flows.toml"
    job.write_text(FLOWS_JOB)
    o = batch.run_batch(job, store=str(tmp_path / "g.sqlite"), out=tmp_path / "out")
    frame = batch.rows(o["run_id"], str(tmp_path / "g.sqlite"))
    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs.to_epsg() == 4326
    assert (frame.geometry.geom_type == "LineString").all()
    pq = gpd.read_parquet(tmp_path / "out" / "results.parquet")
    assert pq.crs.equals("OGC:CRS84")  # GeoParquet's default: WGS 84, lon/lat
    assert list(pq["lane"]) == list(frame["lane"])
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(pq.geometry, frame.geometry))
    # Xi'an → Duisburg: the line runs from China to Germany (lon 108.9 → 6.7).
    first = frame.geometry.iloc[0]
    assert first.coords[0][0] > 100 and first.coords[-1][0] < 10
