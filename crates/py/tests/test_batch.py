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
