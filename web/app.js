// corridor web map: plans a route through the HTTP API of `corridor serve` and compares the
// alternatives of the answer (the short list of the Pareto front, or the whole front) on an
// offline Natural Earth base map.
// Plain browser JavaScript, no build step; d3-geo and topojson-client are vendored (web/vendor/).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const SVGNS = "http://www.w3.org/2000/svg";
  const OBJECTIVES = [
    { optimize: "time", label: "fastest" },
    { optimize: "cost", label: "cheapest" },
    { optimize: "co2", label: "lowest CO2e" },
  ];
  // The answer's labels (docs/alternatives.md) in words.
  const LABELS = {
    lowest_co2e: "lowest CO2e",
    lowest_risk: "lowest risk",
    fewest_borders: "fewest borders",
    trade_off: "trade-off",
    other_corridor: "other corridor",
  };
  const labelText = (l) => LABELS[l] || l.replace(/_/g, " ");
  // What the labels and the explanation's words mean, shown under the cards that use them.
  const TERMS = [
    ["trade_off", "trade-off", "on the Pareto front but best at no single criterion"],
    ["other_corridor", "other corridor", "the best of a corridor family that the fastest's corridor hides (off the front: something on it beats it on every criterion); shown for a customer who cannot or will not use the fastest's corridor"],
    ["balanced", "balanced", "the lowest sum of transit time, cost and CO2e, each divided by the best on the front"],
    ["delay risk", "delay risk", "the hours that border and transfer dwells and waits for departures can add beyond the typical (the sum of worst case − typical)"],
  ];
  // Answer warnings that change the question: what the short list left out, how the cargo was
  // read (tonnage in boxes, bulk, air left out) and the cargo constraints. Shown above the cards.
  const QUESTION_NOTE = /^left out\b|\bair\b|\bbulk\b|containeri[sz]ed|\bcargo\b|^reefer\b|^dangerous goods\b|^--customs\b/i;
  const isQuestionNote = (w) => QUESTION_NOTE.test(w) && !/^alternatives:/.test(w);
  const MODE_COLOURS = {
    rail: "#c0392b",
    road: "#e67e22",
    sea: "#1f6fb4",
    ferry: "#12a4b6",
    air: "#8e44ad",
    pipeline: "#6d4c41",
  };
  const COUNTRIES = ["RU", "BY", "KZ", "IR", "TM", "AZ", "GE", "TR", "UZ", "KG", "TJ", "MN"];
  const PASSAGES = ["suez", "bab_el_mandeb", "malacca", "cape_of_good_hope", "gibraltar", "bosporus"];
  const MODES = ["air", "sea", "road", "ferry"];
  const HOME = { type: "MultiPoint", coordinates: [[-10, 36], [140, 36], [40, 62], [75, 20]] };

  // Page modules (scenario.js, reliability.js, …) load before this file and register in
  // window.corridorPlugins: {init(page), params(p, q), url(p), planned(q), render(), map(svg, proj, path)}:
  // `params` adds to every /v1/route request, `url` to the page's address and shared links.
  const plugins = window.corridorPlugins || [];
  function runHooks(name, ...args) {
    for (const pl of plugins) {
      if (typeof pl[name] !== "function") continue;
      try {
        pl[name](...args);
      } catch (e) {
        console.warn("corridor plugin " + name + ": " + e.message);
      }
    }
  }
  const state = {
    alts: [], // {key, labels:[], itin, answer}
    selected: 0,
    world: null,
    view: null, // GeoJSON the map is fitted to
    zoom: 1,
    pan: [0, 0],
    planSeq: 0,
  };

  // ---------- formatting ----------
  const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const num = (x, f = nf0) => (x == null || Number.isNaN(x) ? "—" : f.format(x));
  const days = (h) => (h == null ? "—" : nf1.format(h / 24) + " d");
  // as the CLI's table: hours up to 48 h, days beyond (a sea leg's 840 h is 35.0 d)
  const hours = (h) => (h == null ? "—" : h === 0 ? "0" : h >= 48 ? nf1.format(h / 24) + " d" : nf1.format(h) + " h");
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  }
  function svg(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  function tip(node, text) {
    const t = document.createElementNS(SVGNS, "title");
    t.textContent = text;
    node.appendChild(t);
  }

  // ---------- API key ----------
  // A server started with --api-key serves this page without the key; open it as
  // /?key=KEY once: the key moves to sessionStorage (this tab only) and off the address bar,
  // and every API request sends it as X-API-Key.
  const KEY_ITEM = "corridor-api-key";
  (function takeKey() {
    const p = new URLSearchParams(location.search);
    if (!p.has("key")) return;
    try {
      sessionStorage.setItem(KEY_ITEM, p.get("key"));
    } catch (_) {
      /* storage disabled: the key cannot be kept */
    }
    p.delete("key");
    const rest = p.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  })();
  function apiKey() {
    try {
      return sessionStorage.getItem(KEY_ITEM);
    } catch (_) {
      return null;
    }
  }

  // ---------- API ----------
  async function api(path, params) {
    const qs = new URLSearchParams(params).toString();
    const headers = { Accept: "application/json" };
    const key = apiKey();
    if (key) headers["X-API-Key"] = key;
    let resp;
    try {
      resp = await fetch(path + (qs ? "?" + qs : ""), { headers });
    } catch (e) {
      throw { code: "Network", message: "cannot reach the corridor server (" + e.message + ")" };
    }
    let body = null;
    try {
      body = await resp.json();
    } catch (_) {
      /* not JSON */
    }
    if (!resp.ok) {
      if (resp.status === 401 && body) {
        body.message += "; open this page as /?key=YOUR_KEY to send one";
      }
      if (body && body.message) throw body;
      throw { code: "HTTP " + resp.status, message: resp.statusText || "request failed" };
    }
    return body;
  }

  // ---------- form state <-> URL ----------
  function readForm() {
    const avoid = [];
    document.querySelectorAll(".chips input:checked").forEach((c) => avoid.push(c.value));
    $("avoid-other")
      .value.split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .forEach((s) => avoid.push(s));
    return {
      from: $("from").value.trim(),
      to: $("to").value.trim(),
      cargo: $("cargo").value.trim(),
      commodity: $("commodity").value,
      optimize: document.querySelector("input[name=optimize]:checked").value,
      avoid,
      include_planned: $("include_planned").checked,
      depart: $("depart").value,
    };
  }
  function writeForm(q) {
    $("from").value = q.from || "";
    $("to").value = q.to || "";
    $("cargo").value = q.cargo || "2xFEU";
    $("commodity").value = q.commodity || "container";
    const opt = document.querySelector(`input[name=optimize][value="${q.optimize || "time"}"]`);
    if (opt) opt.checked = true;
    const chips = new Set();
    document.querySelectorAll(".chips input").forEach((c) => {
      c.checked = (q.avoid || []).includes(c.value);
      chips.add(c.value);
    });
    $("avoid-other").value = (q.avoid || []).filter((a) => !chips.has(a)).join(", ");
    $("include_planned").checked = !!q.include_planned;
    $("depart").value = q.depart || "";
    if ((q.avoid || []).length || q.include_planned || q.depart) $("options").open = true;
  }
  function queryFromUrl() {
    const p = new URLSearchParams(location.search);
    if (!p.get("from") || !p.get("to")) return null;
    const avoid = p
      .getAll("avoid")
      .flatMap((v) => v.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      from: p.get("from"),
      to: p.get("to"),
      cargo: p.get("cargo") || "2xFEU", // as the form shows it
      commodity: p.get("commodity") || "container",
      optimize: p.get("optimize") || "time",
      avoid,
      include_planned: ["1", "true", "yes"].includes(p.get("include_planned") || ""),
      depart: p.get("depart") || "",
      sel: parseInt(p.get("sel") || "", 10),
    };
  }
  function urlParams(q, sel) {
    const p = new URLSearchParams();
    p.set("from", q.from);
    p.set("to", q.to);
    if (q.cargo) p.set("cargo", q.cargo);
    if (q.commodity && q.commodity !== "container") p.set("commodity", q.commodity);
    if (q.optimize && q.optimize !== "time") p.set("optimize", q.optimize);
    if (q.avoid.length) p.set("avoid", q.avoid.join(","));
    if (q.include_planned) p.set("include_planned", "1");
    if (q.depart) p.set("depart", q.depart);
    runHooks("url", p);
    if (sel != null && sel > 0) p.set("sel", String(sel));
    return p;
  }
  // The query of one /v1/route request: with `optimize`, the best itinerary for it; without,
  // the answer's alternatives (plugins add `alternatives`, `via`, the cargo constraints …).
  function apiParams(q, optimize) {
    const p = new URLSearchParams();
    p.set("from", q.from);
    p.set("to", q.to);
    if (q.cargo) p.set("cargo", q.cargo);
    if (q.commodity) p.set("commodity", q.commodity);
    if (optimize) p.set("optimize", optimize);
    if (q.avoid.length) p.set("avoid", q.avoid.join(","));
    if (q.include_planned) p.set("include_planned", "true");
    // Every objective runs on the clock (timetables, closures) when a departure is given.
    if (q.depart) p.set("depart", q.depart);
    runHooks("params", p, q);
    return p;
  }
  let lastQuery = null;
  function updateUrl() {
    if (!lastQuery) return;
    const url = "?" + urlParams(lastQuery, state.selected).toString();
    if (url !== location.search) history.replaceState(null, "", url);
  }

  // ---------- autocomplete ----------
  function combobox(input) {
    const list = $(input.id + "-list");
    let items = [];
    let active = -1;
    let timer = null;
    let seq = 0;
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(i) {
      const p = items[i];
      if (!p) return;
      input.value = p.name;
      close();
    }
    function highlight(i) {
      active = i;
      [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", list.children[i].id);
        list.children[i].scrollIntoView({ block: "nearest" });
      }
    }
    async function search() {
      const text = input.value.trim();
      const mine = ++seq;
      if (text.length < 1) return close();
      let places;
      try {
        places = await api("v1/places", { search: text, limit: "8" });
      } catch (_) {
        return close();
      }
      if (mine !== seq || document.activeElement !== input) return;
      items = places;
      list.replaceChildren(
        ...places.map((p, i) => {
          const other = p.aliases.slice(0, 3).join(" · ");
          return el(
            "li",
            {
              id: `${input.id}-opt-${i}`,
              role: "option",
              "aria-selected": "false",
              onmousedown: (e) => {
                e.preventDefault();
                choose(i);
              },
            },
            el("span", { class: "pname", text: p.name }),
            el("span", { class: "pmeta", text: `${p.country} · ${p.kind.replace(/_/g, " ")}${other ? " · " + other : ""}` })
          );
        })
      );
      if (!places.length) return close();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.addEventListener("keydown", (e) => {
      if (list.hidden) {
        if (e.key === "ArrowDown" && input.value.trim()) search();
        return;
      }
      if (e.key === "ArrowDown") {
        e.preventDefault();
        highlight(Math.min(items.length - 1, active + 1));
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        highlight(Math.max(0, active - 1));
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }

  // ---------- planning ----------
  function itineraryKey(it) {
    return it.legs.map((l) => l.link_id).join(">") + "|" + it.transfers.map((t) => t.place.id + t.kind).join(">");
  }
  // One request without `optimize`: the answer's alternatives (the short list of the Pareto
  // front, or all of it with all_alternatives), each with its labels, corridor and flags.
  // "Show first" moves the best for that objective to the top; the rest keep the answer's order.
  async function plan(q, sel) {
    const mine = ++state.planSeq;
    lastQuery = q;
    showError(null);
    $("status").textContent = "Planning " + q.from + " → " + q.to + " …";
    $("go").disabled = true;
    const params = apiParams(q, null);
    let answer = null;
    let error = null;
    try {
      answer = await api("v1/route", params);
    } catch (e) {
      error = e;
    }
    if (mine !== state.planSeq) return;
    $("go").disabled = false;
    const alts = ((answer && answer.itineraries) || []).map((it) => ({
      key: itineraryKey(it),
      labels: (it.labels || []).map(labelText),
      itin: it,
      answer,
    }));
    const first = OBJECTIVES.find((o) => o.optimize === q.optimize);
    const top = first ? alts.findIndex((a) => a.labels.includes(first.label)) : -1;
    if (top > 0) alts.unshift(...alts.splice(top, 1));
    state.alts = alts;
    state.answer = answer;
    if (!alts.length) {
      $("status").textContent = "";
      showError(error || { code: "NoRoute", message: "no itinerary" });
      $("alt-help").textContent = "No alternatives: see the message next to the form.";
      state.notes = [];
      render();
      return;
    }
    state.selected = Number.isInteger(sel) && sel >= 0 && sel < alts.length ? sel : 0;
    const whole = params.get("all_alternatives") === "true";
    $("status").textContent =
      `${alts.length} alternative${alts.length > 1 ? "s" : ""} for ${answer.query.from.label} → ${answer.query.to.label}` +
      ` · ${answer.query.cargo.label} ${answer.query.commodity}` +
      (whole ? " · the whole Pareto front" : " · the short list");
    $("alt-help").textContent =
      (whole
        ? "The whole Pareto front over time, cost, CO2e and delay risk, fastest first."
        : "A short list of the Pareto front: plausible itineraries, one per corridor family, fastest first (docs/alternatives.md).") +
      " Click one, or a point of the chart, to see it.";
    state.notes = answer.warnings || [];
    state.view = null;
    updateUrl();
    render();
    runHooks("planned", q);
  }

  function showError(err, all) {
    const box = $("error");
    document.querySelectorAll("#plan [aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
    // the control the API names in `field` is marked (and its folded section opened)
    const bad = err && err.field && document.querySelector(`#plan [id="${CSS.escape(err.field)}"]`);
    if (bad) {
      bad.setAttribute("aria-invalid", "true");
      const fold = bad.closest("details");
      if (fold) fold.open = true;
    }
    if (!err) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const msgs = [...new Map((all || [err]).map((e) => [e.message, e])).values()];
    box.replaceChildren(
      el("strong", { text: humanCode(err.code) }),
      ...msgs.map((e) => el("p", { text: e.message }))
    );
    const sugg = err.suggestions || [];
    if (sugg.length && (err.field === "from" || err.field === "to")) {
      const field = err.field;
      box.append(
        el(
          "div",
          { class: "sugg" },
          el("span", { text: "Did you mean: " }),
          ...sugg.map((s) =>
            el("button", {
              type: "button",
              class: "ghost",
              text: s,
              onclick: () => {
                $(field).value = s.replace(/\s*\(.*\)\s*$/, "");
                $("plan").requestSubmit();
              },
            })
          )
        )
      );
    }
    box.hidden = false;
  }
  function humanCode(code) {
    return (
      {
        UnknownPlace: "Unknown place",
        NoRoute: "No route",
        InvalidQuery: "Invalid request",
        InvalidValue: "Invalid value",
        TooBig: "Request too big",
        Overloaded: "Server busy",
        Timeout: "Timed out",
        Network: "Network error",
      }[code] || code || "Error"
    );
  }

  // ---------- rendering ----------
  function render() {
    renderAlts();
    renderPareto();
    renderMap();
    renderItinerary();
    runHooks("render");
  }
  function select(i, focusCard) {
    if (i === state.selected || i < 0 || i >= state.alts.length) return;
    state.selected = i;
    updateUrl();
    render();
    if (focusCard) {
      const b = document.querySelector(`.alt[data-i="${i}"]`);
      if (b) b.focus();
    }
  }

  // One card per alternative: a button that selects it (labels, corridor, figures, what it wins
  // and loses) and, under it, a slot for its flags (flags.js fills `.altflags`).
  function renderAlts() {
    const box = $("alts");
    box.replaceChildren(
      ...state.alts.map((a, i) => {
        const t = a.itin.totals;
        const expl = explanationTail(a.itin.explanation);
        return el(
          "div",
          { role: "listitem", class: "altitem", "data-i": String(i) },
          el(
            "button",
            {
              type: "button",
              class: "alt" + (i === state.selected ? " selected" : ""),
              "data-i": String(i),
              "aria-pressed": i === state.selected ? "true" : "false",
              onclick: () => select(i),
            },
            el("span", { class: "badge", text: String(i + 1) }),
            el("span", { class: "altlabel", text: a.labels.join(" · ") }),
            a.itin.corridor ? el("span", { class: "altcorridor", text: a.itin.corridor }) : null,
            el(
              "span",
              { class: "altnums" },
              el("b", { text: days(t.transit_h) }),
              ` (${nf1.format(t.transit_h_low / 24)}–${nf1.format(t.transit_h_high / 24)}) · USD ${num(t.cost_usd)} · ${num(t.co2e_kg)} kg CO2e`
            ),
            el(
              "span",
              { class: "altmeta" },
              modeSwatches(t.modes),
              ` ${t.countries.join(" → ")} · ${t.borders_crossed} border${t.borders_crossed === 1 ? "" : "s"} · ${t.transshipments} transshipment${t.transshipments === 1 ? "" : "s"} · ${num(t.distance_km)} km`
            ),
            expl ? el("span", { class: "altexpl", text: expl }) : null
          ),
          el("div", { class: "altflags", "data-i": String(i) })
        );
      })
    );
    renderTerms();
  }
  // The explanation without its first part (the card shows those figures already):
  // "fastest: 15.7 days, …; against the cheapest: 24.3 days faster, …" → "against the cheapest: …".
  function explanationTail(text) {
    if (!text) return "";
    const k = text.indexOf("; ");
    return k >= 0 ? text.slice(k + 2) : text;
  }
  // The words of the labels and explanations shown, in a sentence each.
  function renderTerms() {
    const box = $("alt-terms");
    const used = TERMS.filter(([key]) =>
      state.alts.some((a) => (a.itin.labels || []).includes(key) || (a.itin.explanation || "").includes(key))
    );
    box.replaceChildren(...used.map(([, word, meaning]) => el("li", null, el("b", { text: word }), ": " + meaning)));
    box.hidden = !used.length;
  }
  function modeSwatches(modes) {
    const s = el("span", { class: "modes" });
    for (const m of modes) {
      const sw = el("span", { class: "sw", title: m, text: m });
      sw.style.setProperty("--c", MODE_COLOURS[m] || "#555");
      s.append(sw);
    }
    return s;
  }

  // Pareto chart: x = transit days (with best–worst whiskers), y = cost, colour = CO2e.
  function co2Colour(v, lo, hi) {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    // green (low) -> amber -> red (high)
    const h = 130 - 125 * t;
    return `hsl(${h.toFixed(0)}, 70%, 42%)`;
  }
  function renderPareto() {
    const s = $("pareto");
    s.replaceChildren();
    const W = 320;
    const H = 210;
    s.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const m = { l: 58, r: 14, t: 12, b: 40 };
    const alts = state.alts;
    if (!alts.length) {
      const t = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, s);
      t.textContent = "no alternatives yet";
      return;
    }
    const xs = alts.flatMap((a) => [a.itin.totals.transit_h_low / 24, a.itin.totals.transit_h_high / 24]);
    const ys = alts.map((a) => a.itin.totals.cost_usd);
    const cs = alts.map((a) => a.itin.totals.co2e_kg || 0);
    // domains around the data (not from 0), so that close alternatives stay apart
    const pad = (lo, hi, f) => {
      const d = hi - lo || Math.abs(hi) * 0.2 || 1;
      return [Math.max(0, lo - d * f), hi + d * f];
    };
    const [x0, x1] = pad(Math.min(...xs), Math.max(...xs), 0.06);
    const [y0, y1] = pad(Math.min(...ys), Math.max(...ys), 0.18);
    const X = (v) => m.l + ((v - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
    const Y = (v) => H - m.b - ((v - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
    const axes = svg("g", { class: "axes" }, s);
    svg("line", { x1: m.l, y1: H - m.b, x2: W - m.r, y2: H - m.b }, axes);
    svg("line", { x1: m.l, y1: m.t, x2: m.l, y2: H - m.b }, axes);
    for (const v of ticks(x0, x1, 5)) {
      svg("line", { x1: X(v), x2: X(v), y1: H - m.b, y2: H - m.b + 4 }, axes);
      svg("text", { x: X(v), y: H - m.b + 15, "text-anchor": "middle" }, axes).textContent = String(v);
    }
    for (const v of ticks(y0, y1, 4)) {
      svg("line", { x1: m.l - 4, x2: m.l, y1: Y(v), y2: Y(v) }, axes);
      svg("text", { x: m.l - 6, y: Y(v) + 4, "text-anchor": "end" }, axes).textContent = shortUsd(v);
    }
    svg("text", { x: (m.l + W - m.r) / 2, y: H - 6, "text-anchor": "middle", class: "axlabel" }, axes).textContent =
      "transit days (bar: best–worst case)";
    svg("text", { x: 12, y: (m.t + H - m.b) / 2, "text-anchor": "middle", class: "axlabel", transform: `rotate(-90 12 ${(m.t + H - m.b) / 2})` }, axes).textContent =
      "cost USD";
    const lo = Math.min(...cs);
    const hi = Math.max(...cs);
    // the front: alternatives no other beats on time, cost and CO2e together
    const front = alts
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => !alts.some((b) => b !== a && dominates(b.itin.totals, a.itin.totals)))
      .sort((p, q) => p.a.itin.totals.transit_h - q.a.itin.totals.transit_h);
    if (front.length > 1) {
      svg("polyline", {
        class: "front",
        points: front.map(({ a }) => `${X(a.itin.totals.transit_h / 24)},${Y(a.itin.totals.cost_usd)}`).join(" "),
      }, s);
    }
    alts.forEach((a, i) => {
      const t = a.itin.totals;
      const other = (a.itin.labels || []).includes("other_corridor");
      const g = svg("g", {
        class: "pt" + (i === state.selected ? " selected" : "") + (other ? " other" : ""),
        tabindex: "0",
        role: "button",
        "data-i": String(i),
        "aria-pressed": i === state.selected ? "true" : "false",
        "aria-label": `Alternative ${i + 1}, ${a.labels.join(", ")}${a.itin.corridor ? ", " + a.itin.corridor : ""}: ${days(t.transit_h)}, USD ${num(t.cost_usd)}, ${num(t.co2e_kg)} kg CO2e`,
      }, s);
      const cy = Y(t.cost_usd);
      svg("line", { class: "whisker", x1: X(t.transit_h_low / 24), x2: X(t.transit_h_high / 24), y1: cy, y2: cy }, g);
      svg("circle", { class: "hit", cx: X(t.transit_h / 24), cy, r: 11 }, g);
      if (other) svg("circle", { class: "ring", cx: X(t.transit_h / 24), cy, r: 11.5 }, g);
      svg("circle", { class: "dot", cx: X(t.transit_h / 24), cy, r: i === state.selected ? 9 : 7, fill: co2Colour(t.co2e_kg || 0, lo, hi) }, g);
      svg("text", { class: "ptlabel", x: X(t.transit_h / 24), y: cy + 4, "text-anchor": "middle" }, g).textContent = String(i + 1);
      tip(g, `${i + 1}. ${a.labels.join(" · ")}${a.itin.corridor ? "\n" + a.itin.corridor : ""}\n${days(t.transit_h)} · USD ${num(t.cost_usd)} · ${num(t.co2e_kg)} kg CO2e`);
      g.addEventListener("click", () => select(i));
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          select(i);
          const n = document.querySelector(`#pareto .pt[data-i="${i}"]`);
          if (n) n.focus();
        }
      });
    });
    // CO2e colour key
    const key = svg("g", { class: "co2key" }, s);
    const kx = W - m.r - 92;
    for (let k = 0; k < 10; k++) svg("rect", { x: kx + k * 9, y: m.t, width: 9, height: 6, fill: co2Colour(k / 9, 0, 1) }, key);
    svg("text", { x: kx, y: m.t + 16 }, key).textContent = `${shortKg(lo)}`;
    svg("text", { x: kx + 90, y: m.t + 16, "text-anchor": "end" }, key).textContent = `${shortKg(hi)} CO2e`;
  }
  function dominates(a, b) {
    const le = a.transit_h <= b.transit_h && a.cost_usd <= b.cost_usd && (a.co2e_kg || 0) <= (b.co2e_kg || 0);
    const lt = a.transit_h < b.transit_h || a.cost_usd < b.cost_usd || (a.co2e_kg || 0) < (b.co2e_kg || 0);
    return le && lt;
  }
  function ticks(a, b, n) {
    const step0 = (b - a) / n;
    const mag = Math.pow(10, Math.floor(Math.log10(step0 || 1)));
    const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) || step0;
    const out = [];
    for (let v = Math.ceil(a / step) * step; v <= b + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
    return out;
  }
  const nfk = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  const shortUsd = (v) => (v >= 1000 ? nfk.format(v / 1000) + "k" : nf0.format(v));
  const shortKg = (v) => (v >= 1000 ? nf1.format(v / 1000) + " t" : nf0.format(v) + " kg");

  // ---------- map ----------
  function mapSize() {
    const s = $("mapsvg");
    const r = s.getBoundingClientRect();
    return [Math.max(200, r.width), Math.max(160, r.height)];
  }
  function routeGeo() {
    const pts = [];
    for (const a of state.alts) for (const l of a.itin.legs) for (const c of l.geometry || []) pts.push(c);
    return pts.length ? { type: "MultiPoint", coordinates: pts } : HOME;
  }
  function projection() {
    const [w, h] = mapSize();
    const pad = Math.min(w, h) * 0.08;
    const p = d3.geoMercator().fitExtent([[pad, pad], [w - pad, h - pad]], state.view || routeGeo());
    // a very short route is not fitted closer than a region
    if (p.scale() > 2500) {
      const c = p.invert([w / 2, h / 2]);
      p.scale(2500);
      const xy = p(c);
      const t0 = p.translate();
      p.translate([t0[0] + w / 2 - xy[0], t0[1] + h / 2 - xy[1]]);
    }
    const [tx, ty] = p.translate();
    const k = p.scale();
    const z = state.zoom;
    // zoom about the centre of the view, then pan
    p.scale(k * z).translate([w / 2 + (tx - w / 2) * z + state.pan[0], h / 2 + (ty - h / 2) * z + state.pan[1]]);
    return p;
  }
  function renderMap() {
    const s = $("mapsvg");
    const title = s.querySelector("title");
    s.replaceChildren(title);
    const [w, h] = mapSize();
    s.setAttribute("viewBox", `0 0 ${w} ${h}`);
    if (!window.d3 || !window.topojson) return;
    const proj = projection();
    const path = d3.geoPath(proj);
    svg("path", { class: "ocean", d: path({ type: "Sphere" }) }, s);
    svg("path", { class: "graticule", d: path(graticule()) }, s);
    if (state.world) {
      svg("path", { class: "land", d: path(state.world.land) }, s);
      svg("path", { class: "borders", d: path(state.world.borders) }, s);
    }
    const routes = svg("g", { class: "routes" }, s);
    const order = state.alts.map((_, i) => i).filter((i) => i !== state.selected);
    if (state.alts.length) order.push(state.selected);
    for (const i of order) {
      const a = state.alts[i];
      const sel = i === state.selected;
      const g = svg("g", { class: "route" + (sel ? " selected" : ""), "data-i": String(i) }, routes);
      tip(g, `${i + 1}. ${a.labels.join(" · ")}`);
      for (const l of a.itin.legs) {
        const d = path({ type: "LineString", coordinates: l.geometry || [[l.from.lon, l.from.lat], [l.to.lon, l.to.lat]] });
        if (!d) continue;
        if (sel) svg("path", { class: "casing", d }, g);
        const p = svg("path", { class: "leg mode-" + l.mode, d, stroke: MODE_COLOURS[l.mode] || "#555" }, g);
        tip(p, `${l.mode}: ${l.from.name} → ${l.to.name} · ${num(l.distance_km)} km · ${hours(l.moving_h)} · USD ${num(l.cost_usd)}`);
        p.addEventListener("click", () => select(i));
      }
    }
    runHooks("map", s, proj, path);
    if (!state.alts.length) return;
    const a = state.alts[state.selected];
    const marks = svg("g", { class: "marks" }, s);
    for (const b of a.itin.borders) {
      const xy = proj([(b.from.lon + b.to.lon) / 2, (b.from.lat + b.to.lat) / 2]);
      if (!xy) continue;
      const r = svg("rect", { class: "border-mark", x: xy[0] - 5, y: xy[1] - 5, width: 10, height: 10, transform: `rotate(45 ${xy[0]} ${xy[1]})` }, marks);
      tip(r, `border ${b.from_country} → ${b.to_country}: ${b.from.name} → ${b.to.name} · dwell ${hours(b.dwell_h)} · USD ${num(b.cost_usd)}`);
    }
    for (const t of a.itin.transfers) {
      const xy = proj([t.place.lon, t.place.lat]);
      if (!xy) continue;
      const c = svg("circle", { class: "transfer-mark" + (/transship/.test(t.kind) ? " transship" : ""), cx: xy[0], cy: xy[1], r: 5 }, marks);
      tip(c, `${t.kind.replace(/_/g, " ")} at ${t.place.name}: ${t.from_carrier} → ${t.to_carrier} · dwell ${hours(t.dwell_h)} · USD ${num(t.cost_usd)}`);
    }
    const legs = a.itin.legs;
    if (legs.length) {
      const q = a.answer.query;
      const ends = [
        [legs[0].from, "A", (q.from && q.from.label) || legs[0].from.name],
        [legs[legs.length - 1].to, "B", (q.to && q.to.label) || legs[legs.length - 1].to.name],
      ];
      const [w] = mapSize();
      for (const [p, k, name] of ends) {
        const xy = proj([p.lon, p.lat]);
        if (!xy) continue;
        const g = svg("g", { class: "endpoint" }, marks);
        tip(g, `${k}: ${p.name} (${p.country})`);
        svg("circle", { cx: xy[0], cy: xy[1], r: 9 }, g);
        svg("text", { x: xy[0], y: xy[1] + 4, "text-anchor": "middle" }, g).textContent = k;
        const right = xy[0] > w * 0.6;
        const lab = svg("text", { class: "endlabel", x: xy[0] + (right ? -13 : 13), y: xy[1] + 18, "text-anchor": right ? "end" : "start" }, g);
        lab.textContent = name;
      }
    }
  }
  let grat = null;
  function graticule() {
    if (grat) return grat;
    const lines = [];
    for (let x = -180; x <= 180; x += 20) lines.push(Array.from({ length: 17 }, (_, k) => [x, -80 + k * 10]));
    for (let y = -80; y <= 80; y += 20) lines.push(Array.from({ length: 37 }, (_, k) => [-180 + k * 10, y]));
    grat = { type: "MultiLineString", coordinates: lines };
    return grat;
  }
  function renderLegend() {
    const box = $("legend");
    box.replaceChildren(
      ...Object.entries(MODE_COLOURS).map(([m, c]) => {
        const s = el("span", { class: "lg" }, el("i", { class: "line" }), m);
        s.style.setProperty("--c", c);
        return s;
      }),
      el("span", { class: "lg" }, el("i", { class: "diamond" }), "border crossing"),
      el("span", { class: "lg" }, el("i", { class: "dot transship" }), "gauge change / transshipment"),
      el("span", { class: "lg" }, el("i", { class: "dot" }), "other transfer"),
      el("span", { class: "lg" }, el("i", { class: "line faded" }), "other alternatives")
    );
  }
  async function loadWorld() {
    try {
      const topo = await (await fetch("vendor/countries-50m.json")).json();
      const countries = topo.objects.countries;
      state.world = {
        land: topojson.merge(topo, countries.geometries),
        borders: topojson.mesh(topo, countries, (a, b) => a !== b),
      };
    } catch (e) {
      showError({ code: "Map", message: "cannot load the base map: " + e.message });
    }
    renderMap();
  }
  function setupZoom() {
    const s = $("mapsvg");
    const zoomBy = (f) => {
      state.zoom = Math.min(40, Math.max(0.3, state.zoom * f));
      state.pan = [state.pan[0] * f, state.pan[1] * f];
      scheduleMap();
    };
    $("zoom-in").addEventListener("click", () => zoomBy(1.6));
    $("zoom-out").addEventListener("click", () => zoomBy(1 / 1.6));
    $("zoom-fit").addEventListener("click", () => {
      state.zoom = 1;
      state.pan = [0, 0];
      state.view = null;
      scheduleMap();
    });
    s.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const f = e.deltaY < 0 ? 1.25 : 0.8;
        const r = s.getBoundingClientRect();
        const cx = e.clientX - r.left - r.width / 2;
        const cy = e.clientY - r.top - r.height / 2;
        const nz = Math.min(40, Math.max(0.3, state.zoom * f));
        const k = nz / state.zoom;
        state.pan = [cx - (cx - state.pan[0]) * k, cy - (cy - state.pan[1]) * k];
        state.zoom = nz;
        scheduleMap();
      },
      { passive: false }
    );
    let drag = null;
    s.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, pan: state.pan.slice(), moved: false };
    });
    window.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        state.pan = [drag.pan[0] + dx, drag.pan[1] + dy];
        scheduleMap();
      }
    });
    window.addEventListener("pointerup", () => (drag = null));
    let resizeTimer = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(renderMap, 100);
    });
  }
  let mapFrame = 0;
  function scheduleMap() {
    if (mapFrame) return;
    mapFrame = requestAnimationFrame(() => {
      mapFrame = 0;
      renderMap();
    });
  }

  // ---------- itinerary table ----------
  function renderItinerary() {
    const box = $("itinerary");
    if (!state.alts.length) {
      box.replaceChildren();
      return;
    }
    const a = state.alts[state.selected];
    const it = a.itin;
    const t = it.totals;
    const steps = [
      ...it.legs.map((l) => ({ seq: l.seq, kind: l.mode, l })),
      ...it.transfers.map((x) => ({ seq: x.seq, kind: "transfer", x })),
      ...it.borders.map((b) => ({ seq: b.seq, kind: "border", b })),
    ].sort((p, q) => p.seq - q.seq);
    const head = el(
      "tr",
      null,
      ...["#", "step", "from → to", "km", "moving", "wait", "dwell", "cost USD", "CO2e kg"].map((h, i) =>
        el("th", { scope: "col", class: i >= 3 ? "n" : null, text: h })
      )
    );
    const rows = steps.map((s, k) => {
      let cells;
      if (s.l) {
        const l = s.l;
        const sw = el("span", { class: "sw", text: l.mode });
        sw.style.setProperty("--c", MODE_COLOURS[l.mode] || "#555");
        cells = [sw, `${l.from.name} → ${l.to.name}` + (l.status !== "operating" ? ` (${l.status.replace(/_/g, " ")})` : ""), num(l.distance_km), hours(l.moving_h), hours(l.wait_h), hours(l.dwell_h), num(l.cost_usd), num(l.co2e_kg)];
      } else if (s.x) {
        const x = s.x;
        cells = ["transfer", `${x.place.name}: ${x.kind.replace(/_/g, " ")} ${x.from_carrier} → ${x.to_carrier}`, "", "", "", hours(x.dwell_h), num(x.cost_usd), num(x.co2e_kg)];
      } else {
        const b = s.b;
        cells = ["border", `${b.from.name} (${b.from_country}) → ${b.to.name} (${b.to_country})`, "", "", "", hours(b.dwell_h), num(b.cost_usd), ""];
      }
      return el("tr", { class: "k-" + (s.l ? "leg" : s.kind) }, el("td", { class: "n", text: String(k + 1) }), ...cells.map((c, j) => el("td", { class: j >= 2 ? "n" : null }, c)));
    });
    const foot = el(
      "tr",
      null,
      el("th", { scope: "row", colspan: "3", text: "Total" }),
      el("td", { class: "n", text: num(t.distance_km) }),
      el("td", { class: "n", text: hours(t.moving_h) }),
      el("td", { class: "n", text: hours(t.wait_h) }),
      el("td", { class: "n", text: hours(t.dwell_h) }),
      el("td", { class: "n", text: num(t.cost_usd) }),
      el("td", { class: "n", text: num(t.co2e_kg) })
    );
    const cb = t.cost_breakdown;
    const warnings = it.warnings || [];
    const notes = (state.notes || []).filter((w) => !isQuestionNote(w));
    box.replaceChildren(
      el("h3", { text: `Itinerary ${state.selected + 1} · ${a.labels.join(" · ")}` }),
      it.corridor ? el("p", { class: "itcorridor", text: "Corridor: " + it.corridor }) : null,
      el(
        "p",
        { class: "summary" },
        `${num(t.distance_km)} km · ${days(t.transit_h)} typical (${nf1.format(t.transit_h_low / 24)}–${nf1.format(t.transit_h_high / 24)} d best/worst case) · ` +
          `moving ${days(t.moving_h)} · waiting ${hours(t.wait_h)} · dwell ${days(t.dwell_h)}` +
          (t.depart_local && t.arrive_local ? ` · departs ${t.depart_local} · arrives ${t.arrive_local}` : ""),
        el("br"),
        `Cost USD ${num(t.cost_usd)} (line haul ${num(cb.line_haul_usd)}, handling ${num(cb.handling_usd)}, border fees ${num(cb.border_fees_usd)}, gauge change ${num(cb.gauge_change_usd)}) · ` +
          `CO2e ${num(t.co2e_kg)} kg WTW${t.co2e_complete ? "" : " (incomplete)"} · ${num(t.tkm)} tkm`
      ),
      el(
        "div",
        { class: "tablewrap", tabindex: "0", role: "region", "aria-label": "Itinerary steps" },
        el("table", null, el("caption", { class: "sr", text: `Steps of itinerary ${state.selected + 1}` }), el("thead", null, head), el("tbody", null, ...rows), el("tfoot", null, foot))
      ),
      warnings.length || notes.length
        ? el("ul", { class: "warnings" }, ...[...warnings, ...notes].map((w) => el("li", { text: w })))
        : null
    );
  }

  // ---------- start ----------
  function chips(id, values, prefix, labels) {
    const fs = $(id);
    for (const v of values) {
      fs.append(el("label", { class: "chip" }, el("input", { type: "checkbox", value: `${prefix}:${v}` }), (labels && labels[v]) || v.replace(/_/g, " ")));
    }
  }
  async function start() {
    runHooks("init", {
      api, apiParams, state, el, svg, tip, num, nf1, days, hours, itineraryKey, OBJECTIVES, labelText, isQuestionNote,
      replan: () => lastQuery && $("plan").requestSubmit(),
      redrawMap: () => renderMap(),
      lastQuery: () => lastQuery,
    });
    chips("avoid-countries", COUNTRIES, "country");
    chips("avoid-passages", PASSAGES, "passage", { cape_of_good_hope: "Cape of Good Hope", bab_el_mandeb: "Bab-el-Mandeb" });
    chips("avoid-modes", MODES, "mode");
    combobox($("from"));
    combobox($("to"));
    renderLegend();
    setupZoom();
    $("swap").addEventListener("click", () => {
      const f = $("from").value;
      $("from").value = $("to").value;
      $("to").value = f;
    });
    $("plan").addEventListener("submit", (e) => {
      e.preventDefault();
      const q = readForm();
      if (!q.from || !q.to) {
        showError({ code: "InvalidQuery", message: `give the ${!q.from ? "origin (From)" : "destination (To)"}: a place id, name or city` });
        $(!q.from ? "from" : "to").focus();
        return;
      }
      state.zoom = 1;
      state.pan = [0, 0];
      plan(q, 0);
    });
    $("share").addEventListener("click", async () => {
      const q = lastQuery || readForm();
      const url = location.origin + location.pathname + "?" + urlParams(q, state.selected);
      try {
        await navigator.clipboard.writeText(url);
        $("status").textContent = "Link copied.";
      } catch (_) {
        $("status").textContent = url;
      }
    });
    api("healthz")
      .then((h) => ($("dataset").textContent = `corridor ${h.version} · data ${h.data.version} (${h.data.as_of})`))
      .catch(() => {});
    renderPareto();
    const q = queryFromUrl();
    const world = loadWorld();
    if (q) {
      writeForm(q);
      await plan(q, q.sel);
    }
    await world;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
