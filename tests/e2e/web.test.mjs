// End-to-end test of the web map served by `corridor serve`, in headless Debian Chromium.
//
//   (cd tests/e2e && npm ci) && node tests/e2e/web.test.mjs
//
// Env: CORRIDOR_BIN (default target/debug/corridor), CHROMIUM (default /usr/bin/chromium),
// E2E_OUT (screenshots, default tests/e2e/out). Every request that does not go to the loopback
// server is blocked and counted: the page must make none (it is fully offline).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const BIN = process.env.CORRIDOR_BIN || path.join(root, "target/debug/corridor");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const OUT = process.env.E2E_OUT || path.join(here, "out");
mkdirSync(OUT, { recursive: true });

let server;
let base;
let browser;
let profile;
const external = []; // non-loopback requests attempted (all blocked)
const consoleErrors = [];
// while true, the browser's own "Failed to load resource: 4xx" lines for /v1/ calls are expected
// (the test asks for an unknown place on purpose); every other console error still counts
let expectApiErrors = false;

function startServer(extra = [], keep = (p) => (server = p)) {
  return new Promise((resolve, reject) => {
    const proc = keep(spawn(BIN, ["serve", "--listen", "127.0.0.1:0", ...extra], { stdio: ["ignore", "ignore", "pipe"] }));
    const server = proc;
    let err = "";
    const timer = setTimeout(() => reject(new Error("server did not start in 30 s:\n" + err)), 30_000);
    server.on("error", (e) => reject(e));
    server.on("exit", (code) => reject(new Error(`server exited (${code}):\n${err}`)));
    server.stderr.on("data", (d) => {
      err += d;
      const m = /serving (http:\/\/[^\s]+)\s/.exec(err); // the whole address (stderr comes in chunks)
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ""));
      }
    });
  });
}

async function newPage(viewport) {
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const where = m.location().url || "";
    if (expectApiErrors && /\/v1\//.test(where) && /status of 4\d\d/.test(m.text())) return;
    consoleErrors.push(`${viewport.width}px: ${m.text()} (${where})`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${viewport.width}px: ${e.message}`));
  return page;
}

// The query of every /v1/route request the page makes, in order (URLSearchParams).
function routeRequests(page) {
  const seen = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith("/v1/route")) seen.push(u.searchParams);
  });
  return seen;
}

// The API's own answer to the same question: the oracle the page's cards are checked against.
async function apiRoute(params) {
  const r = await fetch(base + "/v1/route?" + new URLSearchParams(params));
  assert.equal(r.status, 200, await r.clone().text());
  return r.json();
}

// The cards as the page shows them: labels, corridor, flags (kind, id, summary).
async function cards(page) {
  return page.$$eval("#alts .altitem", (items) =>
    items.map((it) => ({
      i: it.getAttribute("data-i"),
      label: it.querySelector(".altlabel").textContent,
      corridor: (it.querySelector(".altcorridor") || {}).textContent || "",
      days: parseFloat(it.querySelector(".altnums b").textContent),
      flags: [...it.querySelectorAll(".altflags details.flag:not(.k-train):not(.k-reefer):not(.k-calendar)")].map((d) => ({
        kind: d.getAttribute("data-kind"),
        ids: d.getAttribute("data-flags").split(" "),
        summary: d.querySelector("summary").textContent,
      })),
    }))
  );
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => {
    const d = document.scrollingElement;
    return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, ok: d.scrollWidth <= d.clientWidth };
  });
}

before(async () => {
  base = await startServer();
  profile = mkdtempSync(path.join(tmpdir(), "corridor-e2e-chromium-"));
  // a fresh profile (--user-data-dir) per run; Playwright takes it as launchPersistentContext's dir
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    serviceWorkers: "block",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--enable-unsafe-swiftshader",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-quic",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await browser.route("**/*", (route) => {
    const u = new URL(route.request().url());
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
    if ((u.protocol === "http:" || u.protocol === "https:") && loopback) return route.continue();
    if (u.protocol === "data:" || u.protocol === "blob:") return route.continue();
    external.push(route.request().url());
    return route.abort("blockedbyclient");
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.removeAllListeners("exit");
    server.kill("SIGTERM");
  }
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("desktop 1280x800: plans Xi'an → Duisburg, ≥ 2 alternatives listed and drawn, Pareto click selects", async () => {
  const page = await newPage({ width: 1280, height: 800 });
  const resp = await page.goto(base + "/");
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()["content-type"], /text\/html/);
  // the base map is drawn from the vendored world-atlas
  await page.waitForSelector("#mapsvg path.land", { timeout: 15_000 });

  // autocomplete: a Chinese name finds Xi'an
  await page.fill("#from", "西安");
  await page.waitForSelector("#from-list li", { timeout: 10_000 });
  const firstSuggestion = await page.textContent("#from-list li .pname");
  assert.match(firstSuggestion, /Xi'an/);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  assert.match(await page.inputValue("#from"), /Xi'an/);
  await page.fill("#from", "Xi'an");
  await page.fill("#to", "Duisburg");
  await page.fill("#cargo", "2xFEU");
  await page.click("#go");

  await page.waitForSelector(".alt", { timeout: 30_000 });
  const alts = await page.$$eval(".alt", (bs) => bs.map((b) => b.textContent));
  assert.ok(alts.length >= 2, `≥ 2 alternatives listed, got ${alts.length}: ${alts.join(" | ")}`);
  const drawn = await page.$$eval("#mapsvg g.route", (gs) => gs.map((g) => g.querySelectorAll("path.leg").length));
  assert.equal(drawn.length, alts.length, "every alternative drawn on the map");
  assert.ok(drawn.every((n) => n > 0), "each drawn alternative has legs");
  assert.ok((await page.$$("#mapsvg .border-mark")).length > 0 || (await page.$$("#mapsvg .transfer-mark")).length > 0, "borders/transfers marked");
  assert.ok((await page.$$("#itinerary tbody tr")).length > 3, "itinerary table");
  assert.match(await page.textContent("#itinerary"), /dwell/);
  // the query is in the URL
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("from"), "Xi'an");
  assert.equal(url.searchParams.get("to"), "Duisburg");
  await page.screenshot({ path: path.join(OUT, "desktop-1280x800.png"), fullPage: false });
  await page.screenshot({ path: path.join(OUT, "desktop-1280x800-full.png"), fullPage: true });

  // zoomed out to the whole world: Russia, Fiji and Antarctica cut cleanly at the antimeridian
  for (let k = 0; k < 4; k++) await page.click("#zoom-out");
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(OUT, "desktop-world.png") });
  await page.click("#zoom-fit");

  // a click on the Pareto chart selects another route
  const before = await page.getAttribute(".alt.selected", "data-i");
  const other = (await page.$$eval("#pareto .pt", (ps) => ps.map((p) => p.getAttribute("data-i")))).find((i) => i !== before);
  await page.click(`#pareto .pt[data-i="${other}"] .dot`);
  assert.equal(await page.getAttribute(".alt.selected", "data-i"), other, "the clicked point's route is selected");
  assert.equal(await page.getAttribute("#mapsvg g.route.selected", "data-i"), other, "and highlighted on the map");
  assert.equal(new URL(page.url()).searchParams.get("sel"), other, "selection kept in the URL");
  assert.match(await page.textContent("#itinerary h3"), new RegExp(`Itinerary ${Number(other) + 1}`));
  await page.screenshot({ path: path.join(OUT, "desktop-pareto-selected.png") });

  // keyboard: the Pareto points are reachable and Enter selects
  await page.focus(`#pareto .pt[data-i="${before}"]`);
  await page.keyboard.press("Enter");
  assert.equal(await page.getAttribute(".alt.selected", "data-i"), before);

  // a shared link restores the plan and the selection
  const shared = page.url().replace(/sel=\d+/, "") + (page.url().includes("?") ? "&" : "?") + `sel=${other}`;
  const page2 = await newPage({ width: 1280, height: 800 });
  await page2.goto(shared);
  await page2.waitForSelector(".alt", { timeout: 30_000 });
  assert.equal(await page2.inputValue("#from"), "Xi'an");
  assert.equal(await page2.getAttribute(".alt.selected", "data-i"), other);
  await page2.close();

  // a departure date: the fastest route gets its departure and arrival times
  if ((await page.getAttribute("#options", "open")) === null) await page.click("#options summary");
  await page.fill("#depart", "2026-12-01T08:00");
  await page.click("#go");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("depart") === "2026-12-01T08:00", null, { timeout: 30_000 });
  await page.waitForSelector(".alt", { timeout: 30_000 });
  await page.click(".alt:has(.altlabel:text-matches('^fastest', 'i'))");
  await page.waitForFunction(() => /arrives/.test(document.querySelector("#itinerary")?.textContent || ""), null, { timeout: 30_000 });
  assert.equal(new URL(page.url()).searchParams.get("depart"), "2026-12-01T08:00");
  assert.match(await page.textContent("#itinerary"), /departs 2026-12-01T08:00:00\+08:00\[Asia\/Shanghai\]/);
  await page.fill("#depart", "");

  // an API error is shown as a readable message with suggestions
  expectApiErrors = true;
  await page.fill("#from", "Xiann");
  await page.click("#go");
  await page.waitForSelector("#error:not([hidden])", { timeout: 15_000 });
  const err = await page.textContent("#error");
  assert.match(err, /Unknown place/);
  assert.match(err, /did you mean/i);
  await page.screenshot({ path: path.join(OUT, "desktop-error.png") });
  await page.close();
  expectApiErrors = false;
});

test("phone 375x812: no horizontal scroll, plan readable", async () => {
  const page = await newPage({ width: 375, height: 812 });
  await page.goto(base + "/?from=Xi%27an&to=Duisburg&cargo=2xFEU");
  await page.waitForSelector(".alt", { timeout: 30_000 });
  await page.waitForSelector("#mapsvg path.land", { timeout: 15_000 });
  assert.ok((await page.$$(".alt")).length >= 2);
  const s = await noHorizontalScroll(page);
  assert.ok(s.ok, `no horizontal scroll at 375px: scrollWidth ${s.scrollWidth} > ${s.clientWidth}`);
  await page.screenshot({ path: path.join(OUT, "phone-375x812.png") });
  await page.screenshot({ path: path.join(OUT, "phone-375x812-full.png"), fullPage: true });
  // the chart works on the phone too
  await page.locator("#pareto .pt[data-i='1'] .dot").scrollIntoViewIfNeeded();
  await page.click("#pareto .pt[data-i='1'] .dot");
  assert.equal(await page.getAttribute(".alt.selected", "data-i"), "1");
  const s2 = await noHorizontalScroll(page);
  assert.ok(s2.ok, `no horizontal scroll after selecting: ${s2.scrollWidth} > ${s2.clientWidth}`);
  await page.close();
});

test("with --api-key: the page opens without the key and sends the one given as ?key=", async () => {
  let keyed;
  const kbase = await startServer(["--api-key", "e2e-key"], (p) => (keyed = p));
  try {
    const page = await newPage({ width: 1280, height: 800 });
    const resp = await page.goto(kbase + "/?key=e2e-key&from=Xi%27an&to=Duisburg&cargo=2xFEU");
    assert.equal(resp.status(), 200);
    await page.waitForSelector(".alt", { timeout: 30_000 });
    assert.ok((await page.$$(".alt")).length >= 2);
    // the key left the address bar (history, shared links) and lives in this tab's storage
    assert.doesNotMatch(page.url(), /key=/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("corridor-api-key")), "e2e-key");
    await page.close();
  } finally {
    keyed.removeAllListeners("exit");
    keyed.kill("SIGTERM");
  }
});

test("scenario picker: baseline and scenario side by side, the scenario route drawn dashed", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(base + "/");
  // the picker lists the shipped scenarios from GET /v1/scenarios
  await page.waitForSelector("#scenario option[value='caspian-backlog']", { state: "attached", timeout: 15_000 });
  await page.fill("#from", "Almaty");
  await page.fill("#to", "Baku");
  await page.selectOption("#scenario", "caspian-backlog");
  await page.click("#go");
  await page.waitForSelector("#scenario-compare table tbody tr", { timeout: 60_000 });
  const rows = await page.$$eval("#scenario-compare tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("th,td")].map((c) => c.textContent))
  );
  assert.equal(rows.length, 3, JSON.stringify(rows));
  const fastest = rows.find((r) => r[0] === "fastest");
  assert.ok(fastest, JSON.stringify(rows));
  // baseline and scenario transit in days, and the delta between them
  const d = (t) => parseFloat(t.replace(/[^0-9.]/g, ""));
  assert.match(fastest[1], /\d+\.\d d/);
  assert.match(fastest[2], /\d+\.\d d/);
  assert.ok(d(fastest[2]) >= d(fastest[1]), `scenario ${fastest[2]} not slower than baseline ${fastest[1]}`);
  assert.match(fastest[3], /^[+±]\d/);
  assert.match(await page.textContent("#scenario-compare h3"), /Caspian backlog/);
  assert.match(await page.textContent("#scenario-compare"), /caspian-backlog #[0-9a-f]{16}/);
  await page.waitForSelector("#mapsvg .scenario-route path.scenario-leg", { state: "attached", timeout: 10_000 });
  assert.match(page.url(), /scenario=caspian-backlog/);
  // selecting another alternative keeps the scenario in the address
  await page.click('.alt[data-i="1"]');
  assert.equal(new URL(page.url()).searchParams.get("sel"), "1");
  assert.match(page.url(), /scenario=caspian-backlog/);
  await page.screenshot({ path: path.join(OUT, "desktop-scenario.png"), fullPage: true });
  await page.close();
});

test("reliability toggle: a histogram per itinerary with P50 and P90 marked, on-time with a deadline", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(base + "/?from=Xi%27an&to=Duisburg&cargo=2xFEU");
  await page.waitForSelector(".alt", { timeout: 30_000 });
  assert.equal(await page.isVisible("#reliability-cards"), false);
  await page.fill("#deadline_days", "18");
  await page.check("#reliability");
  await page.waitForSelector("#reliability-cards .rel-card svg.rel-hist rect.bar", { timeout: 60_000 });
  const cards = await page.$$("#reliability-cards .rel-card");
  assert.equal(cards.length, (await page.$$(".alt")).length);
  for (const c of cards) {
    assert.ok((await c.$$("svg.rel-hist rect.bar")).length >= 2);
    assert.ok(await c.$("svg.rel-hist [data-mark='P50'] line"), "P50 marked");
    assert.ok(await c.$("svg.rel-hist [data-mark='P90'] line"), "P90 marked");
    const figs = await c.$eval(".rel-figs", (e) => e.textContent);
    const m = /P50 ([\d.]+) d · P90 ([\d.]+) d/.exec(figs);
    assert.ok(m, figs);
    assert.ok(parseFloat(m[1]) <= parseFloat(m[2]), figs);
    assert.match(figs, /on time \d+\.\d% \(within 18\.0 d\)/);
  }
  assert.match(page.url(), /reliability=1/);
  await page.click('.alt[data-i="1"]');
  assert.equal(new URL(page.url()).searchParams.get("sel"), "1");
  assert.match(page.url(), /reliability=1&deadline_days=18/);
  await page.screenshot({ path: path.join(OUT, "desktop-reliability.png"), fullPage: true });
  await page.close();
});

test("options: alternatives, via, reefer, dangerous goods, goods, customs, drivers and max days reach the request; the answer renders", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  const asked = routeRequests(page);
  await page.goto(base + "/");
  // the default: one request for the short list of 5, not three single-objective requests
  await page.fill("#from", "Xi'an");
  await page.fill("#to", "Duisburg");
  await page.click("#go");
  await page.waitForSelector(".alt", { timeout: 30_000 });
  assert.equal(asked.length, 1, "one /v1/route request");
  assert.equal(asked[0].get("alternatives"), "5");
  assert.equal(asked[0].get("optimize"), null, "the front, not one objective");
  const api5 = await apiRoute({ from: "Xi'an", to: "Duisburg", cargo: "2xFEU", alternatives: "5" });
  assert.equal((await page.$$(".alt")).length, api5.itineraries.length, "every itinerary of the answer is a card");
  assert.ok(api5.itineraries.length > 3, `more than three alternatives: ${api5.itineraries.length}`);
  // the Pareto chart plots all of them
  assert.equal((await page.$$("#pareto .pt")).length, api5.itineraries.length);
  // each card names its corridor as the answer does
  const shown = await cards(page);
  assert.deepEqual(shown.map((c) => c.corridor), api5.itineraries.map((it) => it.corridor));
  // the block trains a card boards at their terminals (services.csv waits=boarding): a chip
  // with their number and waits, as the answer has them
  let boarded = 0;
  for (const [i, it] of api5.itineraries.entries()) {
    const legs = it.legs.filter((l) => l.train);
    const chip = await page.$(`.altflags[data-i="${i}"] details.k-train summary`);
    if (!legs.length) {
      assert.equal(chip, null, `card ${i} boards no train`);
      continue;
    }
    boarded += 1;
    const wait = legs.reduce((s, l) => s + l.train.wait_h, 0).toFixed(1);
    assert.match(await chip.textContent(), new RegExp(`trains · ${legs.length} boarded · waiting ${wait} h`));
  }
  assert.ok(boarded >= 1, "Xi'an's trains are boarded by at least one card");

  // the alternatives input
  await page.fill("#alternatives", "2");
  asked.length = 0;
  await page.click("#go");
  await page.waitForFunction(() => document.querySelectorAll(".alt").length === 2, null, { timeout: 30_000 });
  assert.equal(asked.at(-1).get("alternatives"), "2");

  // a value out of range: the API's message, and the control marked
  expectApiErrors = true;
  await page.fill("#alternatives", "0");
  await page.click("#go");
  await page.waitForSelector("#error:not([hidden])", { timeout: 15_000 });
  assert.match(await page.textContent("#error"), /give 1 to 50/);
  assert.equal(await page.getAttribute("#alternatives", "aria-invalid"), "true");
  expectApiErrors = false;

  // every cargo and route option at once (from Almaty: China Railway takes no dangerous goods
  // on China–Europe trains, cargo_rules.csv CR-DG-CN-RAIL-EXPRESS)
  await page.fill("#from", "Almaty");
  await page.fill("#alternatives", "3");
  await page.click("#cargo-options summary");
  await page.fill("#via", "Aktau");
  await page.check("#reefer");
  await page.selectOption("#dangerous_goods", "2.1");
  await page.selectOption("#goods", "agricultural");
  await page.selectOption("#customs", "tir");
  await page.selectOption("#drivers", "2");
  await page.fill("#max_days", "25");
  asked.length = 0;
  await page.click("#go");
  await page.waitForSelector("#answer-notes:not([hidden])", { timeout: 30_000 });
  assert.equal(await page.isVisible("#error"), false);
  assert.equal(await page.getAttribute("#alternatives", "aria-invalid"), null);
  const q = asked.at(-1);
  assert.deepEqual(q.getAll("via"), ["Aktau"]);
  assert.equal(q.get("reefer"), "true");
  assert.equal(q.get("dangerous_goods"), "2.1");
  assert.equal(q.get("goods"), "agricultural");
  assert.equal(q.get("customs"), "tir");
  assert.equal(q.get("drivers"), "2");
  assert.equal(q.get("max_days"), "25");
  assert.equal(q.get("alternatives"), "3");
  const want = await apiRoute(q);
  assert.deepEqual(want.query.constraints, { reefer: true, dangerous_goods: "2.1", goods: "agricultural", customs: "tir", drivers: 2 });
  const got = await cards(page);
  assert.equal(got.length, want.itineraries.length);
  assert.ok(got.length >= 1 && got.length <= 3, `1–3 cards, got ${got.length}`);
  for (const c of got) assert.ok(c.days <= 25, `card ${c.i} is ${c.days} d, over max_days 25`);
  // the answer says what it left out (over max_days) and how it read the cargo (reefer, class 2.1)
  const notes = await page.textContent("#answer-notes");
  assert.match(notes, /Left out of the alternatives \(\d+\)/);
  assert.match(notes, /over max_days 25/);
  assert.match(notes, /reefer/);
  assert.match(notes, /dangerous goods class 2\.1/);
  // each card says what the data knows of its reefer power and what the reefer surcharges add
  for (const [i, it] of want.itineraries.entries()) {
    const chip = await page.textContent(`.altflags[data-i="${i}"] details.k-reefer summary`);
    const legs = it.legs.length;
    const confirmed = it.legs.filter((l) => l.reefer && l.reefer.power === "confirmed").length;
    const usd = Math.round(it.legs.reduce((s, l) => s + l.reefer.surcharge_usd, 0)).toLocaleString("en");
    assert.match(chip, new RegExp(`power confirmed on ${confirmed} of ${legs} legs · surcharges USD ${usd}`));
  }
  await page.screenshot({ path: path.join(OUT, "desktop-options.png"), fullPage: true });
  // a shared link asks the same question
  const u = new URL(page.url());
  assert.deepEqual(
    ["via", "reefer", "dangerous_goods", "goods", "customs", "drivers", "max_days", "alternatives"].map((k) => u.searchParams.get(k)),
    ["Aktau", "true", "2.1", "agricultural", "tir", "2", "25", "3"]
  );
  const page2 = await newPage({ width: 1280, height: 900 });
  const asked2 = routeRequests(page2);
  await page2.goto(page.url());
  await page2.waitForSelector(".alt", { timeout: 30_000 });
  assert.equal(asked2[0].toString(), q.toString(), "the shared link sends the same request");
  assert.equal(await page2.inputValue("#dangerous_goods"), "2.1");
  assert.equal(await page2.getAttribute("#cargo-options", "open"), "");
  await page2.close();
  await page.close();
});

test("compliance and security flags: a Russia route shows sanction chips that open to the text and source", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(base + "/?from=Xi%27an&to=Duisburg&cargo=2xFEU");
  await page.waitForSelector(".alt", { timeout: 30_000 });
  const want = await apiRoute({ from: "Xi'an", to: "Duisburg", cargo: "2xFEU", alternatives: "5" });
  const got = await cards(page);
  assert.equal(got.length, want.itineraries.length);
  // every flag of every itinerary is on its card, in one chip per kind and place, none more
  want.itineraries.forEach((it, k) => {
    const ids = got[k].flags.flatMap((f) => f.ids);
    assert.deepEqual(ids.slice().sort(), it.compliance.map((f) => f.id).sort(), `flags of card ${k + 1}`);
    const places = new Set(it.compliance.map((f) => f.kind + " " + f.applies_to));
    assert.ok(got[k].flags.length <= places.size, `card ${k + 1}: ${got[k].flags.length} chips for ${places.size} kinds and places`);
  });
  // the fastest goes through Russia: a sanction chip naming RU
  const ru = want.itineraries.findIndex((it) => it.totals.countries.includes("RU"));
  assert.ok(ru >= 0, "a Russia route on the list");
  const sanction = got[ru].flags.find((f) => f.kind === "sanction" && / RU /.test(f.summary));
  assert.ok(sanction, `a sanction chip on card ${ru + 1}: ${JSON.stringify(got[ru].flags)}`);
  const onRu = want.itineraries[ru].compliance.filter((f) => f.kind === "sanction" && f.applies_to === "country:RU");
  assert.deepEqual(sanction.ids.slice().sort(), onRu.map((f) => f.id).sort(), "the chip holds every sanction on RU");
  const chip = page.locator(`#alts .altitem[data-i="${ru}"] details.flag[data-flags="${sanction.ids.join(" ")}"]`);
  assert.equal(await chip.locator(".flagbody").isVisible(), false, "short until opened");
  await chip.locator("summary").click();
  assert.equal(await chip.getAttribute("open"), "", "opened");
  for (const flag of onRu) {
    const item = chip.locator(`.flagitem[data-flag="${flag.id}"]`);
    assert.equal(await item.locator(".flagsource").textContent(), flag.source, "the source id");
    const body = await item.textContent();
    assert.ok(body.includes(flag.measure), "the measure in full");
    assert.ok(body.includes(flag.authority), "who imposes it");
    assert.ok(body.includes(flag.requirement), "the requirement in full");
    assert.ok(body.includes(flag.as_of), "the date");
  }
  // opening a chip does not change the selection
  assert.equal(await page.getAttribute(".alt.selected", "data-i"), "0");
  // a sea route through the Red Sea: a security chip (UN Security Council)
  const sea = want.itineraries.findIndex((it) => it.compliance.some((f) => /^security/.test(f.requirement)));
  assert.ok(sea >= 0, "a Red Sea route on the list");
  assert.ok(got[sea].flags.some((f) => f.kind === "security" && /UN Security Council/.test(f.summary)), JSON.stringify(got[sea].flags));
  // a sea leg's moving time in days, as the CLI prints it (hours up to 48 h, days beyond)
  await page.click(`.alt[data-i="${sea}"]`);
  const legs = want.itineraries[sea].legs;
  const long = legs.find((l) => l.mode === "sea" && l.moving_h > 48);
  const rows = await page.$$eval("#itinerary tbody tr.k-leg", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const row = rows.find((r) => r[2] === `${long.from.name} → ${long.to.name}`);
  assert.ok(row, `the sea leg ${long.from.name} → ${long.to.name} in the table`);
  assert.equal(row[4], `${(long.moving_h / 24).toFixed(1)} d`);
  const short = legs.find((l) => l.moving_h > 0 && l.moving_h < 48);
  const srow = rows.find((r) => r[2].startsWith(`${short.from.name} → ${short.to.name}`));
  assert.equal(srow[4], `${short.moving_h.toFixed(1)} h`);
  await page.screenshot({ path: path.join(OUT, "desktop-flags.png"), fullPage: true });
  await page.close();
});

test("the short list says what it left out; the whole front on request; all of it on the Pareto chart", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  const asked = routeRequests(page);
  // without Suez and Iran: the Middle Corridor is on the front (with Iran allowed, the
  // Southern route dominates it since the 2024 calibration of the Kazakh lines)
  await page.goto(base + "/?from=Shanghai&to=Rotterdam&avoid=passage:suez,country:IR");
  await page.waitForSelector("#answer-notes:not([hidden])", { timeout: 30_000 });
  // a link without cargo plans the cargo the form shows
  assert.equal(asked[0].get("cargo"), await page.inputValue("#cargo"));
  const want = await apiRoute(asked[0]);
  const left = want.warnings.find((w) => w.startsWith("left out of the alternatives:"));
  assert.ok(left, "the API leaves something out here");
  const items = await page.$$eval("#answer-notes ul.leftout li", (lis) => lis.map((l) => l.textContent));
  for (const it of items) assert.ok(left.includes(it), `${it} is in the API's warning`);
  assert.ok(items.length >= 1);
  // the Middle Corridor is on the list, labelled as the other corridor, ringed on the chart
  const got = await cards(page);
  const other = got.filter((c) => /other corridor/i.test(c.label));
  assert.ok(other.length >= 1, JSON.stringify(got.map((c) => c.label)));
  assert.ok(got.some((c) => /AZ.GE/.test(c.corridor)), "a Middle Corridor card: " + got.map((c) => c.corridor).join(" | "));
  assert.equal((await page.$$("#pareto .pt")).length, got.length, "every card on the chart");
  assert.equal((await page.$$("#pareto .pt.other .ring")).length, other.length);
  assert.match(await page.textContent("#alt-terms"), /other corridor/);
  // the whole front at a click
  asked.length = 0;
  await page.click("#show-whole-front");
  await page.waitForFunction(() => /whole Pareto front/.test(document.querySelector("#status").textContent), null, { timeout: 30_000 });
  assert.equal(asked.at(-1).get("all_alternatives"), "true");
  assert.equal(await page.isChecked("#all_alternatives"), true);
  const whole = await apiRoute(asked.at(-1));
  const got2 = await cards(page);
  assert.deepEqual(got2.map((c) => c.corridor), whole.itineraries.map((it) => it.corridor));
  assert.equal((await page.$$("#pareto .pt")).length, got2.length);
  assert.ok(!got2.some((c) => /other corridor/i.test(c.label)), "the whole front has no other-corridor picks");
  assert.equal(new URL(page.url()).searchParams.get("all_alternatives"), "1");
  await page.close();
});

test("phone 390x844: options, flags and notes fit, no horizontal scroll", async () => {
  const page = await newPage({ width: 390, height: 844 });
  await page.goto(base + "/?from=Shanghai&to=Rotterdam&avoid=passage:suez&max_days=30&reefer=true");
  await page.waitForSelector(".alt", { timeout: 30_000 });
  assert.equal(await page.getAttribute("#cargo-options", "open"), "", "options from the link are shown");
  assert.equal(await page.inputValue("#max_days"), "30");
  await page.waitForSelector("#answer-notes:not([hidden])");
  const chip = page.locator("#alts details.flag").first();
  await chip.locator("summary").scrollIntoViewIfNeeded();
  await chip.locator("summary").click();
  assert.ok(await chip.locator(".flagsource").first().isVisible(), "the source shows on the phone");
  const s = await noHorizontalScroll(page);
  assert.ok(s.ok, `no horizontal scroll at 390px: scrollWidth ${s.scrollWidth} > ${s.clientWidth}`);
  // every control is on the screen's width
  for (const id of ["alternatives", "all_alternatives", "via", "reefer", "dangerous_goods", "goods", "customs", "drivers", "max_days"]) {
    const b = await page.locator("#" + id).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `#${id} within 390 px: ${JSON.stringify(b)}`);
  }
  await page.screenshot({ path: path.join(OUT, "phone-390x844-full.png"), fullPage: true });
  await page.close();
});

test("flows: the data's demand doubled, loaded links drawn by V/C, the bottleneck list with its sources", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(base + "/?flows=1&demand_factor=2");
  await page.waitForSelector("#bottlenecks tbody tr", { timeout: 30_000 });
  const r = await fetch(base + "/v1/assign?demand_factor=2");
  assert.equal(r.status, 200, await r.clone().text());
  const want = await r.json();
  assert.equal(await page.inputValue("#demand_factor"), "2");
  // every loaded link on the map, coloured by its V/C class
  assert.equal((await page.$$("#flows-layer path.flow")).length, want.links.length);
  assert.ok(want.links.length > 10, `${want.links.length} loaded links`);
  // the list: the API's bottlenecks (or its five most loaded) in order, each with its source
  const list = want.bottlenecks.length ? want.bottlenecks : want.capacities.slice(0, 5);
  const rows = await page.$$eval("#bottlenecks tbody tr", (trs) => trs.map((tr) => tr.querySelector("summary").textContent));
  assert.deepEqual(rows, list.map((b) => b.name));
  const first = page.locator("#bottlenecks details.capsource").first();
  await first.locator("summary").click();
  assert.match(await first.textContent(), new RegExp("source: " + list[0].source.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.ok(await page.isVisible(".flowlegend"), "the legend explains width and colour");
  await page.screenshot({ path: path.join(OUT, "desktop-flows.png"), fullPage: true });
  await page.close();
});

test("offline and clean: no request left the machine, no console errors", () => {
  assert.deepEqual(external, [], "non-loopback requests attempted");
  assert.deepEqual(consoleErrors, [], "console errors");
});
