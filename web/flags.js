// corridor web map: the compliance and security flags of each alternative, and the notes of the
// answer that change the question. Each flag (itineraries[].compliance, a row of the data's
// compliance.csv) is shown under its card in a short chip (kind · where · authority; one chip for
// the flags of one kind at one place) that opens to each measure, what it requires, the dates,
// the source id and the steps it applies to. Above the
// cards: what the short list left out and why (with a button for the whole front), and the notes
// on how the cargo was read (tonnage in boxes, bulk, air left out, reefer, dangerous goods).
// Beside the flags: the closure calendar's holds on the clock and, with reefer, each leg's
// reefer power and surcharge.
// Registers in window.corridorPlugins (app.js calls the hooks); no build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const LEFT_OUT = "left out of the alternatives:";
  const KIND_ORDER = ["sanction", "security", "restriction", "permit", "document"];
  const SHOWN_LEFT_OUT = 5; // the rest of a long list opens on demand
  let page = null;

  // "security" for a restriction whose requirement says it is one (Red Sea attacks …).
  const kindOf = (f) => (/^security\b/i.test(f.requirement || "") ? "security" : f.kind);
  const rank = (f) => {
    const k = KIND_ORDER.indexOf(kindOf(f));
    return k < 0 ? KIND_ORDER.length : k;
  };

  // a link id without the reverse-direction suffix (`~r`): flags name the link, legs its direction
  const base = (id) => String(id || "").replace(/~r$/, "");
  const sameLink = (a, b) => base(a) === base(b);

  // Where a flag applies, in a few words: the country code, the place's name, the leg's mode.
  function where(f, it) {
    const [scope, id] = (f.applies_to || "").split(/:(.*)/s);
    if (scope === "country") return id;
    if (scope === "all") return "whole route";
    if (scope === "place") {
      const places = [...it.legs.flatMap((l) => [l.from, l.to]), ...it.transfers.map((t) => t.place)];
      const p = places.find((x) => x && x.id === id);
      return p ? p.name : id;
    }
    if (scope === "link") {
      const l = it.legs.find((x) => sameLink(x.link_id, id));
      if (l) return `${l.mode} leg`;
      return it.borders.some((b) => sameLink(b.link_id, id)) ? "border" : "one step";
    }
    return f.applies_to;
  }

  // The legs and borders of this itinerary the flag applies to, by name.
  function steps(f, it) {
    return (f.links || []).map((id) => {
      const l = it.legs.find((x) => sameLink(x.link_id, id));
      if (l) return `${l.mode} ${l.from.name} → ${l.to.name}`;
      const b = it.borders.find((x) => sameLink(x.link_id, id));
      if (b) return `border ${b.from.name} (${b.from_country}) → ${b.to.name} (${b.to_country})`;
      return id;
    });
  }

  // One flag in full: the measure and who imposes it, what it requires, its dates and source.
  function detail(f, it) {
    const { el } = page;
    const on = steps(f, it);
    const dates = [f.in_force_from ? `in force from ${f.in_force_from}` : null, `as stated on ${f.as_of}`].filter(Boolean).join(" · ");
    return el(
      "div",
      { class: "flagitem", "data-flag": f.id },
      el("p", null, el("strong", { text: f.measure }), ` (${f.authority})`),
      el("p", { class: "flagtext", text: f.requirement }),
      el("p", { class: "flagmeta" }, `${dates} · source `, el("code", { class: "flagsource", text: f.source }), ` · data row ${f.id}`),
      on.length ? el("p", { class: "flagmeta", text: `Applies to ${on.length} step${on.length === 1 ? "" : "s"} of this itinerary: ${on.join("; ")}` }) : null
    );
  }

  // A chip for the flags of one kind at one place (the three sanctions regimes on Russia are
  // one chip): short when closed, every flag in full when open.
  function chip(group, it, i) {
    const { el } = page;
    const { kind, at, flags } = group;
    const who = flags.length === 1 ? flags[0].authority : `${flags.length} measures`;
    return el(
      "details",
      { class: "flag k-" + kind, "data-kind": kind, "data-flags": flags.map((f) => f.id).join(" "), "data-i": String(i) },
      el(
        "summary",
        { title: flags.map((f) => f.authority).join("; ") + ": show the full text and source" },
        el("span", { class: "sr", text: "Flag: " }),
        `${kind} · ${at} · ${who}`
      ),
      el("div", { class: "flagbody" }, ...flags.map((f) => detail(f, it)))
    );
  }

  function groups(it) {
    const out = [];
    for (const f of [...(it.compliance || [])].sort((x, y) => rank(x) - rank(y))) {
      const kind = kindOf(f);
      const at = where(f, it);
      const g = out.find((x) => x.kind === kind && x.at === at);
      if (g) g.flags.push(f);
      else out.push({ kind, at, flags: [f] });
    }
    return out;
  }

  // On the clock: the legs and borders the closure calendar held (a post shut at weekends, a
  // storm season), one chip with each hold, its hours and the closures.csv rows.
  function holdsChip(it, i) {
    const { el } = page;
    const held = [...(it.borders || []), ...(it.legs || [])].filter((x) => x.calendar_hold);
    if (!held.length) return null;
    const total = held.reduce((s, x) => s + x.calendar_hold.hours, 0);
    return el(
      "details",
      { class: "flag k-calendar", "data-kind": "calendar", "data-flags": held.flatMap((x) => x.calendar_hold.closures.map((c) => c.source)).join(" "), "data-i": String(i) },
      el("summary", { title: "closures.csv: show what held the cargo" }, el("span", { class: "sr", text: "Calendar: " }), `calendar · held ${total.toFixed(1)} h`),
      el(
        "div",
        { class: "flagbody" },
        ...held.map((x) =>
          el(
            "div",
            { class: "flagitem" },
            el("p", null, el("strong", { text: `${x.calendar_hold.hours.toFixed(1)} h` }), ` before ${x.from.name} → ${x.to.name}`),
            ...x.calendar_hold.closures.map((c) =>
              el("p", { class: "flagmeta" }, `${c.effect} ${c.from_date} … ${c.to_date}${c.weekdays.length ? " on " + c.weekdays.join(", ") : ""}: ${c.reason} · source `, el("code", { class: "flagsource", text: c.source }))
            )
          )
        )
      )
    );
  }

  // Block trains the cargo boards where they start (services.csv waits=boarding): the wait for
  // each, its departures a week and source.
  function trainsChip(it, i) {
    const { el } = page;
    const legs = (it.legs || []).filter((l) => l.train);
    if (!legs.length) return null;
    const total = legs.reduce((s, l) => s + l.train.wait_h, 0);
    return el(
      "details",
      { class: "flag k-train", "data-kind": "train", "data-flags": [...new Set(legs.flatMap((l) => l.train.sources))].join(" "), "data-i": String(i) },
      el("summary", { title: "services.csv: the block trains this route boards" }, el("span", { class: "sr", text: "Trains: " }), `trains · ${legs.length} boarded · waiting ${total.toFixed(1)} h`),
      el(
        "div",
        { class: "flagbody" },
        ...legs.map((l) =>
          el(
            "p",
            { class: "flagmeta" },
            `${l.from.name} → ${l.to.name}: ${l.train.wait_h.toFixed(1)} h for a train (${l.train.departures_per_week} a week${l.train.weekdays.length ? ", " + l.train.weekdays.join(", ") : ""}) · source `,
            el("code", { class: "flagsource", text: l.train.sources.join(", ") })
          )
        )
      )
    );
  }

  // With reefer: how many legs have confirmed power and what the reefer surcharges add.
  function reeferChip(it, i) {
    const { el } = page;
    const legs = (it.legs || []).filter((l) => l.reefer);
    if (!legs.length) return null;
    const confirmed = legs.filter((l) => l.reefer.power === "confirmed").length;
    const usd = legs.reduce((s, l) => s + l.reefer.surcharge_usd, 0);
    return el(
      "details",
      { class: "flag k-reefer", "data-kind": "reefer", "data-flags": [...new Set(legs.map((l) => l.reefer.surcharge_rule).filter(Boolean))].join(" "), "data-i": String(i) },
      el("summary", { title: "cargo_rules.csv: reefer power and surcharges per leg" }, el("span", { class: "sr", text: "Reefer: " }), `reefer · power confirmed on ${confirmed} of ${legs.length} legs · surcharges USD ${Math.round(usd).toLocaleString("en")}`),
      el(
        "div",
        { class: "flagbody" },
        ...legs.map((l) =>
          el(
            "p",
            { class: "flagmeta" },
            `${l.mode} ${l.from.name} → ${l.to.name}: power ${l.reefer.power}${l.reefer.power_rules.length ? " (" + l.reefer.power_rules.join("; ") + ")" : ""}; surcharge USD ${Math.round(l.reefer.surcharge_usd).toLocaleString("en")}${l.reefer.surcharge_source ? " (" + l.reefer.surcharge_source + ")" : ""}`
          )
        )
      )
    );
  }

  function renderFlags() {
    const { el } = page;
    document.querySelectorAll("#alts .altflags").forEach((box) => {
      const i = Number(box.getAttribute("data-i"));
      const a = page.state.alts[i];
      if (!a) return;
      const gs = groups(a.itin);
      const extra = [holdsChip(a.itin, i), trainsChip(a.itin, i), reeferChip(a.itin, i)].filter(Boolean);
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", `Compliance and security flags of alternative ${i + 1}`);
      if (!gs.length && !extra.length) {
        box.replaceChildren(el("span", { class: "noflags", text: "no compliance or security flags in the data" }));
        return;
      }
      box.replaceChildren(...gs.map((g) => chip(g, a.itin, i)), ...extra);
    });
  }

  // What the short list left out (one warning, its items separated by "; ") and the notes on
  // how the cargo was read, above the cards.
  function renderNotes() {
    const { el } = page;
    const box = $("answer-notes");
    const warnings = (page.state.notes || []).filter(page.isQuestionNote);
    if (!page.state.alts.length || !warnings.length) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const kids = [];
    for (const w of warnings) {
      if (!w.startsWith(LEFT_OUT)) continue;
      const items = w.slice(LEFT_OUT.length).split("; ").map((s) => s.trim()).filter(Boolean);
      const hint = (s) => /all_alternatives|^raise alternatives/.test(s);
      const whole = items.filter((s) => /all_alternatives/.test(s));
      const why = items.filter((s) => !hint(s));
      kids.push(el("p", { class: "leftout-head" }, el("strong", { text: "Left out of the alternatives" }), ` (${why.length}):`));
      const li = (s) => el("li", { text: s });
      const list = el("ul", { class: "leftout" }, ...why.slice(0, SHOWN_LEFT_OUT).map(li));
      kids.push(list);
      if (why.length > SHOWN_LEFT_OUT) {
        kids.push(el("details", { class: "leftout-more" }, el("summary", { text: `${why.length - SHOWN_LEFT_OUT} more` }), el("ul", { class: "leftout" }, ...why.slice(SHOWN_LEFT_OUT).map(li))));
      }
      if (whole.length && !$("all_alternatives").checked) {
        kids.push(
          el("button", {
            type: "button",
            class: "ghost",
            id: "show-whole-front",
            text: "Show the whole front",
            onclick: () => {
              $("all_alternatives").checked = true;
              page.replan();
            },
          })
        );
      }
    }
    const other = warnings.filter((w) => !w.startsWith(LEFT_OUT));
    if (other.length) {
      kids.push(el("p", { class: "leftout-head" }, el("strong", { text: "How the question was read" })));
      kids.push(el("ul", { class: "cargo-notes" }, ...other.map((w) => el("li", { text: w }))));
    }
    box.replaceChildren(...kids);
    box.hidden = false;
  }

  (window.corridorPlugins = window.corridorPlugins || []).push({
    init(p) {
      page = p;
    },
    render() {
      renderFlags();
      renderNotes();
    },
  });
})();
