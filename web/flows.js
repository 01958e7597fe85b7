// corridor web map: the flows layer. "Show flows" asks GET v1/assign (the data's demand ×
// the factor, planned capacities on request, the chosen scenario) and draws every loaded link
// with its width by load and its colour by volume/capacity, and lists the bottlenecks with
// the source of each capacity figure (docs/flows.md). ?flows=1&demand_factor=2&planned=1 opens
// it from a link. Registers in window.corridorPlugins; no build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let page = null;
  let result = null;
  let seq = 0;

  // V/C classes: colour and words (no capacity in the data: grey)
  const CLASSES = [
    { max: 0.5, colour: "#2e7d32", cls: "vc0", text: "V/C < 0.5" },
    { max: 0.8, colour: "#f9a825", cls: "vc1", text: "0.5–0.8" },
    { max: 1.0, colour: "#ef6c00", cls: "vc2", text: "0.8–1.0" },
    { max: Infinity, colour: "#b71c1c", cls: "vc3", text: "≥ 1.0 (over capacity)" },
  ];
  const vcClass = (vc) => (vc == null ? null : CLASSES.find((c) => vc < c.max));
  const vcColour = (vc) => (vc == null ? "#8a8a8a" : vcClass(vc).colour);
  // a coloured dot (a class: the page's CSP allows no inline style)
  const dot = (vc) => page.el("span", { class: "vcdot " + (vc == null ? "vcnone" : vcClass(vc).cls) });
  const teu = (x) => page.num(x) + " TEU/yr";

  function params() {
    const p = new URLSearchParams();
    const f = Number($("demand_factor").value || "1");
    p.set("demand_factor", String(f > 0 ? f : 1));
    if ($("flows_planned").checked) p.set("planned", "true");
    const sc = $("scenario") ? $("scenario").value : "";
    if (sc) p.set("scenario", sc);
    return p;
  }

  async function show() {
    const mine = ++seq;
    const box = $("flows");
    box.hidden = false;
    box.replaceChildren(page.el("p", { class: "help", text: "Assigning the demand to the network …" }));
    const p = params();
    const u = new URL(location.href);
    u.searchParams.set("flows", "1");
    u.searchParams.set("demand_factor", p.get("demand_factor"));
    if (p.get("planned")) u.searchParams.set("planned", "1");
    else u.searchParams.delete("planned");
    history.replaceState(null, "", u.search);
    try {
      const a = await page.api("v1/assign", p);
      if (mine !== seq) return;
      result = a;
      render();
      const pts = a.links.flatMap((l) => l.geometry);
      if (pts.length) page.state.view = { type: "MultiPoint", coordinates: pts };
      page.redrawMap();
    } catch (e) {
      if (mine !== seq) return;
      result = null;
      box.replaceChildren(page.el("p", { class: "error", text: "Flows: " + (e.message || "request failed") }));
      page.redrawMap();
    }
  }

  function render() {
    const box = $("flows");
    if (!result) return;
    const { el } = page;
    const a = result;
    const c = a.convergence;
    const head = el(
      "p",
      { class: "flows-head" },
      el("strong", { text: `Flows: ${teu(a.demand_teu_per_year)}` }),
      ` (demand × ${a.query.demand_factor}${a.query.planned ? ", planned capacities" : ""}) · ${a.query.objective.replace(/_/g, " ")} · gap ${c.relative_gap.toExponential(1)} in ${c.iterations} iteration(s)${c.converged ? "" : " — not converged"}`
    );
    const list = a.bottlenecks.length ? a.bottlenecks : a.capacities.slice(0, 5);
    const rows = list.map((b) =>
      el(
        "tr",
        { class: "bneck" },
        el("td", { text: String(b.rank) }),
        el(
          "td",
          null,
          el("details", { class: "capsource" }, el("summary", { text: b.name }), el("p", { text: `capacity ${b.figure}: ${b.conversion || "as published"}` }), el("p", { class: "flagsource", text: "source: " + b.source }), b.note ? el("p", { text: b.note }) : null)
        ),
        el("td", { class: "num" }, dot(b.vc), " " + b.vc.toFixed(2)),
        el("td", { class: "num", text: page.num(b.load_teu_per_year) }),
        el("td", { class: "num", text: page.num(b.capacity_teu_per_year) }),
        el("td", { class: "num", text: page.nf1.format(b.delay_h) })
      )
    );
    const table = el(
      "div",
      { class: "tablewrap", tabindex: "0", role: "region", "aria-label": "Bottlenecks" },
      el(
        "table",
        { id: "bottlenecks" },
        el("caption", { text: a.bottlenecks.length ? "Bottlenecks (V/C ≥ 0.8), most saturated first" : "No capacity at V/C ≥ 0.8; the most loaded" }),
        el("thead", null, el("tr", null, ...["#", "what (click for the source)", "V/C", "TEU/yr", "capacity", "delay h"].map((t) => el("th", { text: t })))),
        el("tbody", null, ...rows)
      )
    );
    const cors = el("ul", { class: "flowcorridors", "aria-label": "Flows by corridor" }, ...a.corridors.slice(0, 8).map((f) => el("li", { text: `${(f.share * 100).toFixed(1)}% · ${teu(f.teu_per_year)} · ${f.corridor}` })));
    const notes = a.warnings.length ? el("ul", { class: "warnings" }, ...a.warnings.map((w) => el("li", { text: w }))) : null;
    box.replaceChildren(head, table, el("p", { class: "flows-sub", text: "Flows by corridor" }), cors, notes);
  }

  function map(s, proj, path) {
    if (!result || !result.links.length) return;
    const max = Math.max(...result.links.map((l) => l.teu_per_year));
    const g = page.svg("g", { class: "flows", id: "flows-layer" }, s);
    for (const l of result.links) {
      const d = path({ type: "LineString", coordinates: l.geometry });
      if (!d) continue;
      const w = 1.5 + 9 * Math.sqrt(l.teu_per_year / max);
      const p = page.svg("path", { class: "flow", d, stroke: vcColour(l.vc), "stroke-width": w.toFixed(2), "data-link": l.link }, g);
      page.tip(p, `${l.from} → ${l.to} (${l.mode}): ${teu(l.teu_per_year)}, ${page.nf1.format(l.trains_per_day)} trains/day` + (l.vc != null ? `, V/C ${l.vc.toFixed(2)}` : ", no capacity in the data"));
    }
    const legend = $("legend");
    if (legend && !legend.querySelector(".flowlegend")) {
      legend.append(
        page.el("div", { class: "flowlegend" }, page.el("strong", { text: "Flows: width = TEU/yr, colour = V/C " }), ...CLASSES.map((c) => page.el("span", { class: "lg" }, page.el("span", { class: "vcdot " + c.cls }), " " + c.text + " ")), page.el("span", { class: "lg" }, dot(null), " no capacity"))
      );
    }
  }

  (window.corridorPlugins = window.corridorPlugins || []).push({
    init(p) {
      page = p;
      $("show-flows").addEventListener("click", show);
      const q = new URLSearchParams(location.search);
      if (q.get("demand_factor")) $("demand_factor").value = q.get("demand_factor");
      if (q.get("planned") === "1") $("flows_planned").checked = true;
      if (q.get("flows") === "1") {
        $("flows-options").open = true;
        show();
      }
    },
    map,
  });
})();
