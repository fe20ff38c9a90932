/* What All claims (claims-table.js) and the map (claims-map.js) share: their data, data/claims-index.json,
 * loaded once; its rows; the filter form (its options and what it matches); and the filters in the address
 * (#status=...&country=...), so that a reader goes from a filtered table to the same claims on the map and
 * back. Every node is built with textContent: no claim text is ever parsed as HTML. Loaded by the two pages
 * that use it, before their own script (templates/all-claims.md.j2, map.md.j2); it only defines
 * window.claimpressData, once. */
(function () {
  "use strict";
  if (window.claimpressData) return;  // loaded twice: by a fork's mkdocs.yml too, as every page once did
  var FILTERS = ["q", "status", "accused", "claimant", "country", "category", "year"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];

  // Text as the text box compares it: lower case, without accents ("Donetsk" for "Donétsk").
  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // The interface's texts in the page's language (<html lang>): the build writes each site language's
  // messages as a script that sets window.claimpressMessages (msgid -> text, or for a text with a count,
  // CLDR plural category -> text), escaped for a script; English, the msgids' language, needs none.
  // Placeholders are gettext's, %(name)s, and %% a percent sign. Every text goes in by textContent.
  var lang = document.documentElement.lang || "en", english = /^en\b/i.test(lang);
  function format(text, values) {
    return String(text).replace(/%(?:\((\w+)\))?s|%%/g, function (all, name) {
      return name ? String(values && name in values ? values[name] : all) : "%";
    });
  }
  function messages() {
    var found = window.claimpressMessages;
    return found && typeof found === "object" ? found : {};
  }
  function t(text, values) {
    var found = messages()[text];
    return format(typeof found === "string" ? found : text, values);
  }
  var plurals = null;
  function tn(one, many, count, values) {
    var found = messages()[one], all = Object.assign({num: number(count)}, values);
    if (found && typeof found === "object") {
      plurals = plurals || new Intl.PluralRules(lang);
      var form = found[plurals.select(count)] || found.other;
      if (typeof form === "string") return format(form, all);
    }
    return format(count === 1 ? one : many, all);
  }
  // Digits 0-9 in every language, as the build's pages write them (Babel's default): Intl would write
  // Arabic with Arabic-Indic digits.
  function number(value) {
    return english ? String(value) : new Intl.NumberFormat(lang, {numberingSystem: "latn"}).format(value);
  }

  // A date as the claim pages write it (8 September 2018, September 2018, 2018; in another language as it
  // writes dates), in a <time> whose datetime keeps the ISO form for machines.
  function timeOf(iso) {
    var parts = iso.split("-"), time = el("time");
    time.dateTime = iso;
    if (!english && parts.length > 1) {
      var at = new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2] || 1)));
      var shown = {year: "numeric", month: "long", timeZone: "UTC", numberingSystem: "latn"};
      if (parts.length === 3) shown.day = "numeric";
      time.textContent = new Intl.DateTimeFormat(lang, shown).format(at);
      return time;
    }
    time.textContent = parts.length === 3 ? Number(parts[2]) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0]
      : parts.length === 2 ? MONTHS[Number(parts[1]) - 1] + " " + parts[0] : iso;
    return time;
  }

  // A status badge linked to the rating's definition, coloured by the rating (as the claim pages draw it).
  function badge(status, methodology) {
    var link = el("a", status[1], "cp-badge");
    link.href = methodology + "#rating-" + status[0];
    link.style.setProperty("--cp-badge", status[2]);
    link.style.setProperty("--cp-badge-text", status[3]);
    return link;
  }

  // A claim's title as a link to its page: in the page's language (`base`: that language's claims/), or
  // where the claim has no page in it, its own (`originals`: the default language's claims/), the title
  // then marked with its language.
  function titleLink(r, base, originals, cls) {
    var link = el("a", r.title, cls);
    link.href = (r.here || !originals ? base : originals) + r.id + "/";
    if (r.lang) {
      link.lang = r.lang[0];
      link.dir = r.lang[1];
    }
    return link;
  }

  // data/claims-index.json. From a site opened from disk (file://) browsers refuse fetch(), but run a
  // script: the build writes the same data beside it as claims-index.js, which sets window.claimpressIndex.
  // Both pages share one request (and the browser's cache of it).
  var loading = {};
  function loadIndex(src) {
    if (loading[src]) return loading[src];
    if (location.protocol !== "file:") {
      loading[src] = fetch(src).then(function (response) {
        if (!response.ok) throw new Error(t("HTTP %(status)s", {status: response.status}));
        return response.json();
      });
      return loading[src];
    }
    loading[src] = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src.replace(/\.json$/, ".js");
      script.onload = function () {
        var data = window.claimpressIndex;
        if (data && Array.isArray(data.claims)) resolve(data);
        else reject(new Error(t("%(file)s holds no claims", {file: script.src})));
      };
      script.onerror = function () { reject(new Error(t("%(file)s is missing", {file: script.src}))); };
      document.head.appendChild(script);
    });
    return loading[src];
  }

  // The rows, each with what the table shows and what the filters and the map read. A position is the
  // one the site publishes (already rounded or coarsened at build time): {lat, lon, precision, km, obscured}.
  // A row's text for the text box (row.text) is made when a text is first searched for (searchable): at
  // 50,000 claims folding it took the page 0.1-0.3 s before the map or the table could show anything.
  function prepare(data) {
    var parties = data.parties, ratings = data.ratings, countries = {}, precisions = data.precisions || [];
    var languages = Array.isArray(data.languages) ? data.languages : null;
    data.countries.forEach(function (c) { countries[c[0]] = c[1]; });
    var rows = data.claims.map(function (c, index) {
      var accused = c[4].map(function (i) { return parties[i][1]; });
      var at = c[11], precision = at && at[2] !== null ? precisions[at[2]] : null;
      var row = {
        index: index, id: c[0], title: c[1], status: ratings[c[2]], statusIndex: c[2], claimant: parties[c[3]][1],
        claimantId: parties[c[3]][0], accused: accused.join(", "), accusedNames: accused,
        accusedIds: c[5].map(function (i) { return parties[i][0]; }),
        country: countries[c[6]], countryId: c[6], location: c[10] || "",
        categoryIds: c[7].map(function (i) { return data.categories[i][0]; }),
        incident: c[8], year: c[8].slice(0, 4), updated: c[9],
        position: at ? {lat: at[0], lon: at[1], precision: precision ? precision[0] : null,
                        km: precision ? precision[1] : 0, obscured: at[3] === 1} : null,
        // In another site language's data (data/claims-index.<tag>.json): the title's language where it
        // is not the page's ([tag, dir]), and whether the claim has a page in the page's language.
        lang: languages && c[12] !== null && c[12] !== undefined ? languages[c[12]] : null,
        here: !languages || c[13] === 1,
        text: null
      };
      return row;
    });
    rows.searchable = function () {
      if (rows.length && rows[0].text !== null) return;
      // A party as the text box finds it: its name and its aliases ("HRW"), listed once in the data.
      var partyText = parties.map(function (p) { return [p[1]].concat(p[2] || []).join(" "); });
      rows.forEach(function (row, index) {
        var c = data.claims[index];
        row.text = fold([row.title, partyText[c[3]]].concat(c[4].map(function (i) { return partyText[i]; }),
                                                            [row.location, row.country, row.id]).join(" "));
      });
    };
    return rows;
  }

  // The filter form's choices: only the values some claim has, by name.
  function fillForm(form, data, rows) {
    var parties = data.parties;
    // Without an array a row: at 50,000 claims [].concat(...) took the page 0.1 s before its first frame.
    var used = function (key) {
      var seen = {};
      rows.forEach(function (r) {
        var values = r[key];
        if (!Array.isArray(values)) seen[values] = true;
        else for (var i = 0; i < values.length; i++) seen[values[i]] = true;
      });
      return seen;
    };
    var byName = function (a, b) { return a[1].localeCompare(b[1]); };
    var accusedUsed = used("accusedIds"), claimantUsed = used("claimantId");
    fill(form, "status", data.ratings.map(function (r) { return [r[0], r[1]]; }));
    fill(form, "accused", parties.filter(function (p) { return accusedUsed[p[0]]; }).slice().sort(byName));
    fill(form, "claimant", parties.filter(function (p) { return claimantUsed[p[0]]; }).slice().sort(byName));
    fill(form, "country", data.countries.slice().sort(byName));
    fill(form, "category", data.categories.slice().sort(byName));
    var years = Object.keys(used("year")).sort().reverse();
    fill(form, "year", years.map(function (y) { return [y, y]; }));
  }

  function fill(form, name, options) {
    var select = form.elements[name];
    options.forEach(function (o) {
      var option = el("option", o[1]);
      option.value = o[0];
      select.appendChild(option);
    });
  }

  // What the form asks for, as a test of one of `rows` (prepare's): every filter set, and every word of the
  // text box.
  function matcher(form, rows) {
    var f = form.elements, words = fold(f.q.value).split(/\s+/).filter(Boolean);
    if (words.length) rows.searchable();
    var status = f.status.value, accused = f.accused.value, claimant = f.claimant.value, country = f.country.value;
    var category = f.category.value, year = f.year.value;
    return function (r) {
      return (!status || r.status[0] === status) &&
        (!accused || r.accusedIds.indexOf(accused) !== -1) &&
        (!claimant || r.claimantId === claimant) &&
        (!country || r.countryId === country) &&
        (!category || r.categoryIds.indexOf(category) !== -1) &&
        (!year || r.year === year) &&
        words.every(function (word) { return r.text.indexOf(word) !== -1; });
    };
  }

  // The filters of the address: the form shows what it says (a value the form does not offer reads as Any).
  function readFilters(form, params) {
    FILTERS.forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
  }

  // The address's fragment for the form's filters and then `extra` ([name, value] pairs): "" when empty.
  // Both pages write the same names, so either reads the other's address.
  function hashOf(form, extra) {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      if (form.elements[name].value) params.set(name, form.elements[name].value);
    });
    (extra || []).forEach(function (pair) { params.set(pair[0], pair[1]); });
    var hash = params.toString();
    return hash ? "#" + hash : "";
  }

  function params() {
    return new URLSearchParams(location.hash.slice(1));
  }

  // Puts `hash` in the address: a new step in the history (`push`), or in place of the current one
  // (typing: Back does not undo a letter at a time).
  function writeHash(hash, push) {
    if (hash === location.hash) return;
    var address = hash || location.pathname + location.search;
    if (push) history.pushState(null, "", address);
    else history.replaceState(null, "", address);
  }

  // Calls `show` when the address changes from outside the page's own writes (edited by hand, Back,
  // Forward); `shown()` is the fragment the page shows.
  function follow(shown, show) {
    function changed() {
      if (location.hash !== shown()) show();
    }
    window.addEventListener("hashchange", changed);
    window.addEventListener("popstate", changed);
  }

  window.claimpressData = {
    FILTERS: FILTERS, fold: fold, el: el, t: t, tn: tn, number: number, timeOf: timeOf, badge: badge, titleLink: titleLink, loadIndex: loadIndex, prepare: prepare,
    fillForm: fillForm, fill: fill, matcher: matcher, readFilters: readFilters, hashOf: hashOf, params: params,
    writeHash: writeHash, follow: follow
  };
})();
