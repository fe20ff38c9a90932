// The search page: Pagefind's own UI over the index the build writes to pagefind/. The query
// lives in the address (?q=), so the header's search form, links and the back button work.
(function () {
  "use strict";
  var box = document.getElementById("cp-search");
  if (!box || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#cp-search",
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
})();
