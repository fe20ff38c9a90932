/* The all-claims table: loads data/claims-index.json, then sorts, filters and pages it in the
 * browser, with no server. Rows are built with textContent only: no claim text is ever parsed as
 * HTML. The data, the filters and the address are claims-data.js', shared with the map. Loaded by
 * All claims' page itself (templates/all-claims.md.j2), after claims-data.js; a table is started once
 * (a fork's mkdocs.yml may still list this script in extra_javascript, as it once did). */
(function () {
  "use strict";
  var PAGE = 50;
  var DEFAULT_SORT = "updated";
  var shared = window.claimpressData, el = shared.el, t = shared.t, tn = shared.tn;

  // A cell says what it holds where the table is stacked on a narrow screen and its header is hidden
  // (claimpress.css); the roles keep it a table to screen readers whatever its CSS display.
  function labelled(cell, label) {
    cell.setAttribute("role", "cell");
    if (label) cell.setAttribute("data-label", label);
    return cell;
  }

  // A cell with a date as the claim pages write it, the ISO form kept in <time datetime> for machines.
  function dateCell(iso, label) {
    var cell = labelled(el("td"), label);
    cell.appendChild(shared.timeOf(iso));
    return cell;
  }

  function start(root) {
    root.querySelector(".cp-all-app").hidden = false;  // hidden in the page for readers without scripts
    var form = root.querySelector(".cp-filters");
    var body = root.querySelector("tbody");
    var count = root.querySelector(".cp-count");
    var pager = root.querySelector(".cp-pager");
    var methodology = root.getAttribute("data-methodology");
    var originals = root.getAttribute("data-originals");  // in another site language: the default's claims/
    var state = {sort: "updated", desc: true, page: 0};
    var data, rows;

    shared.loadIndex(root.getAttribute("data-src"))
      .then(function (json) { data = json; prepare(); readLocation(); draw(); })
      .catch(function (error) { count.textContent = t("The list of claims could not be loaded (%(error)s).", {error: error.message}); });

    var shownHash = null;  // the address the table shows: an event for it changes nothing

    function prepare() {
      rows = shared.prepare(data);
      shared.fillForm(form, data, rows);
      shared.fill(form, "sort", sortOptions());
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
      shared.follow(function () { return shownHash; }, function () { readLocation(); draw(); });
    }

    function descending(key) {
      return key === "updated" || key === "incident";
    }

    // The sort as one choice, for narrow screens, where the stacked table shows no column headers.
    function sortOptions() {
      var options = [];
      root.querySelectorAll("th[data-sort]").forEach(function (th) {
        var key = th.getAttribute("data-sort"), name = th.textContent;
        var ways = descending(key) ? [["desc", t("newest first")], ["asc", t("oldest first")]]
          : key === "status" ? [["asc", t("in the scale's order")], ["desc", t("in reverse order")]]
          : [["asc", t("A to Z")], ["desc", t("Z to A")]];
        ways.forEach(function (way) {
          options.push([key + ":" + way[0], t("%(column)s, %(order)s", {column: name, order: way[1]})]);
        });
      });
      return options;
    }

    function sortable(key) {
      return !!root.querySelector('th[data-sort="' + key + '"]');
    }

    // The whole state lives in the address (#status=confirmed&q=...&sort=title&order=asc&page=2), so a
    // view can be shared, kept on reload, and reached again with Back; defaults are left out.
    function locationHash() {
      var extra = [];
      if (state.sort !== DEFAULT_SORT || !state.desc) extra.push(["sort", state.sort], ["order", state.desc ? "desc" : "asc"]);
      if (state.page > 0) extra.push(["page", String(state.page + 1)]);
      return shared.hashOf(form, extra);
    }

    function readLocation() {
      var params = shared.params();
      shared.readFilters(form, params);
      var sort = params.get("sort");
      state.sort = sort && sortable(sort) ? sort : DEFAULT_SORT;
      var order = params.get("order");
      state.desc = order === "asc" ? false : order === "desc" ? true : descending(state.sort);
      var page = parseInt(params.get("page"), 10);
      state.page = page > 1 ? page - 1 : 0;
      shownHash = location.hash;
    }

    function writeLocation(push) {
      shownHash = locationHash();
      shared.writeHash(shownHash, push);
    }

    function matching() {
      return rows.filter(shared.matcher(form, rows));
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
      // The same claims on the map: the filters go with the link (not the sort nor the page).
      var toMap = root.querySelector(".cp-to-map");
      if (toMap) toMap.href = toMap.getAttribute("data-href") + shared.hashOf(form);
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
        var title = labelled(el("td", null, "cp-title"));
        title.appendChild(shared.titleLink(r, "", originals));
        var status = labelled(el("td", null, "cp-status"));
        status.appendChild(shared.badge(r.status, methodology));
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
        ? tn("%(num)s claim", "%(num)s claims", rows.length)
        : tn("%(found)s of %(num)s claim match", "%(found)s of %(num)s claims match", rows.length,
             {found: shared.number(found.length)});
      var words = form.elements.q.value.trim();
      if (!found.length && words) {
        // The table's text filter reads titles, parties, places and countries: the site's search reads the rest.
        var more = el("a", t("search the claims' full text for \u201c%(words)s\u201d", {words: words}));
        more.href = root.getAttribute("data-search") + "?q=" + encodeURIComponent(words);
        var around = t("in titles, parties, places and countries; %(search)s.").split("%(search)s");
        count.append(" " + around[0], more, around[1] || "");
      }
      pager.textContent = "";
      if (pages > 1) {
        var prev = el("button", t("Previous")), next = el("button", t("Next"));
        prev.type = next.type = "button";
        prev.disabled = state.page === 0;
        next.disabled = state.page === pages - 1;
        prev.addEventListener("click", function () { state.page -= 1; writeLocation(true); draw(); showTop(); });
        next.addEventListener("click", function () { state.page += 1; writeLocation(true); draw(); showTop(); });
        pager.append(prev, el("span", " " + t("Page %(page)s of %(pages)s", {page: shared.number(state.page + 1), pages: shared.number(pages)}) + " "), next);
      }
    }
  }

  function init() {
    document.querySelectorAll(".cp-all:not([data-cp-started])").forEach(function (root) {
      root.setAttribute("data-cp-started", "");
      start(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
