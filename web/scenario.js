// corridor web map: the what-if scenario picker. Lists the shipped scenarios (GET v1/scenarios);
// with one chosen, every plan also asks each objective under the scenario and shows baseline
// and scenario side by side (transit, cost, CO2e and their deltas, the countries before and
// after), and the map draws the scenario's route for the selected alternative dashed.
// Registers in window.corridorPlugins (app.js calls the hooks); no build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let page = null;
  let list = [];
  let result = null; // {name, rows: [{label, base, scen, error}]}
  let seq = 0;

  const chosen = () => ($("scenario") ? $("scenario").value : "");
  const info = (name) => list.find((s) => s.name === name);

  function fill(scenarios) {
    list = scenarios;
    const sel = $("scenario");
    for (const s of scenarios) {
      const o = document.createElement("option");
      o.value = s.name;
      o.textContent = s.title;
      o.title = s.description;
      sel.append(o);
    }
    const want = new URLSearchParams(location.search).get("scenario");
    if (want && info(want)) sel.value = want;
  }

  function signed(x, f, unit) {
    if (x == null || Number.isNaN(x)) return "—";
    const s = x > 0 ? "+" : x < 0 ? "−" : "±";
    return s + f(Math.abs(x)) + unit;
  }

  async function compare(q) {
    const name = chosen();
    const box = $("scenario-compare");
    const mine = ++seq;
    if (!name) {
      result = null;
      box.hidden = true;
      box.replaceChildren();
      page.redrawMap();
      return;
    }
    box.hidden = false;
    box.replaceChildren(page.el("p", { class: "help", text: `Planning under scenario ${name} …` }));
    const asks = page.OBJECTIVES.map((o) => {
      const p = page.apiParams(q, o.optimize);
      p.set("scenario", name);
      return page.api("v1/route", p);
    });
    const got = await Promise.allSettled(asks);
    if (mine !== seq) return;
    const rows = page.OBJECTIVES.map((o, i) => {
      const alt = page.state.alts.find((a) => a.labels.includes(o.label));
      const r = got[i];
      const scen = r.status === "fulfilled" ? (r.value.itineraries || [])[0] : null;
      const answer = r.status === "fulfilled" ? r.value : null;
      return { label: o.label, base: alt ? alt.itin : null, scen, answer, error: r.status === "rejected" ? r.reason : null };
    });
    result = { name, rows };
    render();
    page.redrawMap();
  }

  function render() {
    const box = $("scenario-compare");
    if (!result) return;
    const { el, num, nf1 } = page;
    const s = info(result.name) || { title: result.name, hash: "" };
    const d = (h) => (h == null ? "—" : nf1.format(h / 24) + " d");
    const head = el(
      "tr",
      null,
      ...["objective", "baseline time", "scenario time", "Δ time", "baseline USD", "scenario USD", "Δ USD", "baseline CO2e kg", "scenario CO2e kg", "Δ CO2e", "countries (baseline → scenario)"].map((h, i) =>
        el("th", { scope: "col", class: i > 0 && i < 10 ? "n" : null, text: h })
      )
    );
    const body = result.rows.map((r) => {
      const b = r.base && r.base.totals;
      const t = r.scen && r.scen.totals;
      const cells = [
        d(b && b.transit_h),
        t ? d(t.transit_h) : "no route",
        b && t ? signed((t.transit_h - b.transit_h) / 24, (x) => nf1.format(x), " d") : "—",
        num(b && b.cost_usd),
        num(t && t.cost_usd),
        b && t ? signed(t.cost_usd - b.cost_usd, (x) => num(x), "") : "—",
        num(b && b.co2e_kg),
        num(t && t.co2e_kg),
        b && t ? signed(t.co2e_kg - b.co2e_kg, (x) => num(x), "") : "—",
        `${b ? b.countries.join("·") : "—"} → ${t ? t.countries.join("·") : r.error ? r.error.message : "—"}`,
      ];
      return el("tr", { "data-objective": r.label }, el("th", { scope: "row", text: r.label }), ...cells.map((c, j) => el("td", { class: j < 9 ? "n" : null, text: c })));
    });
    const hash = (result.rows.find((r) => r.answer) || {}).answer;
    const applied = hash && hash.data && hash.data.scenarios ? hash.data.scenarios.map((x) => `${x.name} #${x.hash}`).join(", ") : `${result.name} #${s.hash}`;
    box.replaceChildren(
      el("h3", { text: `Baseline vs scenario: ${s.title}` }),
      el("p", { class: "help", text: `${s.description || ""} Applied: ${applied}. The scenario route of the selected objective is drawn dashed on the map.` }),
      el("div", { class: "tablewrap", tabindex: "0", role: "region", "aria-label": "Baseline and scenario side by side" }, el("table", { class: "scenario-table" }, el("thead", null, head), el("tbody", null, ...body)))
    );
  }

  // The scenario itinerary of the selected alternative's first objective.
  function selectedScenario() {
    if (!result || !page.state.alts.length) return null;
    const a = page.state.alts[page.state.selected];
    const row = result.rows.find((r) => a && a.labels.includes(r.label));
    return row && row.scen;
  }

  function map(s, proj, path) {
    const it = selectedScenario();
    if (!it) return;
    const g = page.svg("g", { class: "scenario-route", "data-scenario": result.name }, s);
    page.tip(g, `scenario ${result.name}: ${page.days(it.totals.transit_h)} · USD ${page.num(it.totals.cost_usd)}`);
    for (const l of it.legs) {
      const d = path({ type: "LineString", coordinates: l.geometry || [[l.from.lon, l.from.lat], [l.to.lon, l.to.lat]] });
      if (d) page.svg("path", { class: "scenario-leg", d }, g);
    }
  }

  (window.corridorPlugins = window.corridorPlugins || []).push({
    init(p) {
      page = p;
      $("scenario").addEventListener("change", () => {
        const q = page.lastQuery();
        const u = new URL(location.href);
        if (chosen()) u.searchParams.set("scenario", chosen());
        else u.searchParams.delete("scenario");
        history.replaceState(null, "", u.search);
        if (q && page.state.alts.length) compare(q);
      });
      page
        .api("v1/scenarios")
        .then(fill)
        .catch(() => ($("scenario-help").textContent = "The server lists no scenarios."));
    },
    planned(q) {
      compare(q);
    },
    // the page's address and "Copy link" keep the scenario
    url(p) {
      if (chosen()) p.set("scenario", chosen());
    },
    render,
    map,
  });
})();
