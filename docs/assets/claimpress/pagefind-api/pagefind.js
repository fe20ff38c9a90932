// Pagefind's search API, as the search page's UI imports it (search.js gives this folder as its
// bundlePath), with each filter's values in order. A large site is indexed in parts, and Pagefind
// merges the parts' filters in the order it meets their values: a country first found in the
// third part came last. One index lists them in order; so do the parts, here, whatever the parts.
// Everything else is Pagefind's own (its bundle is found from its own address, ../../../pagefind/).
import * as pagefind from "../../../pagefind/pagefind.js";

export * from "../../../pagefind/pagefind.js";

function inOrder(filters) {
  if (!filters || typeof filters !== "object") return filters;
  var ordered = {};
  Object.keys(filters).forEach(function (name) {
    var values = filters[name];
    if (!values || typeof values !== "object") {
      ordered[name] = values;
      return;
    }
    ordered[name] = {};
    // Code-unit order, as one index's (Pagefind sorts them as bytes); values that look like whole
    // numbers (years) come first in any JavaScript object, in numeric order, as they do in one index.
    Object.keys(values).sort().forEach(function (value) { ordered[name][value] = values[value]; });
  });
  return ordered;
}

function withOrderedFilters(result) {
  if (result && typeof result === "object") {
    result.filters = inOrder(result.filters);
    result.totalFilters = inOrder(result.totalFilters);
  }
  return result;
}

export async function filters() {
  return inOrder(await pagefind.filters());
}

export async function search(term, options) {
  return withOrderedFilters(await pagefind.search(term, options));
}

export async function debouncedSearch(term, options, timeout) {
  return withOrderedFilters(await pagefind.debouncedSearch(term, options, timeout));
}
