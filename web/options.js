// corridor web map: the options of the question beyond from, to and cargo: how many
// alternatives (and the whole Pareto front), via places, reefer, dangerous goods, goods, customs
// regime, truck drivers and a ceiling on transit days. Each is a parameter of /v1/route named as in the API
// (docs/http-api.md) and kept in the page's URL under the same name, so a shared link asks the
// same question. Registers in window.corridorPlugins (app.js calls the hooks); no build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const DEFAULT_ALTERNATIVES = "5";

  // The controls' values as the API takes them; "" or false leaves a parameter out.
  function values() {
    return {
      alternatives: $("alternatives").value.trim(),
      all_alternatives: $("all_alternatives").checked,
      via: $("via")
        .value.split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      reefer: $("reefer").checked,
      dangerous_goods: $("dangerous_goods").value,
      goods: $("goods").value,
      customs: $("customs").value,
      drivers: $("drivers").value,
      max_days: $("max_days").value.trim(),
    };
  }

  // Only what differs from the API's defaults, so that the requests and links stay short.
  function put(p, v, withAlternatives) {
    if (withAlternatives) {
      p.set("alternatives", v.alternatives || DEFAULT_ALTERNATIVES);
      if (v.all_alternatives) p.set("all_alternatives", "true");
    }
    for (const place of v.via) p.append("via", place);
    if (v.reefer) p.set("reefer", "true");
    if (v.dangerous_goods) p.set("dangerous_goods", v.dangerous_goods);
    if (v.goods && v.goods !== "general") p.set("goods", v.goods);
    if (v.customs && v.customs !== "standard") p.set("customs", v.customs);
    if (v.drivers && v.drivers !== "1") p.set("drivers", v.drivers);
    if (v.max_days) p.set("max_days", v.max_days);
  }

  function selectValue(id, want) {
    const sel = $(id);
    if (want != null && [...sel.options].some((o) => o.value === want)) sel.value = want;
  }

  // Restores the controls from a shared link (?alternatives=8&via=Aktau&reefer=true …).
  function fromUrl() {
    const u = new URLSearchParams(location.search);
    const yes = (k) => ["1", "true", "yes"].includes(u.get(k) || "");
    if (u.get("alternatives")) $("alternatives").value = u.get("alternatives");
    $("all_alternatives").checked = yes("all_alternatives");
    const via = u.getAll("via").flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
    $("via").value = via.join(", ");
    $("reefer").checked = yes("reefer");
    selectValue("dangerous_goods", u.get("dangerous_goods"));
    selectValue("goods", u.get("goods"));
    selectValue("customs", u.get("customs"));
    selectValue("drivers", u.get("drivers"));
    if (u.get("max_days")) $("max_days").value = u.get("max_days");
    const v = values();
    if (v.via.length || v.reefer || v.dangerous_goods || v.goods !== "general" || v.customs !== "standard" || v.drivers !== "1" || v.max_days) {
      $("cargo-options").open = true;
    }
  }

  (window.corridorPlugins = window.corridorPlugins || []).push({
    init() {
      fromUrl();
    },
    // every /v1/route request; one asked with `optimize` (the scenario comparison) takes no
    // `alternatives` (the API refuses both together)
    params(p) {
      put(p, values(), !p.has("optimize"));
    },
    // the page's address and "Copy link"
    url(p) {
      const v = values();
      put(p, v, false);
      if (v.alternatives && v.alternatives !== DEFAULT_ALTERNATIVES) p.set("alternatives", v.alternatives);
      if (v.all_alternatives) p.set("all_alternatives", "1");
    },
  });
})();
