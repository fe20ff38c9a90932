/* The all-claims table: loads data/claims-index.json, then sorts, filters and pages it in the
 * browser, with no server. Rows are built with textContent only: no claim text is ever parsed as
 * HTML. Loaded on every page by mkdocs.yml; it does nothing where there is no .cp-all element. */
(function () {
  "use strict";
  var PAGE = 50;
  var FILTERS = ["q", "status", "accused", "claimant", "country", "category", "year"];
  var DEFAULT_SORT = "updated";

  // Text as the table's text box compares it: lower case, without accents ("Donetsk" for "Donétsk").
  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  // A cell says what it holds where the table is stacked on a narrow screen and its header is hidden
  // (claimpress.css); the roles keep it a table to screen readers whatever its CSS display.
  function labelled(cell, label) {
    cell.setAttribute("role", "cell");
    if (label) cell.setAttribute("data-label", label);
    return cell;
  }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];

  // A cell with a date as the claim pages write it (8 September 2018, September 2018, 2018),
  // the ISO form kept in <time datetime> for machines.
  function dateCell(iso, label) {
    var parts = iso.split("-"), time = el("time");
    time.dateTime = iso;
    time.textContent = parts.length === 3 ? Number(parts[2]) + " " + MONTHS[Number(parts[1]) - 1] + " " + parts[0]
      : parts.length === 2 ? MONTHS[Number(parts[1]) - 1] + " " + parts[0] : iso;
    var cell = labelled(el("td"), label);
    cell.appendChild(time);
    return cell;
  }

  // The table's data: data/claims-index.json. From a site opened from disk (file://) browsers refuse
  // fetch(), but run a script: the build writes the same data beside it as claims-index.js, which sets
  // window.claimpressIndex.
  function loadIndex(src) {
    if (location.protocol !== "file:") {
      return fetch(src).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src.replace(/\.json$/, ".js");
      script.onload = function () {
        var data = window.claimpressIndex;
        if (data && Array.isArray(data.claims)) resolve(data);
        else reject(new Error(script.src + " holds no claims"));
      };
      script.onerror = function () { reject(new Error(script.src + " is missing")); };
      document.head.appendChild(script);
    });
  }

  function start(root) {
    root.querySelector(".cp-all-app").hidden = false;  // hidden in the page for readers without scripts
    var form = root.querySelector(".cp-filters");
    var body = root.querySelector("tbody");
    var count = root.querySelector(".cp-count");
    var pager = root.querySelector(".cp-pager");
    var methodology = root.getAttribute("data-methodology");
    var state = {sort: "updated", desc: true, page: 0};
    var data, rows;

    loadIndex(root.getAttribute("data-src"))
      .then(function (json) { data = json; prepare(); readLocation(); draw(); })
      .catch(function (error) { count.textContent = "The list of claims could not be loaded (" + error.message + ")."; });

    var shownHash = null;  // the address the table shows: an event for it changes nothing

    function prepare() {
      var parties = data.parties, ratings = data.ratings, countries = {};
      data.countries.forEach(function (c) { countries[c[0]] = c[1]; });
      // A party as the text box finds it: its name and its aliases ("HRW"), listed once in the data.
      var partyText = parties.map(function (p) { return [p[1]].concat(p[2] || []).join(" "); });
      rows = data.claims.map(function (c) {
        var accused = c[4].map(function (i) { return parties[i][1]; });
        var row = {
          id: c[0], title: c[1], status: ratings[c[2]], statusIndex: c[2], claimant: parties[c[3]][1],
          claimantId: parties[c[3]][0], accused: accused.join(", "),
          accusedIds: c[5].map(function (i) { return parties[i][0]; }),
          country: countries[c[6]], countryId: c[6], location: c[10] || "",
          categoryIds: c[7].map(function (i) { return data.categories[i][0]; }),
          incident: c[8], year: c[8].slice(0, 4), updated: c[9]
        };
        row.text = fold([row.title, partyText[c[3]]].concat(c[4].map(function (i) { return partyText[i]; }),
                                                            [row.location, row.country, row.id]).join(" "));
        return row;
      });
      var used = function (key) {
        var seen = {};
        rows.forEach(function (r) { [].concat(r[key]).forEach(function (v) { seen[v] = true; }); });
        return seen;
      };
      var byName = function (a, b) { return a[1].localeCompare(b[1]); };
      var accusedUsed = used("accusedIds"), claimantUsed = used("claimantId");
      fill("status", ratings.map(function (r) { return [r[0], r[1]]; }));
      fill("accused", parties.filter(function (p) { return accusedUsed[p[0]]; }).slice().sort(byName));
      fill("claimant", parties.filter(function (p) { return claimantUsed[p[0]]; }).slice().sort(byName));
      fill("country", data.countries.slice().sort(byName));
      fill("category", data.categories.slice().sort(byName));
      var years = Object.keys(used("year")).sort().reverse();
      fill("year", years.map(function (y) { return [y, y]; }));
      fill("sort", sortOptions());
      form.addEventListener("input", function (event) {
        if (event.target.name === "sort") {
          var choice = event.target.value.split(":");
          state.sort = choice[0];
          state.desc = choice[1] === "desc";
        }
        state.page = 0;
        // Typing replaces the address rather than adding to the history: Back does not undo a letter at a time.
        writeLocation(event.target.name !== "q");
        draw();
      });
      form.addEventListener("reset", function () {
        setTimeout(function () { state.page = 0; writeLocation(true); draw(); }, 0);
      });
      root.querySelectorAll("th[data-sort] button").forEach(function (button) {
        button.addEventListener("click", function () {
          var key = button.parentNode.getAttribute("data-sort");
          state.desc = state.sort === key ? !state.desc : descending(key);
          state.sort = key;
          state.page = 0;
          writeLocation(true);
          draw();
        });
      });
      // The address edited by hand, or Back and Forward through the table's states: show what it says.
      window.addEventListener("hashchange", followLocation);
      window.addEventListener("popstate", followLocation);
    }

    function fill(name, options) {
      var select = form.elements[name];
      options.forEach(function (o) {
        var option = el("option", o[1]);
        option.value = o[0];
        select.appendChild(option);
      });
    }

    function descending(key) {
      return key === "updated" || key === "incident";
    }

    // The sort as one choice, for narrow screens, where the stacked table shows no column headers.
    function sortOptions() {
      var options = [];
      root.querySelectorAll("th[data-sort]").forEach(function (th) {
        var key = th.getAttribute("data-sort"), name = th.textContent;
        var ways = descending(key) ? [["desc", "newest first"], ["asc", "oldest first"]]
          : key === "status" ? [["asc", "in the scale's order"], ["desc", "in reverse order"]]
          : [["asc", "A to Z"], ["desc", "Z to A"]];
        ways.forEach(function (way) { options.push([key + ":" + way[0], name + ", " + way[1]]); });
      });
      return options;
    }

    function sortable(key) {
      return !!root.querySelector('th[data-sort="' + key + '"]');
    }

    // The whole state lives in the address (#status=confirmed&q=...&sort=title&order=asc&page=2), so a
    // view can be shared, kept on reload, and reached again with Back; defaults are left out.
    function locationHash() {
      var params = new URLSearchParams();
      FILTERS.forEach(function (name) {
        if (form.elements[name].value) params.set(name, form.elements[name].value);
      });
      if (state.sort !== DEFAULT_SORT || !state.desc) {
        params.set("sort", state.sort);
        params.set("order", state.desc ? "desc" : "asc");
      }
      if (state.page > 0) params.set("page", String(state.page + 1));
      var hash = params.toString();
      return hash ? "#" + hash : "";
    }

    function readLocation() {
      var params = new URLSearchParams(location.hash.slice(1));
      FILTERS.forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
      var sort = params.get("sort");
      state.sort = sort && sortable(sort) ? sort : DEFAULT_SORT;
      var order = params.get("order");
      state.desc = order === "asc" ? false : order === "desc" ? true : descending(state.sort);
      var page = parseInt(params.get("page"), 10);
      state.page = page > 1 ? page - 1 : 0;
      shownHash = location.hash;
    }

    function followLocation() {
      if (location.hash === shownHash) return;
      readLocation();
      draw();
    }

    function writeLocation(push) {
      var hash = locationHash();
      shownHash = hash;
      if (hash === location.hash) return;
      var address = hash || location.pathname + location.search;
      if (push) history.pushState(null, "", address);
      else history.replaceState(null, "", address);
    }

    function matching() {
      var f = form.elements, words = fold(f.q.value).split(/\s+/).filter(Boolean);
      return rows.filter(function (r) {
        return (!f.status.value || r.status[0] === f.status.value) &&
          (!f.accused.value || r.accusedIds.indexOf(f.accused.value) !== -1) &&
          (!f.claimant.value || r.claimantId === f.claimant.value) &&
          (!f.country.value || r.countryId === f.country.value) &&
          (!f.category.value || r.categoryIds.indexOf(f.category.value) !== -1) &&
          (!f.year.value || r.year === f.year.value) &&
          words.every(function (word) { return r.text.indexOf(word) !== -1; });
      });
    }

    function compare(a, b, collator) {
      if (state.sort === "status") return a.statusIndex - b.statusIndex;
      if (state.sort === "where") return collator.compare(a.country, b.country) || collator.compare(a.location, b.location);
      return collator.compare(a[state.sort], b[state.sort]);
    }

    // After Previous or Next, the reader is taken to the top of the new page of claims, and so is focus.
    function showTop() {
      var table = root.querySelector(".cp-all-table");
      count.scrollIntoView({block: "start"});
      table.focus({preventScroll: true});
    }

    function draw() {
      var found = matching();
      var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
      found.sort(function (a, b) {
        var order = compare(a, b, collator);
        return (state.desc ? -order : order) || collator.compare(a.id, b.id);
      });
      var label = {};  // each column's name, for its cells on narrow screens
      root.querySelectorAll("th[data-sort]").forEach(function (th) {
        var key = th.getAttribute("data-sort");
        label[key] = th.textContent;
        th.setAttribute("aria-sort", key === state.sort ? (state.desc ? "descending" : "ascending") : "none");
      });
      form.elements.sort.value = state.sort + ":" + (state.desc ? "desc" : "asc");
      var pages = Math.max(1, Math.ceil(found.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      var shown = found.slice(state.page * PAGE, (state.page + 1) * PAGE);
      body.textContent = "";
      shown.forEach(function (r) {
        var tr = el("tr");
        tr.setAttribute("role", "row");
        var title = labelled(el("td", null, "cp-title")), link = el("a", r.title);
        link.href = r.id + "/";
        title.appendChild(link);
        var status = labelled(el("td", null, "cp-status")), badge = el("a", r.status[1], "cp-badge");
        badge.href = methodology + "#rating-" + r.status[0];
        badge.style.setProperty("--cp-badge", r.status[2]);
        badge.style.setProperty("--cp-badge-text", r.status[3]);
        status.appendChild(badge);
        var place = r.location ? r.location + ", " + r.country : r.country;
        // A place written with no space for 25 characters may break anywhere (claimpress.css): only then,
        // since breaking anywhere changes how the columns share the width.
        var where = labelled(el("td", place, /\S{25}/.test(place) ? "cp-long" : null), label.where);
        tr.append(title, status, labelled(el("td", r.claimant), label.claimant),
                  labelled(el("td", r.accused), label.accused), where,
                  dateCell(r.incident, label.incident), dateCell(r.updated, label.updated));
        body.appendChild(tr);
      });
      count.textContent = found.length === rows.length
        ? rows.length + " claims"
        : found.length + " of " + rows.length + " claims match";
      var words = form.elements.q.value.trim();
      if (!found.length && words) {
        // The table's text filter reads titles, parties, places and countries: the site's search reads the rest.
        var more = el("a", "search the claims' full text for \u201c" + words + "\u201d");
        more.href = root.getAttribute("data-search") + "?q=" + encodeURIComponent(words);
        count.append(" in titles, parties, places and countries; ", more, ".");
      }
      pager.textContent = "";
      if (pages > 1) {
        var prev = el("button", "Previous"), next = el("button", "Next");
        prev.type = next.type = "button";
        prev.disabled = state.page === 0;
        next.disabled = state.page === pages - 1;
        prev.addEventListener("click", function () { state.page -= 1; writeLocation(true); draw(); showTop(); });
        next.addEventListener("click", function () { state.page += 1; writeLocation(true); draw(); showTop(); });
        pager.append(prev, el("span", " Page " + (state.page + 1) + " of " + pages + " "), next);
      }
    }
  }

  function init() {
    document.querySelectorAll(".cp-all").forEach(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
