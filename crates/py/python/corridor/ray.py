"""A batch job on a Ray cluster: the parts of the job (one scenario × one chunk of lanes) run
as tasks on Ray actors, each actor loading the network once; the driver writes every part
into the results store in its own transaction, as ``corridor batch`` does, so the store,
the resumption and the rows are the same as a single-process run.

    >>> import corridor.ray
    >>> corridor.ray.run_batch("job.toml", address="auto", store="runs.sqlite", workers=4)

Workers read the job's files (lanes_file, scenario files, data folder) at the same paths as
the driver: on a multi-node cluster, put them on a shared file system or the same checkout
on every node (docs/batch.md). A worker that dies is restarted and its part retried
(``max_retries``); the run is marked complete only with every part in the store.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Dict, List, Optional

from . import _corridor
from .batch import PathLike, _native, default_out, default_store, load_job, open_store


def _worker_class(ray: Any, max_retries: int) -> Any:
    @ray.remote(max_restarts=max_retries, max_task_retries=max_retries)
    class CorridorWorker:
        """Holds the job and its network, loaded once; computes parts."""

        def __init__(self, path: str, text: str, data: Optional[str], die_once: Optional[str]) -> None:
            self.job = _native(_corridor.NativeJob, path, text, data)
            self.die_once = die_once

        def compute(self, part: str) -> str:
            if self.die_once and not os.path.exists(self.die_once):
                # Fault injection for the tests: the first worker to get here dies hard.
                open(self.die_once, "w").close()
                os._exit(1)
            return _native(self.job.compute, part)

        def pid(self) -> int:
            return os.getpid()

    return CorridorWorker


def run_batch(
    job: PathLike,
    store: Optional[str] = None,
    address: Optional[str] = None,
    workers: Optional[int] = None,
    out: Optional[PathLike] = None,
    data: Optional[PathLike] = None,
    max_retries: int = 2,
    cpus_per_worker: float = 1,
    _die_once: Optional[str] = None,
) -> Dict[str, Any]:
    """Runs ``job`` on Ray (``address``: ``"auto"``, ``"ray://head:10001"``, or None for a
    cluster of this machine started on the fly) with ``workers`` actors (default: the
    cluster's CPUs), into ``store`` (SQLite path or ``postgres://…``; default as the CLI).
    Answers ``{run_id, resumed, computed, skipped, complete, seconds, store, files,
    workers}``; raises if a part still fails after ``max_retries``. (``_die_once``: a marker
    file path; the first worker to compute a part while it is absent creates it and exits,
    for the tests of retries.)"""
    import ray

    t = time.perf_counter()
    path = os.path.abspath(os.fspath(job))
    j = load_job(path, data)  # every problem of the job, before any work or any worker
    url = store or default_store(path)
    s = open_store(url)
    run_id, resumed = _native(s.begin, _native(j.meta))
    all_parts = json.loads(j.parts())
    todo: List[Dict[str, Any]] = json.loads(_native(s.pending, run_id, j))
    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    n = workers or max(1, int(ray.cluster_resources().get("CPU", 1) // cpus_per_worker))
    n = max(1, min(n, len(todo))) if todo else 0
    Worker = _worker_class(ray, max_retries)
    # Each actor computes a part's lanes on as many threads as it has CPUs (rayon's pool).
    threads = str(max(1, int(cpus_per_worker)))
    env = {"env_vars": {"RAYON_NUM_THREADS": threads}}
    actors = [
        Worker.options(num_cpus=cpus_per_worker, runtime_env=env).remote(
            path, j.text, None if data is None else os.fspath(data), _die_once
        )
        for _ in range(n)
    ]
    pids = sorted(set(ray.get([a.pid.remote() for a in actors]))) if actors else []
    pending_refs = {}
    queue = list(todo)
    free = list(actors)
    computed = 0
    try:
        while queue or pending_refs:
            while queue and free:
                a = free.pop()
                part = queue.pop(0)
                pending_refs[a.compute.remote(json.dumps(part))] = a
            ready, _ = ray.wait(list(pending_refs), num_returns=1)
            for ref in ready:
                a = pending_refs.pop(ref)
                result = ray.get(ref)  # raises after max_retries: the run stays resumable
                _native(s.write_part, run_id, result)
                computed += 1
                free.append(a)
    finally:
        for a in actors:
            ray.kill(a)
    seconds = time.perf_counter() - t
    _native(s.finish, run_id, j, seconds)
    files = _native(s.export, run_id, os.fspath(out or default_out(path, j.name)))
    return {
        "run_id": run_id,
        "resumed": resumed,
        "computed": computed,
        "skipped": len(all_parts) - len(todo),
        "complete": True,
        "seconds": seconds,
        "store": url,
        "files": files,
        "workers": len(pids),
    }
