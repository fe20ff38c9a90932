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
      translations: { placeholder: "Search claims, parties, places, evidence" },
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
        return term;
      }
    });
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
