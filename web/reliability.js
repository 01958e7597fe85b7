// corridor web map: reliability per itinerary. With the "reliability" toggle on, every route
// request asks for Monte Carlo transit times (reliability=true, and deadline_days when given),
// and each alternative gets a card: P50 / P90 (and the on-time probability with a deadline) and
// an SVG histogram of the answer's reliability.histogram with P50 and P90 marked.
// Registers in window.corridorPlugins (app.js calls the hooks); no build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const SVGNS = "http://www.w3.org/2000/svg";
  const DRAWS = "4000"; // enough for P50/P90 to about ±1% of the spread, fast on the server
  let page = null;

  const on = () => $("reliability") && $("reliability").checked;
  const deadline = () => {
    const v = parseFloat(($("deadline_days") || {}).value || "");
    return Number.isFinite(v) && v >= 0 ? v : null;
  };

  function node(tag, attrs, parent, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // A histogram of transit days with vertical marks at P50, P90 and the deadline.
  function histogram(rel, totals) {
    const W = 320, H = 120, L = 8, R = 8, T = 16, B = 22;
    const bins = rel.histogram || [];
    const s = node("svg", { class: "rel-hist", viewBox: `0 0 ${W} ${H}`, role: "img" });
    node("title", {}, s, `Distribution of transit days over ${rel.draws} draws`);
    if (!bins.length) return s;
    const x0 = bins[0].from_days, x1 = bins[bins.length - 1].to_days;
    const top = Math.max(...bins.map((b) => b.share)) || 1;
    const x = (d) => L + ((d - x0) / (x1 - x0 || 1)) * (W - L - R);
    const y = (p) => H - B - (p / top) * (H - B - T);
    for (const b of bins) {
      const r = node("rect", { class: "bar", x: x(b.from_days), y: y(b.share), width: Math.max(0.5, x(b.to_days) - x(b.from_days) - 0.5), height: H - B - y(b.share) }, s);
      node("title", {}, r, `${page.nf1.format(b.from_days)}–${page.nf1.format(b.to_days)} d: ${(100 * b.share).toFixed(1)}%`);
    }
    node("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }, s);
    node("text", { class: "tick", x: L, y: H - 6 }, s, page.nf1.format(x0) + " d");
    node("text", { class: "tick", x: W - R, y: H - 6, "text-anchor": "end" }, s, page.nf1.format(x1) + " d");
    const marks = [
      ["p50", totals.transit_days_p50, "P50"],
      ["p90", totals.transit_days_p90, "P90"],
    ];
    if (rel.deadline_days != null) marks.push(["deadline", rel.deadline_days, "deadline"]);
    for (const [cls, v, label] of marks) {
      if (v == null || v < x0 || v > x1) continue;
      const g = node("g", { class: "mark " + cls, "data-mark": label }, s);
      node("line", { x1: x(v), x2: x(v), y1: T - 4, y2: H - B }, g);
      node("text", { x: x(v) + 2, y: cls === "p90" ? T + 6 : T - 5 }, g, label);
    }
    return s;
  }

  function render() {
    const box = $("reliability-cards");
    if (!box) return;
    const alts = (page.state.alts || []).filter((a) => a.itin.reliability);
    if (!on() || !alts.length) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const { el, nf1 } = page;
    box.hidden = false;
    const cards = page.state.alts.map((a, i) => {
      const rel = a.itin.reliability;
      const t = a.itin.totals;
      if (!rel) return null;
      const ontime = t.on_time_probability != null ? ` · on time ${(100 * t.on_time_probability).toFixed(1)}% (within ${nf1.format(rel.deadline_days)} d)` : "";
      const card = el(
        "article",
        { class: "rel-card" + (i === page.state.selected ? " selected" : ""), "data-i": String(i) },
        el("h4", { text: `${i + 1}. ${a.labels.join(" · ")}` }),
        el("p", { class: "rel-figs", text: `P50 ${nf1.format(t.transit_days_p50)} d · P90 ${nf1.format(t.transit_days_p90)} d · typical ${nf1.format(t.transit_h / 24)} d${ontime}` + (rel.multimodal ? " · bimodal" : "") })
      );
      card.append(histogram(rel, t));
      card.append(el("p", { class: "help", text: `${rel.draws} draws, seed ${rel.seed}. ${rel.method}` }));
      return card;
    });
    box.replaceChildren(el("h3", { text: "Reliability: distribution of transit days" }), el("div", { class: "rel-grid" }, ...cards.filter(Boolean)));
  }

  (window.corridorPlugins = window.corridorPlugins || []).push({
    init(p) {
      page = p;
      const u = new URLSearchParams(location.search);
      if (["1", "true"].includes(u.get("reliability") || "")) $("reliability").checked = true;
      if (u.get("deadline_days")) $("deadline_days").value = u.get("deadline_days");
      $("reliability").addEventListener("change", () => page.replan());
      $("deadline_days").addEventListener("change", () => on() && page.replan());
    },
    params(p) {
      if (!on()) return;
      p.set("reliability", "true");
      p.set("draws", DRAWS);
      const d = deadline();
      if (d != null) p.set("deadline_days", String(d));
    },
    // the page's address and "Copy link" keep the toggle and the deadline
    url(p) {
      if (!on()) return;
      p.set("reliability", "1");
      if (deadline() != null) p.set("deadline_days", String(deadline()));
    },
    render,
  });
})();
