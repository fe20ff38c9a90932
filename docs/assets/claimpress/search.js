// The search page: Pagefind's own UI over the index the build writes to pagefind/. The query
// lives in the address (?q=), so the header's search form, links and the back button work.
// (A large site is indexed in parts, which the build merges into that one bundle: claimpress/search/merge.py.)
// Pagefind makes an index for each language (each page's <html lang>) and searches the one of the page
// it runs on: this page's language, the reader's (each site language has its search page, <tag>/search/,
// which the header's box of its pages leads to). When that finds few results, the page offers to search
// every language (?languages=all: the other languages' indexes merged), each result in another language
// marked with its own lang and dir and named in its language.
(function () {
  "use strict";
  var box = document.getElementById("cp-search");
  var script = document.querySelector("script[src$='pagefind/pagefind-ui.js']");
  if (box && location.protocol === "file:") return fromDisk();
  if (!box || !script || typeof PagefindUI === "undefined") return;
  var bundle = new URL(".", script.src);
  var api = new URL("pagefind-api/", document.currentScript.src).pathname;
  var header = document.querySelector(".cp-header-search input[name=q]");
  // The page's language as Pagefind takes it, to choose its index; compared only, never shown.
  var reader = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
  var everywhere = new URLSearchParams(location.search).get("languages") === "all";
  var FEW = 3; // results in the page's language below which the page offers every language
  var TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

  // The interface's texts in the page's language: the messages that claims-data.js reads too
  // (window.claimpressMessages, set by the build's messages script of the language; none for English).
  function t(text) {
    var found = (window.claimpressMessages || {})[text];
    return typeof found === "string" ? found : text;
  }

  // An index of the reader's language: the page's tag, or its language without region or script (as
  // Pagefind looks for one).
  function own(key) {
    return key === reader || key === reader.split("-")[0];
  }

  // The index Pagefind loads for a page in `wanted` from a bundle with `counts` (language -> pages):
  // that language's, else its language's without region, else the largest (Pagefind 1.5's findIndex).
  function chosen(counts, wanted) {
    var has = function (key) { return Object.prototype.hasOwnProperty.call(counts, key); };
    if (has(wanted)) return wanted;
    if (has(wanted.split("-")[0])) return wanted.split("-")[0];
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0];
  }

  // What the search page merges with the bundle that Pagefind's own script loads: nothing, unless
  // searching every language: then the bundle's index of every other language, each once.
  function merged(list) {
    var counts = list.languages;
    if (!everywhere || !counts) return [];
    var first = chosen(counts, reader);
    // pagefind/ again, by another address: Pagefind skips merging the address of its own bundle.
    var again = new URL(".", bundle).pathname + "./";
    return Object.keys(counts).sort().filter(function (key) { return key !== first; })
      .map(function (key) { return { bundlePath: again, language: key }; });
  }

  // Every language with an index, and the languages' own names and directions (the build's, from the
  // bundles it made): checked, as they go into attributes.
  function languagesOf(list) {
    var names = {}, others = false;
    var given = list.names && typeof list.names === "object" ? list.names : {};
    Object.keys(given).forEach(function (key) {
      var one = given[key];
      if (one && TAG.test(one.tag) && (one.dir === "ltr" || one.dir === "rtl") && typeof one.name === "string") {
        names[key] = { tag: one.tag, dir: one.dir, name: one.name };
      }
    });
    Object.keys(list.languages || {}).forEach(function (key) { others = others || !own(key); });
    return { names: names, others: others };
  }

  // What each result is: a claim, with its status (Pagefind metadata from the claim page, whose
  // template puts it there), or a page that is not a claim. Pagefind's UI would list the metadata as
  // "Status_color: #..." lines: it is taken out of what the UI shows and drawn here, as text.
  var kinds = new Map(); // a result's address -> {status, color, text, language}
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  var known = { names: {}, others: false };

  function processResult(result) {
    var meta = Object.assign({}, result.meta);
    kinds.set(meta.url || result.url, { status: meta.status, color: meta.status_color, text: meta.status_text,
                                        language: result.claimpress_language });
    delete meta.status;
    delete meta.status_color;
    delete meta.status_text;
    return Object.assign({}, result, { meta: meta }); // a copy: Pagefind may hand the same data again
  }

  // A result in another language than the page's: the item in that language and direction, and a
  // label naming it, in that language. Only changed where it differs: the observer sees each change.
  function markLanguage(link, kind) {
    var item = link.closest(".pagefind-ui__result");
    var other = kind && kind.language && !own(kind.language) ? known.names[kind.language] : null;
    var label = link.parentNode.querySelector(".cp-result-language");
    if (!item) return;
    [["lang", other && other.tag], ["dir", other && other.dir]].forEach(function (pair) {
      if (!pair[1]) { if (item.hasAttribute(pair[0])) item.removeAttribute(pair[0]); }
      else if (item.getAttribute(pair[0]) !== pair[1]) item.setAttribute(pair[0], pair[1]);
    });
    if (!other) { if (label) label.remove(); return; }
    if (!label) {
      label = document.createElement("span");
      label.className = "cp-result-language";
      link.parentNode.appendChild(label);
    }
    if (label.getAttribute("lang") !== other.tag) label.setAttribute("lang", other.tag);
    if (label.textContent !== other.name) label.textContent = other.name;
  }

  // The badge (or "Page") after each result's title; the UI may reuse an item for another result.
  function markResults() {
    box.querySelectorAll(".pagefind-ui__result-link").forEach(function (link) {
      if (link.closest(".pagefind-ui__result-nested")) return; // a section of a result: the result says it
      var href = link.getAttribute("href");
      var kind = kinds.get(href);
      markLanguage(link, kind);
      var label = link.parentNode.querySelector(".cp-result-kind");
      if (!kind || (label && label.getAttribute("data-for") === href)) return;
      if (!label) {
        label = document.createElement("span");
        link.parentNode.appendChild(label);
      }
      label.setAttribute("data-for", href);
      label.textContent = kind.status || t("Page");
      // "Page" is in the reader's language, inside an item that may be in another
      if (kind.status) label.removeAttribute("lang"); else label.setAttribute("lang", document.documentElement.lang);
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
    // this page's folder in the site: search/, or a language's, such as ar/search/
    var root = new URL("../../", document.currentScript.src).pathname, here = new URL(".", location.href).pathname;
    var page = here.indexOf(root) === 0 ? here.slice(root.length) : "search/";
    address.href = "http://127.0.0.1:8000/" + page + (query ? "?q=" + encodeURIComponent(query) : "");
    address.textContent = address.href;
    note.hidden = false;
  }

  // Under the results: the offer to search every language when the page's finds few, or, when searching
  // every language, the way back to the page's alone. Links: the state is in the address (?languages=all).
  function offerLanguages() {
    if (!known.others) return function () {};
    var offer = document.createElement("p");
    var link = document.createElement("a");
    offer.className = "cp-search-languages";
    offer.hidden = !everywhere;
    if (everywhere) {
      offer.appendChild(document.createTextNode(t("Results in every language of the site.") + " "));
      link.textContent = t("Search in this page's language only");
    } else {
      link.textContent = t("Search in all languages");
    }
    offer.appendChild(link);
    box.parentNode.insertBefore(offer, box.nextSibling);
    function address() {
      var url = new URL(location.href);
      if (everywhere) url.searchParams.delete("languages"); else url.searchParams.set("languages", "all");
      link.href = url.href;
    }
    address();
    window.addEventListener("claimpress:searched", function (event) {
      address();
      if (!everywhere) offer.hidden = !(event.detail && event.detail.term && event.detail.count < FEW);
    });
    link.addEventListener("focus", address);
    return function (term) { if (!term && !everywhere) offer.hidden = true; }; // the box emptied: no offer
  }

  function start(list) {
    known = languagesOf(list);
    // The results of the page's language alone (pagefind-api/pagefind.js), unless every language is asked for.
    window.claimpressSearchOnly = everywhere || !list.languages ? null : [reader, reader.split("-")[0]];
    var cleared = offerLanguages();
    var ui = new PagefindUI({
      element: "#cp-search",
      // Pagefind's API with each filter's values in order, however many indexes: pagefind-api/pagefind.js
      bundlePath: api,
      mergeIndex: merged(list),
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
        cleared(term);
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

  // Without the list (the preview still indexing), the page's language alone is searched. Asked of the
  // server each time: it changes with every build.
  fetch(new URL("claimpress-languages.json", bundle), { cache: "no-cache" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (list) {
      var counts = list && list.languages;
      var valid = counts && typeof counts === "object" && !Array.isArray(counts) &&
        Object.keys(counts).every(function (key) { return typeof counts[key] === "number"; });
      return { languages: valid ? counts : null, names: list && typeof list.names === "object" ? list.names : {} };
    })
    .catch(function () { return { languages: null, names: {} }; })
    .then(start);
})();
