"""Answers: the JSON of the CLI (``--format json``) as dicts with attribute access, and the
tables as pandas DataFrames, Arrow tables and (geometry) GeoPandas GeoDataFrames."""

from __future__ import annotations

from typing import Any, Dict, List


def _wrap(v: Any) -> Any:
    if isinstance(v, dict) and not isinstance(v, Answer):
        return Answer(v)
    if isinstance(v, list):
        return [_wrap(x) for x in v]
    return v


class Answer(dict):
    """A JSON answer: a dict (``a["itineraries"]``) that also reads keys as attributes
    (``a.itineraries[0].totals.transit_days``)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for k, v in list(self.items()):
            dict.__setitem__(self, k, _wrap(v))

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _need(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"{module} is needed for this: pip install 'corridor[{extra}]' (or pip install {module})"
        ) from e


class _Tabular(Answer):
    """An answer with rows: ``columns()`` gives them column by column (the CSV's names)."""

    def columns(self) -> Dict[str, List[Any]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (the CSV's column names)."""
        pd = _need("pandas", "frames")
        return pd.DataFrame(self.columns())

    def to_arrow(self) -> Any:
        """The rows as a pyarrow Table (the CSV's column names)."""
        pa = _need("pyarrow", "frames")
        return pa.table(self.columns())


def _join(v: Any, sep: str) -> Any:
    return sep.join(v) if isinstance(v, list) else v


TABLE_COLUMNS = [
    "from",
    "to",
    "distance_km",
    "transit_h",
    "transit_days_p50",
    "transit_days_p90",
    "cost_usd",
    "co2e_kg",
    "borders_crossed",
    "countries",
    "compliance",
    "error",
    "message",
]


class TableAnswer(_Tabular):
    """The answer of ``table``: ``cells``, one per lane; ``to_pandas()`` has the columns of
    ``corridor table``'s CSV (countries and compliance space-separated; the P50/P90 columns
    only with ``reliability=True``)."""

    def columns(self) -> Dict[str, List[Any]]:
        cells = self["cells"]
        keep = [
            c
            for c in TABLE_COLUMNS
            if c not in ("transit_days_p50", "transit_days_p90")
            or any(c in cell for cell in cells)
        ]
        out: Dict[str, List[Any]] = {c: [] for c in keep}
        for cell in cells:
            for c in keep:
                out[c].append(_join(cell.get(c), " "))
        return out


COMPARE_COLUMNS = [
    "from",
    "to",
    "scenario",
    "base_days",
    "scenario_days",
    "delta_days",
    "base_cost_usd",
    "scenario_cost_usd",
    "delta_cost_usd",
    "base_co2e_kg",
    "scenario_co2e_kg",
    "delta_co2e_kg",
    "diverted",
    "lost_every_route",
    "base_countries",
    "scenario_countries",
    "base_crossings",
    "scenario_crossings",
    "error",
]


class CompareAnswer(_Tabular):
    """The answer of ``compare``: ``lanes``, each with ``baseline`` and one entry per
    scenario; ``to_pandas()`` has one row per lane and scenario, the columns of
    ``corridor compare --format csv`` (unrounded)."""

    def columns(self) -> Dict[str, List[Any]]:
        out: Dict[str, List[Any]] = {c: [] for c in COMPARE_COLUMNS}
        for lane in self["lanes"]:
            b = lane.get("baseline") or {}
            for s in lane["scenarios"]:
                o = s.get("outcome") or {}
                row = {
                    "from": lane["from"],
                    "to": lane["to"],
                    "scenario": s["scenario"],
                    "base_days": b.get("transit_days"),
                    "scenario_days": o.get("transit_days"),
                    "delta_days": s.get("delta_days"),
                    "base_cost_usd": b.get("cost_usd"),
                    "scenario_cost_usd": o.get("cost_usd"),
                    "delta_cost_usd": s.get("delta_cost_usd"),
                    "base_co2e_kg": b.get("co2e_kg"),
                    "scenario_co2e_kg": o.get("co2e_kg"),
                    "delta_co2e_kg": s.get("delta_co2e_kg"),
                    "diverted": s["diverted"],
                    "lost_every_route": s["lost_every_route"],
                    "base_countries": "-".join(b.get("countries", [])),
                    "scenario_countries": "-".join(o.get("countries", [])),
                    "base_crossings": "; ".join(b.get("crossings", [])),
                    "scenario_crossings": "; ".join(o.get("crossings", [])),
                    "error": lane.get("error") or s.get("error") or "",
                }
                for c in COMPARE_COLUMNS:
                    out[c].append(row[c])
        return out


LEG_COLUMNS = [
    "seq",
    "mode",
    "from",
    "to",
    "distance_km",
    "moving_h",
    "wait_h",
    "dwell_h",
    "cost_usd",
    "co2e_kg",
]


class RouteAnswer(Answer):
    """The answer of ``route``, ``front`` and ``reliability``: ``itineraries``, each with
    ``labels``, ``totals`` and ``legs``; ``to_pandas()`` has one row per leg, and
    ``to_geopandas()`` the same rows with each leg's line (lon/lat, EPSG:4326)."""

    def _leg_rows(self) -> List[Dict[str, Any]]:
        rows = []
        for i, it in enumerate(self["itineraries"]):
            for leg in it["legs"]:
                row: Dict[str, Any] = {"itinerary": i, "labels": " ".join(it.get("labels", []))}
                for c in LEG_COLUMNS:
                    v = leg.get(c)
                    if isinstance(v, dict):  # a place: its id
                        v = v.get("id", v.get("name"))
                    row[c] = v
                # The block train the leg boards at its terminal (services.csv waits=boarding):
                # its wait (part of wait_h) and trains a week; None where it rides through.
                train = leg.get("train") or {}
                row["train_wait_h"] = train.get("wait_h")
                row["train_departures_per_week"] = train.get("departures_per_week")
                row["geometry"] = leg.get("geometry", [])
                rows.append(row)
        return rows

    def to_pandas(self) -> Any:
        """One row per leg of every itinerary (``itinerary`` numbers them, 0 first)."""
        pd = _need("pandas", "frames")
        rows = self._leg_rows()
        for r in rows:
            r.pop("geometry")
        return pd.DataFrame(rows)

    def to_geopandas(self) -> Any:
        """The legs as a GeoDataFrame of LineStrings (EPSG:4326); needs geopandas."""
        gpd = _need("geopandas", "geo")
        shapely = _need("shapely.geometry", "geo")
        rows = self._leg_rows()
        geoms = []
        for r in rows:
            pts = r.pop("geometry")
            geoms.append(shapely.LineString(pts) if len(pts) >= 2 else None)
        return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


class PathAnswer(Answer):
    """The answer of ``path``: the summary and a GeoJSON ``geometry`` (LineString);
    ``to_geopandas()`` gives it as a one-row GeoDataFrame."""

    def to_geopandas(self) -> Any:
        """The path as a one-row GeoDataFrame (EPSG:4326); needs geopandas."""
        gpd = _need("geopandas", "geo")
        shapely = _need("shapely.geometry", "geo")
        props = {k: v for k, v in self.items() if not isinstance(v, (dict, list))}
        geom = shapely.shape(dict(self["geometry"]))
        return gpd.GeoDataFrame([props], geometry=[geom], crs="EPSG:4326")
