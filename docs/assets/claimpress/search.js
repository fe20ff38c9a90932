// The search page: Pagefind's own UI over the index the build writes to pagefind/. The query
// lives in the address (?q=), so the header's search form, links and the back button work.
// A large site is indexed in parts (pagefind-2/, pagefind-3/, ...: claimpress/mkdocs_hooks.py);
// pagefind/claimpress-parts.json lists them, and Pagefind searches them all as one index.
(function () {
  "use strict";
  var box = document.getElementById("cp-search");
  var script = document.querySelector("script[src$='pagefind/pagefind-ui.js']");
  if (!box || !script || typeof PagefindUI === "undefined") return;
  var bundle = new URL(".", script.src);
  var api = new URL("pagefind-api/", document.currentScript.src).pathname;

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
    // Named by a <label> of its own (search.md): Pagefind's box has only a title.
    var input = box.querySelector(".pagefind-ui__search-input");
    if (input) input.id = "cp-search-input";
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
