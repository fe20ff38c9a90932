// Pagefind's search API, as the search page's UI imports it (search.js gives this folder as its
// bundlePath), with filters and their values in order: Pagefind lists a merged search's values in
// the order it meets them in its indexes (the search page merges the bundle's other languages'
// when searching every language), one index's by code point.
// And a search waits for the filters: the UI asks for them (filters()) without waiting before its
// first search, and an index that has not loaded them counts none (seen in Chromium 156.0.8078.114).
// And every filter name and value is handed to the UI as HTML-escaped text: Pagefind's UI puts them
// into the page with innerHTML, so a category named '<img src=x onerror=...>' ran its script on every
// search. The UI gives the escaped values back when it searches; they are turned back here.
// And each result says which language's index it came from (data().claimpress_language), and, when the
// search page searches its own language only (window.claimpressSearchOnly, set by search.js), the
// results of any other are left out: a bundle without an index of the page's language gives the
// results of its largest language in its place (Pagefind's choice of an index). Each search
// then tells how many results it found (the event "claimpress:searched"), for search.js's offer to
// search every language.
// Everything else is Pagefind's own (it finds its bundle from its own address, ../../../pagefind/).
import * as pagefind from "../../../pagefind/pagefind.js";

export * from "../../../pagefind/pagefind.js";

// One index's order: by code point, as Pagefind sorts them (String's sort compares UTF-16 units,
// which puts a character beyond U+FFFF before U+FF21). Values that look like whole numbers
// (years) come first in any JavaScript object, in numeric order, in one index as here.
function byCodePoint(a, b) {
  var i = 0;
  var j = 0;
  while (i < a.length && j < b.length) {
    var x = a.codePointAt(i);
    var y = b.codePointAt(j);
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return i < a.length ? 1 : j < b.length ? -1 : 0;
}

var RAW = new Map(); // escaped text -> the name or value Pagefind knows

function escaped(text) {
  var safe = String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  RAW.set(safe, text);
  return safe;
}

function raw(value) {
  if (typeof value === "string") return RAW.has(value) ? RAW.get(value) : value;
  if (Array.isArray(value)) return value.map(raw);
  if (value && typeof value === "object") {
    var out = Object.create(null);
    Object.keys(value).forEach(function (key) { out[raw(key)] = raw(value[key]); });
    return out;
  }
  return value;
}

function withRawFilters(options) {
  if (!options || !options.filters) return options;
  var copy = Object.assign({}, options);
  copy.filters = raw(options.filters);
  return copy;
}

function inOrder(object, each) {
  if (!object || typeof object !== "object") return object;
  var ordered = Object.create(null); // a value named "__proto__" is a value like any other
  Object.keys(object).sort(byCodePoint).forEach(function (key) { ordered[escaped(key)] = each(object[key]); });
  return ordered;
}

function filtersInOrder(filters) {
  return inOrder(filters, function (values) { return inOrder(values, function (count) { return count; }); });
}

function withFiltersInOrder(result) {
  if (result && typeof result === "object") {
    result.filters = filtersInOrder(result.filters);
    result.totalFilters = filtersInOrder(result.totalFilters);
  }
  return result;
}

export async function filters() {
  return filtersInOrder(await pagefind.filters());
}

// Asked once, before the first search (the UI merges every index it is given before it searches),
// not at every keystroke: each index keeps what it loaded. If they cannot be loaded, searches go on without them,
// as before this wait, and the next search asks again.
var everyPartsFilters = null;

function filtersLoaded() {
  if (!everyPartsFilters) {
    everyPartsFilters = pagefind.filters().catch(function () { everyPartsFilters = null; });
  }
  return everyPartsFilters;
}

// A result's id is the name of its page's file in the bundle: <language>_<digest> (Pagefind 1.5).
function languageOf(result) {
  var id = result && typeof result.id === "string" ? result.id : "";
  var cut = id.lastIndexOf("_");
  return cut > 0 ? id.slice(0, cut) : null;
}

function inLanguages(found, term) {
  if (!found || !Array.isArray(found.results)) return found;
  var only = window.claimpressSearchOnly;
  if (Array.isArray(only)) {
    found.results = found.results.filter(function (result) {
      var language = languageOf(result);
      return language === null || only.indexOf(language) >= 0; // no language known (another format): kept
    });
  }
  found.results.forEach(function (result) {
    var language = languageOf(result), data = result.data;
    if (typeof data !== "function") return;
    result.data = async function () { return Object.assign({}, await data(), { claimpress_language: language }); };
  });
  window.dispatchEvent(new CustomEvent("claimpress:searched", { detail: { term: term, count: found.results.length } }));
  return found;
}

export async function search(term, options) {
  await filtersLoaded();
  return withFiltersInOrder(inLanguages(await pagefind.search(term, withRawFilters(options)), term));
}

export async function debouncedSearch(term, options, timeout) {
  await filtersLoaded();
  return withFiltersInOrder(inLanguages(await pagefind.debouncedSearch(term, withRawFilters(options), timeout), term));
}
