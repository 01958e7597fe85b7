"""corridor from Python: multimodal freight routes across the Eurasian corridors, in-process.

    >>> import corridor
    >>> eng = corridor.Engine()                      # loads the embedded network once
    >>> a = eng.route("Xi'an", "Duisburg", optimize="time")
    >>> a.itineraries[0].totals.transit_days

The methods mirror the CLI (``corridor route|front|table|compare|emissions|path|assign``) with
the same parameter names (``-`` becomes ``_``; ``from`` is ``from_``) and answer the JSON the
CLI prints with ``--format json``; tables also as pandas DataFrames and Arrow tables. Errors
are :class:`CorridorError` subclasses carrying ``code``, ``field`` and ``suggestions``. Every
search releases the GIL: threads sharing one Engine run in parallel.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

from . import _corridor
from .answers import Answer, CompareAnswer, PathAnswer, RouteAnswer, TableAnswer
from .errors import (
    BadRequest,
    BudgetExceeded,
    CorridorError,
    InternalError,
    InvalidData,
    InvalidJob,
    InvalidQuery,
    InvalidValue,
    NoPath,
    NoRoute,
    NoSnap,
    NotFound,
    OutsideServicePeriod,
    StoreError,
    TooBig,
    UnknownPlace,
    from_body,
)

__version__: str = _corridor.__version__

__all__ = [
    "Engine",
    "assign",
    "Answer",
    "RouteAnswer",
    "TableAnswer",
    "CompareAnswer",
    "PathAnswer",
    "CorridorError",
    "BadRequest",
    "InvalidQuery",
    "InvalidValue",
    "UnknownPlace",
    "NoSnap",
    "TooBig",
    "NotFound",
    "NoRoute",
    "NoPath",
    "OutsideServicePeriod",
    "BudgetExceeded",
    "InvalidData",
    "InvalidJob",
    "StoreError",
    "InternalError",
]

PathLike = Union[str, "os.PathLike[str]"]


def _call(fn: Callable[..., str], *args: Any, **kw: Any) -> Any:
    try:
        return json.loads(fn(*args, **kw))
    except _corridor.NativeError as e:
        raise from_body(str(e.args[0] if e.args else e)) from None


def _list(v: Union[None, str, Iterable[str]]) -> List[str]:
    if v is None:
        return []
    if isinstance(v, (str, os.PathLike)):
        return [os.fspath(v)]
    return [os.fspath(x) for x in v]


def _request(fields: Dict[str, Any]) -> str:
    """The JSON request: the given fields (None left out), list-valued ones as lists."""
    out: Dict[str, Any] = {}
    for k, v in fields.items():
        if v is None:
            continue
        if k in ("avoid", "via", "scenario", "from_list", "to_list", "leg"):
            v = _list(v)
        out[k] = v
    for k in ("from_list", "to_list"):
        if k in out:
            out[k[: -len("_list")]] = out.pop(k)
    return json.dumps(out)


class Engine:
    """The corridor network loaded once, queried many times (thread-safe).

    :param data: a data folder in the corridor CSV format, or an overlay over the embedded
        network (``--data``); default the embedded Eurasian network.
    :param scenario: what-if scenarios applied to every query (shipped names such as
        ``"caspian-backlog"`` or TOML paths), in order (``--scenario``).
    :param network_dir: the imported physical networks for :meth:`path` (``--network-dir``;
        default ``$CORRIDOR_DATA``, else ``~/.local/share/corridor``).
    """

    def __init__(
        self,
        data: Optional[PathLike] = None,
        scenario: Union[None, str, Sequence[str]] = None,
        network_dir: Optional[PathLike] = None,
    ) -> None:
        try:
            self._native = _corridor.NativeEngine(
                None if data is None else os.fspath(data),
                _list(scenario),
                None if network_dir is None else os.fspath(network_dir),
            )
        except _corridor.NativeError as e:
            raise from_body(str(e.args[0])) from None

    @property
    def data(self) -> Answer:
        """The data answers come from: name, version, hash, layers and scenarios."""
        return Answer(_call(self._native.data_info))

    def route(self, from_: str, to: str, **options: Any) -> RouteAnswer:
        """``corridor route FROM TO``: the itineraries (the Pareto front, or the best for
        ``optimize="time"|"cost"|"co2"``). Options are the CLI's: ``via``, ``cargo``,
        ``payload_t_per_teu``, ``commodity``, ``reefer``, ``dangerous_goods``, ``goods``,
        ``customs``, ``optimize``, ``avoid``, ``include_planned``, ``scenario``,
        ``alternatives``, ``max_transshipments``, ``max_borders``, ``depart``, ``arrive_by``,
        ``budget_ms``, ``reliability``, ``draws``, ``seed``, ``deadline_days``,
        ``time_criterion``."""
        req = _request({"from": from_, "to": to, **options})
        return RouteAnswer(_call(self._native.route, req))

    def front(self, from_: str, to: str, alternatives: Optional[int] = None, **options: Any) -> RouteAnswer:
        """The Pareto front over time, cost, CO2e and risk (``route`` without ``optimize``)."""
        if options.get("optimize") is not None:
            raise InvalidQuery("front has no optimize: use route(..., optimize=...) for one itinerary")
        return self.route(from_, to, alternatives=alternatives, **options)

    def reliability(
        self,
        from_: str,
        to: str,
        draws: Optional[int] = None,
        seed: Optional[int] = None,
        deadline_days: Optional[float] = None,
        **options: Any,
    ) -> RouteAnswer:
        """``route --reliability``: Monte Carlo P50–P95 transit days per itinerary (and the
        on-time probability with ``deadline_days``); the same seed gives the same figures."""
        return self.route(
            from_, to, reliability=True, draws=draws, seed=seed, deadline_days=deadline_days, **options
        )

    def table(
        self,
        from_: Union[None, str, Sequence[str]] = None,
        to: Union[None, str, Sequence[str]] = None,
        pairs: Optional[Sequence[Sequence[str]]] = None,
        as_frame: bool = False,
        **options: Any,
    ) -> Any:
        """``corridor table``: the best itinerary's totals for every origin × destination, or
        for each of ``pairs``; a :class:`TableAnswer`, or its DataFrame with ``as_frame``."""
        req = _request(
            {
                "from_list": from_,
                "to_list": to,
                "pairs": None if pairs is None else [list(p) for p in pairs],
                **options,
            }
        )
        t = TableAnswer(_call(self._native.table, req))
        return t.to_pandas() if as_frame else t

    def compare(
        self,
        from_: Union[None, str, Sequence[str]] = None,
        to: Union[None, str, Sequence[str]] = None,
        pairs: Optional[Sequence[Sequence[str]]] = None,
        scenario: Union[None, str, Sequence[str]] = None,
        as_frame: bool = False,
        **options: Any,
    ) -> Any:
        """``corridor compare``: the baseline against each ``scenario`` (on its own), lane by
        lane; a :class:`CompareAnswer`, or its DataFrame with ``as_frame``."""
        req = _request(
            {
                "from_list": from_,
                "to_list": to,
                "pairs": None if pairs is None else [list(p) for p in pairs],
                "scenario": scenario,
                **options,
            }
        )
        c = CompareAnswer(_call(self._native.compare, req))
        return c.to_pandas() if as_frame else c

    def emissions(
        self,
        leg: Union[None, str, Sequence[str]] = None,
        legs: Optional[Sequence[Dict[str, Any]]] = None,
        **options: Any,
    ) -> Answer:
        """``corridor emissions``: the ISO 14083 / GLEC footprint of a chain of legs, each
        ``"MODE[/VEHICLE]:FROM-TO[:DISTkm]"`` (``leg``) or a dict ``{mode, from, to,
        distance_km?, vehicle?, load_factor?, empty_running?}`` (``legs``); options ``cargo``,
        ``payload_t_per_teu``, ``load_factor``, ``empty_running``, ``no_hubs``, ``scenario``."""
        req = _request({"leg": leg, "legs": None if legs is None else list(legs), **options})
        return Answer(_call(self._native.emissions, req))

    def path(
        self,
        from_: str,
        to: str,
        network: str = "rail",
        max_snap_km: float = 50.0,
        algorithm: Optional[str] = None,
        allow: Union[None, str, Sequence[str]] = None,
        avoid: Union[None, str, Sequence[str]] = None,
        simplify_km: float = 1.0,
    ) -> PathAnswer:
        """``corridor path``: the shortest path on an imported physical network (``rail``,
        ``road``, ``sea``, …) between places or ``"lat,lon"`` points."""
        return PathAnswer(
            _call(
                self._native.path,
                from_,
                to,
                network,
                max_snap_km,
                algorithm,
                _list(allow),
                _list(avoid),
                simplify_km,
            )
        )

    def flows(
        self,
        demand: Optional[Iterable[Dict[str, Any]]] = None,
        demand_factor: Optional[float] = None,
        planned: bool = False,
        avoid: Union[None, str, Sequence[str]] = None,
        value_of_time: Optional[float] = None,
        algorithm: Optional[str] = None,
        objective: Optional[str] = None,
        gap: Optional[float] = None,
        max_iter: Optional[int] = None,
        scenario: Union[None, str, Sequence[str]] = None,
        compare: bool = False,
    ) -> Answer:
        """``corridor assign`` on the corridor network (docs/flows.md): the equilibrium flows of
        ``demand`` (rows ``{"from", "to", "teu_per_year", "id"?}``; default the data's
        demand.csv) × ``demand_factor``; ``planned`` capacities; the answer of
        ``--format json`` (``bottlenecks`` with their capacity sources, ``corridors``, ``od``,
        ``links``, ``convergence``). ``compare=True`` answers ``run``, ``baseline`` and
        ``comparison``."""
        fields: Dict[str, Any] = {
            "demand": None if demand is None else [dict(r) for r in demand],
            "demand_factor": demand_factor,
            "planned": planned,
            "avoid": avoid,
            "value_of_time": value_of_time,
            "algorithm": algorithm,
            "objective": objective,
            "gap": gap,
            "max_iter": max_iter,
            "scenario": scenario,
            "compare": compare,
        }
        return Answer(_call(self._native.flows, _request(fields)))

    def assign(self, tntp: Optional[PathLike] = None, **options: Any) -> Answer:
        """``corridor assign``: with ``tntp`` a TNTP network (see :func:`assign`), else the
        flows of a demand on the corridor network (see :meth:`flows`)."""
        if tntp is None:
            return self.flows(**options)
        return assign(tntp, **options)


def assign(
    tntp: PathLike,
    algorithm: str = "gp",
    objective: str = "ue",
    gap: float = 1e-5,
    max_iter: int = 1000,
    threads: Optional[int] = None,
    toll_weight: float = 0.0,
    distance_weight: float = 0.0,
) -> Answer:
    """``corridor assign --tntp DIR``: static traffic assignment (user equilibrium ``ue`` or
    system optimum ``so``; ``aon``, ``fw``, ``cfw``, ``bfw`` or ``gp``) of a TNTP network; the
    answer of ``--format json`` (``links`` with ``flow`` and ``cost``, ``convergence``)."""
    return Answer(
        _call(
            _corridor.assign_tntp,
            os.fspath(tntp),
            algorithm,
            objective,
            gap,
            max_iter,
            threads,
            toll_weight,
            distance_weight,
        )
    )
