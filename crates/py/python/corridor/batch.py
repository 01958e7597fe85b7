"""Batch jobs in-process: the job file of ``corridor batch`` (docs/batch.md), run into the
same results store, with the same rows (the same Rust code computes every part).

    >>> import corridor.batch
    >>> out = corridor.batch.run_batch("job.toml", store="runs.sqlite")
    >>> corridor.batch.rows(out["run_id"], store="runs.sqlite")     # a DataFrame
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any, Dict, List, Optional, Union

from . import _corridor
from .errors import from_body

PathLike = Union[str, "os.PathLike[str]"]


def _native(fn: Any, *args: Any, **kw: Any) -> Any:
    try:
        return fn(*args, **kw)
    except _corridor.NativeError as e:
        raise from_body(str(e.args[0] if e.args else e)) from None


def default_store(job: PathLike) -> str:
    """``$CORRIDOR_STORE``, else ``corridor-runs.sqlite`` beside the job file (as the CLI)."""
    env = os.environ.get("CORRIDOR_STORE")
    if env:
        return env
    return str(pathlib.Path(job).resolve().parent / "corridor-runs.sqlite")


def default_out(job: PathLike, name: str) -> pathlib.Path:
    """``NAME-results`` beside the job file (as the CLI)."""
    return pathlib.Path(job).resolve().parent / f"{name}-results"


def load_job(job: PathLike, data: Optional[PathLike] = None) -> Any:
    """The job, checked whole (every problem with its line: :class:`corridor.InvalidJob`)."""
    return _native(_corridor.NativeJob, os.fspath(job), None, None if data is None else os.fspath(data))


def open_store(url: str) -> Any:
    """The results store: a SQLite file path or ``postgres://…``."""
    return _native(_corridor.NativeStore, url)


def run_batch(
    job: PathLike,
    store: Optional[str] = None,
    out: Optional[PathLike] = None,
    data: Optional[PathLike] = None,
    threads: Optional[int] = None,
    max_parts: Optional[int] = None,
) -> Dict[str, Any]:
    """Runs a job in this process (as ``corridor batch``): resumes an interrupted run of the
    same job, data, scenarios and code; writes ``results.parquet`` and ``results.csv`` to
    ``out`` once complete. Answers ``{run_id, resumed, computed, skipped, complete, seconds,
    store, files}``."""
    j = load_job(job, data)
    url = store or default_store(job)
    s = open_store(url)
    o = json.loads(_native(_corridor.run_batch, j, s, max_parts, threads))
    files: List[str] = []
    if o["complete"]:
        files = _native(s.export, o["run_id"], os.fspath(out or default_out(job, j.name)))
    return {**o, "store": url, "files": files}


def runs(store: str) -> List[Dict[str, Any]]:
    """Every run in the store, newest first (``corridor runs list --format json``)."""
    return json.loads(_native(open_store(store).runs))


def _geo_frame(df: Any) -> Any:
    """A GeoDataFrame (EPSG:4326) of a frame with WKT ``geometry`` when GeoPandas is
    installed; the frame as it is otherwise."""
    try:
        import geopandas as gpd
    except ImportError:
        return df
    geom = gpd.GeoSeries.from_wkt(df["geometry"], crs="EPSG:4326")
    return gpd.GeoDataFrame(df.drop(columns=["geometry"]), geometry=geom, crs="EPSG:4326")


def rows(run_id: int, store: str, as_frame: bool = True) -> Any:
    """The rows of a run (the columns of results.csv); a DataFrame unless ``as_frame=False``.
    A job with ``geometry = true`` adds ``geometry`` (each itinerary's line as WKT): then a
    GeoDataFrame in EPSG:4326 when GeoPandas is installed."""
    r = json.loads(_native(open_store(store).rows, run_id))
    if not as_frame:
        return r
    import pandas as pd

    cols = [
        "scenario", "lane", "from", "to", "distance_km", "transit_h", "transit_days_p50",
        "transit_days_p90", "cost_usd", "co2e_kg", "borders_crossed", "countries",
        "compliance", "error", "message",
    ]
    lines = any(x.get("geometry") for x in r)
    if lines:
        cols.append("geometry")
    df = pd.DataFrame([{c: x.get(c) for c in cols} for x in r], columns=cols)
    return _geo_frame(df) if lines else df


FLOW_COLUMNS = [
    "scenario", "demand_factor", "capacity_id", "name", "element", "target", "direction",
    "load_teu_per_year", "load_trains_per_day", "capacity_teu_per_year", "vc", "delay_h",
    "capacity_needed_teu_per_year", "planned", "source",
]

FLOW_RUN_COLUMNS = [
    "scenario", "demand_factor", "demand_teu_per_year", "total_cost_usd_per_year",
    "relative_gap", "converged", "iterations", "corridors", "warnings",
]


def flows(run_id: int, store: str, as_frame: bool = True) -> Any:
    """The flows of a run whose job has ``[flows]``: each capacity's load, V/C, delay and
    source per scenario and demand factor (the columns of flows.csv); a DataFrame unless
    ``as_frame=False``."""
    r = json.loads(_native(open_store(store).flows, run_id))
    if not as_frame:
        return r
    import pandas as pd

    return pd.DataFrame([{c: x.get(c) for c in FLOW_COLUMNS} for x in r], columns=FLOW_COLUMNS)


def flow_runs(run_id: int, store: str, as_frame: bool = True) -> Any:
    """The assignments of a run: one per scenario and demand factor, with the demand, total
    cost, gap reached, iterations and the corridor shares (JSON text)."""
    r = json.loads(_native(open_store(store).flow_runs, run_id))
    if not as_frame:
        return r
    import pandas as pd

    return pd.DataFrame([{c: x.get(c) for c in FLOW_RUN_COLUMNS} for x in r], columns=FLOW_RUN_COLUMNS)
