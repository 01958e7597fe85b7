"""The Python package against the CLI's JSON (the reference: the same engine, the same serde
types) and the package's own contracts (errors, frames, determinism, the GIL)."""

import json
import subprocess
import threading
import time

import pytest

import corridor


def cli_json(cli, *args):
    out = subprocess.run([cli, *args, "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_route_is_the_clis_json(engine, cli):
    py = engine.route("Xi'an", "Duisburg", optimize="cost", cargo="2xFEU", avoid=["country:RU"])
    ref = cli_json(cli, "route", "Xi'an", "Duisburg", "--optimize", "cost", "--cargo", "2xFEU", "--avoid", "country:RU")
    assert set(py) == set(ref)
    assert py["itineraries"] == ref["itineraries"]
    assert py["query"] == ref["query"]
    assert py.data.hash == ref["data"]["hash"]
    # attribute access reads the same values
    assert py.itineraries[0].totals.cost_usd == ref["itineraries"][0]["totals"]["cost_usd"]
    assert "RU" not in py.itineraries[0].totals.countries


def test_front_and_table_agree_with_the_clis(engine, cli):
    front = engine.front("Urumqi", "Baku", alternatives=3)
    ref = cli_json(cli, "route", "Urumqi", "Baku", "--alternatives", "3")
    assert front["itineraries"] == ref["itineraries"]
    assert 1 <= len(front.itineraries) <= 3
    t = engine.table(["Xi'an", "Urumqi"], ["Duisburg", "Baku"])
    ref = cli_json(cli, "table", "--from", "Xi'an", "--from", "Urumqi", "--to", "Duisburg", "--to", "Baku")
    assert t["cells"] == ref["cells"]


def test_table_frame_and_arrow_hold_the_cells(engine):
    pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    t = engine.table(pairs=[["Xi'an", "Duisburg"], ["Urumqi", "Nowhere-at-all"]])
    df = t.to_pandas()
    assert list(df["from"]) == ["Xi'an", "Urumqi"]
    assert df.loc[0, "transit_h"] == t.cells[0].transit_h
    assert df.loc[0, "countries"] == " ".join(t.cells[0].countries)
    assert df.loc[1, "error"] == "UnknownPlace"
    assert "transit_days_p50" not in df.columns
    at = t.to_arrow()
    assert isinstance(at, pa.Table) and at.num_rows == 2
    assert at.column("cost_usd")[0].as_py() == t.cells[0].cost_usd
    # a cell is the best itinerary of route(optimize="time")
    r = engine.route("Xi'an", "Duisburg", optimize="time")
    assert df.loc[0, "transit_h"] == r.itineraries[0].totals.transit_h
    one = engine.table(pairs=[["Xi'an", "Duisburg"]], as_frame=True)
    assert one.to_dict("records")[0] == {k: (v.item() if hasattr(v, "item") else v) for k, v in df.iloc[0].items()}


def test_reliability_is_deterministic_for_a_seed(engine):
    a = engine.reliability("Xi'an", "Duisburg", optimize="time", draws=2000, seed=7)
    b = engine.reliability("Xi'an", "Duisburg", optimize="time", draws=2000, seed=7)
    c = engine.reliability("Xi'an", "Duisburg", optimize="time", draws=2000, seed=8)
    ta, tb, tc = (x.itineraries[0].totals for x in (a, b, c))
    assert ta == tb
    assert ta.transit_days_p90 != tc.transit_days_p90
    assert ta.transit_days_p50 <= ta.transit_days_p80 <= ta.transit_days_p90 <= ta.transit_days_p95


def test_compare_deltas_are_scenario_minus_baseline(engine, cli):
    c = engine.compare(pairs=[["Urumqi", "Baku"]], scenario="caspian-backlog")
    ref = cli_json(cli, "compare", "--from", "Urumqi", "--to", "Baku", "--scenario", "caspian-backlog")
    assert c["lanes"] == ref["lanes"]
    pytest.importorskip("pandas")
    df = c.to_pandas()
    row = df.iloc[0]
    assert row["scenario"] == "caspian-backlog"
    assert row["delta_days"] == pytest.approx(row["scenario_days"] - row["base_days"])


def test_emissions_is_the_clis(engine, cli):
    legs = ["road:Urumqi-Khorgos", "rail/electric:Khorgos-Aktau"]
    py = engine.emissions(leg=legs, cargo="2xFEU")
    ref = cli_json(cli, "emissions", "--leg", legs[0], "--leg", legs[1], "--cargo", "2xFEU")
    assert py["footprint"] == ref["footprint"]


def test_errors_carry_code_field_and_suggestions(engine):
    with pytest.raises(corridor.UnknownPlace) as e:
        engine.route("Aktauu", "Baku")
    assert e.value.code == "UnknownPlace" and e.value.field == "from"
    assert any("KZSCO" in s for s in e.value.suggestions)
    assert isinstance(e.value, corridor.BadRequest) and isinstance(e.value, LookupError)
    with pytest.raises(corridor.InvalidValue) as e:
        engine.route("Aktau", "Baku", cargo="zz")
    assert e.value.field == "cargo"
    with pytest.raises(corridor.InvalidQuery, match="unknown field `bogus`"):
        engine.route("Aktau", "Baku", bogus=1)
    with pytest.raises(corridor.NoRoute, match="mode:rail cut off the last route"):
        engine.route("Xi'an", "Duisburg", avoid=["mode:rail", "mode:sea", "mode:road"])
    with pytest.raises(corridor.InvalidValue) as e:
        corridor.Engine(scenario="no-such-scenario")
    assert e.value.field == "scenario" and "caspian-backlog" in e.value.suggestions


def test_a_data_folder_with_problems_names_them(tmp_path):
    (tmp_path / "places.csv").write_text("id,name\nX,\n")
    with pytest.raises(corridor.InvalidData) as e:
        corridor.Engine(data=tmp_path)
    assert e.value.problems and all("file" in p for p in e.value.problems)


def test_searches_release_the_gil(engine):
    lanes = [["Xi'an", "Duisburg"], ["Urumqi", "Baku"], ["Xi'an", "Baku"]] * 100
    done = threading.Event()
    ticks = 0

    def work():
        engine.table(pairs=lanes)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
    t.join()
    elapsed = time.perf_counter() - start
    # With the GIL held for the whole native call the main thread could not run while it
    # lasts: it would count only up to the first switch interval (5 ms). Released, it counts
    # all the time.
    assert elapsed > 0.05, "the table was too quick to tell"
    assert ticks > 10_000, (ticks, elapsed)


def test_assign_siouxfalls_matches_the_best_known_flows(reference_dir):
    folder = reference_dir / "tntp" / "SiouxFalls"
    a = corridor.assign(folder, algorithm="gp", gap=1e-6, max_iter=200, threads=1)
    assert a.network.name == "SiouxFalls" and len(a.links) == 76
    # Best-known flows of the TransportationNetworks repository (SiouxFalls_flow.tntp).
    assert a.best_known_max_relative_deviation < 1e-2
    assert a.convergence.converged
    with pytest.raises(corridor.InvalidValue) as e:
        corridor.assign(folder, algorithm="xx")
    assert e.value.field == "algorithm"


def test_flows_are_the_clis(engine, cli, tmp_path):
    """``Engine.flows`` (and ``assign`` without ``tntp``) answers what ``corridor assign
    --demand FILE --format json`` answers on the same demand."""
    rows = [
        {"id": "x", "from": "Xi'an", "to": "Duisburg", "teu_per_year": 300000.0},
        {"id": "c", "from": "Chongqing", "to": "Almaty", "teu_per_year": 150000.0},
    ]
    od = tmp_path / "od.csv"
    od.write_text("id,from,to,teu_per_year\n" + "".join(f"{r['id']},{r['from']},{r['to']},{r['teu_per_year']}\n" for r in rows))
    py = engine.flows(demand=rows, demand_factor=2, gap=1e-6)
    ref = cli_json(cli, "assign", "--demand", str(od), "--demand-factor", "2", "--gap", "1e-6")
    assert py["od"] == [dict(o) for o in ref["od"]] or [o["cost_usd"] for o in py.od] == pytest.approx([o["cost_usd"] for o in ref["od"]], rel=1e-9)
    assert py["demand_teu_per_year"] == 900000.0
    assert [c["corridor"] for c in py.corridors] == [c["corridor"] for c in ref["corridors"]]
    assert engine.assign(demand=rows, gap=1e-6)["demand_teu_per_year"] == 450000.0
    both = engine.flows(demand=rows, demand_factor=2, compare=True)
    assert set(both) == {"run", "baseline", "comparison"}
    assert both["baseline"]["demand_teu_per_year"] == 450000.0
    with pytest.raises(corridor.InvalidValue) as e:
        engine.flows(demand=[{"from": "Atlantis", "to": "Duisburg", "teu_per_year": 5.0}])
    assert e.value.field == "demand" and "Atlantis" in str(e.value)


def test_leg_frame_carries_the_train_wait(engine):
    # Xi'an's westbound block trains (services.csv): the first leg boards one, later rail legs
    # ride through; the frame has the wait and the trains a week as the JSON's `train`.
    r = engine.route("Xi'an", "Duisburg", optimize="time")
    df = r.to_pandas()
    first = r.itineraries[0].legs[0]
    assert df.loc[0, "train_wait_h"] == first.train.wait_h
    assert df.loc[0, "train_departures_per_week"] == first.train.departures_per_week
    assert abs(first.train.wait_h - 84 / first.train.departures_per_week) < 1e-9
    assert df["train_wait_h"].iloc[1:].isna().all()
