// The search page: Pagefind's own UI over the index the build writes to pagefind/. The query
// lives in the address (?q=), so the header's search form, links and the back button work.
// A large site is indexed in parts (pagefind-2/, pagefind-3/, ...: claimpress/mkdocs_hooks.py);
// pagefind/claimpress-parts.json lists them, and Pagefind searches them all as one index.
(function () {
  "use strict";
  var box = document.getElementById("cp-search");
  var script = document.querySelector("script[src$='pagefind/pagefind-ui.js']");
  if (box && location.protocol === "file:") return fromDisk();
  if (!box || !script || typeof PagefindUI === "undefined") return;
  var bundle = new URL(".", script.src);
  var api = new URL("pagefind-api/", document.currentScript.src).pathname;
  var header = document.querySelector(".cp-header-search input[name=q]");

  // The interface's texts in the page's language: the messages that claims-data.js reads too
  // (window.claimpressMessages, set by the build's messages script of the language; none for English).
  function t(text) {
    var found = (window.claimpressMessages || {})[text];
    return typeof found === "string" ? found : text;
  }

  // What each result is: a claim, with its status (Pagefind metadata from the claim page, whose
  // template puts it there), or a page that is not a claim. Pagefind's UI would list the metadata as
  // "Status_color: #..." lines: it is taken out of what the UI shows and drawn here, as text.
  var kinds = new Map(); // a result's address -> {status, color, text}
  var COLOUR = /^#[0-9a-fA-F]{6}$/;

  function processResult(result) {
    var meta = Object.assign({}, result.meta);
    kinds.set(meta.url || result.url, { status: meta.status, color: meta.status_color, text: meta.status_text });
    delete meta.status;
    delete meta.status_color;
    delete meta.status_text;
    return Object.assign({}, result, { meta: meta }); // a copy: Pagefind may hand the same data again
  }

  // The badge (or "Page") after each result's title; the UI may reuse an item for another result.
  function markResults() {
    box.querySelectorAll(".pagefind-ui__result-link").forEach(function (link) {
      var href = link.getAttribute("href");
      var kind = kinds.get(href);
      var label = link.parentNode.querySelector(".cp-result-kind");
      if (!kind || (label && label.getAttribute("data-for") === href)) return;
      if (!label) {
        label = document.createElement("span");
        link.parentNode.appendChild(label);
      }
      label.setAttribute("data-for", href);
      label.textContent = kind.status || t("Page");
      label.className = "cp-result-kind " + (kind.status ? "cp-badge" : "cp-result-page");
      label.removeAttribute("style");
      if (kind.status && COLOUR.test(kind.color) && COLOUR.test(kind.text)) {
        label.style.setProperty("--cp-badge", kind.color);
        label.style.setProperty("--cp-badge-text", kind.text);
      }
    });
  }

  // A page opened from disk (file://): browsers refuse the index's requests there, and Pagefind would
  // say "Searching for ..." for ever. The page's own message says so at once, with the command that
  // serves this very folder (this script is in its assets/claimpress/) and the address to search then.
  function fromDisk() {
    var note = document.querySelector(".cp-search-from-disk");
    if (!note) return;
    var site = decodeURIComponent(new URL("../../", document.currentScript.src).pathname).replace(/\/$/, "");
    var windows = /^\/[A-Za-z]:/.test(site);  // file:///C:/Users/... is the folder C:\Users\...
    var folder = windows ? site.slice(1).replace(/\//g, "\\") : site;
    var quoted = /^[\w\/\\.:-]+$/.test(folder) ? folder
      : windows ? '"' + folder + '"' : "'" + folder.replace(/'/g, "'\\''") + "'";
    note.querySelector(".cp-serve-command").textContent =
      (windows ? "python" : "python3") + " -m http.server -d " + quoted;
    var query = new URLSearchParams(location.search).get("q");
    var address = note.querySelector(".cp-serve-address");
    address.href = "http://127.0.0.1:8000/search/" + (query ? "?q=" + encodeURIComponent(query) : "");
    address.textContent = address.href;
    note.hidden = false;
  }

  function start(parts) {
    var ui = new PagefindUI({
      element: "#cp-search",
      // Pagefind's API with each filter's values in order, however many parts: pagefind-api/pagefind.js
      bundlePath: api,
      mergeIndex: parts.map(function (path) { return { bundlePath: new URL(path, bundle).pathname }; }),
      showSubResults: true,
      showImages: false,
      autofocus: true,
      translations: { placeholder: t("Search claims, parties, places, evidence") },
      processResult: processResult,
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
        if (header && document.activeElement !== header) header.value = term; // the header's box says it too
        return term;
      }
    });
    // Named by a <label> of its own (search.md): Pagefind's box has only a title.
    var input = box.querySelector(".pagefind-ui__search-input");
    if (input) input.id = "cp-search-input";
    new MutationObserver(markResults).observe(box, { childList: true, subtree: true, attributes: true,
                                                      attributeFilter: ["href"] });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  // Without the list (a site indexed before parts existed, or the preview still indexing), the
  // first bundle alone is searched. Asked of the server each time: it changes with every build.
  fetch(new URL("claimpress-parts.json", bundle), { cache: "no-cache" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (list) { return list && Array.isArray(list.merge) ? list.merge : []; })
    .catch(function () { return []; })
    .then(start);
})();
