"""The same job on Ray (a local cluster: RAY_ADDRESS from .ci/python.sh, a head and a worker
process; else one started here) gives the rows of the single-process run."""

import os

import pytest

ray = pytest.importorskip("ray")

import corridor.batch as batch  # noqa: E402
import corridor.ray as cray  # noqa: E402

from test_batch import FLOWS_JOB, JOB  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=2, log_to_driver=False, include_dashboard=False)
    yield
    ray.shutdown()


def test_ray_equals_single_process(cluster, tmp_path):
    job = tmp_path / "job.toml"
    job.write_text(JOB)
    single = batch.run_batch(job, store=str(tmp_path / "one.sqlite"), out=tmp_path / "one")
    r = cray.run_batch(job, store=str(tmp_path / "ray.sqlite"), workers=2, out=tmp_path / "ray")
    assert r["complete"] and r["computed"] == 6 and r["workers"] == 2
    a = batch.rows(single["run_id"], str(tmp_path / "one.sqlite"), as_frame=False)
    b = batch.rows(r["run_id"], str(tmp_path / "ray.sqlite"), as_frame=False)
    assert a == b
    assert (tmp_path / "ray" / "results.csv").read_text() == (tmp_path / "one" / "results.csv").read_text()


def test_ray_resumes_a_run_started_in_process(cluster, tmp_path):
    job = tmp_path / "job.toml"
    job.write_text(JOB)
    store = str(tmp_path / "s.sqlite")
    first = batch.run_batch(job, store=store, max_parts=3)
    r = cray.run_batch(job, store=store, workers=2)
    assert r["resumed"] and r["run_id"] == first["run_id"]
    assert (r["computed"], r["skipped"]) == (3, 3)
    assert batch.runs(store)[0]["status"] == "complete"


def test_a_worker_that_dies_is_restarted_and_its_part_retried(cluster, tmp_path):
    job = tmp_path / "job.toml"
    job.write_text(JOB)
    single = batch.run_batch(job, store=str(tmp_path / "one.sqlite"))
    marker = tmp_path / "died"
    r = cray.run_batch(job, store=str(tmp_path / "ray.sqlite"), workers=2, _die_once=str(marker))
    assert marker.exists(), "no worker died: the test did not test anything"
    assert r["complete"] and r["computed"] == 6
    a = batch.rows(single["run_id"], str(tmp_path / "one.sqlite"), as_frame=False)
    b = batch.rows(r["run_id"], str(tmp_path / "ray.sqlite"), as_frame=False)
    assert a == b


def test_ray_flows_and_lines_equal_single_process(cluster, tmp_path):
    job = tmp_path / "job.toml"
    job.write_text(FLOWS_JOB)
    single = batch.run_batch(job, store=str(tmp_path / "one.sqlite"), out=tmp_path / "one")
    r = cray.run_batch(job, store=str(tmp_path / "ray.sqlite"), workers=2, out=tmp_path / "ray")
    assert r["complete"] and r["computed"] == 6
    for f in (batch.rows, batch.flows, batch.flow_runs):
        assert f(single["run_id"], str(tmp_path / "one.sqlite"), as_frame=False) == f(
            r["run_id"], str(tmp_path / "ray.sqlite"), as_frame=False
        )
    for name in ("results.csv", "flows.csv", "flow_runs.csv"):
        assert (tmp_path / "ray" / name).read_text() == (tmp_path / "one" / name).read_text()
