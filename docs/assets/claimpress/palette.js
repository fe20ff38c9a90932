// The palette's switch (light or dark) on a page without the theme's script (the search page:
// overrides/claimpress/search.html). As the theme's does: the switch shows the label of the option
// in use, which leads to the next; a choice is kept where the theme keeps it (__md_set, defined by
// the theme's inline script in every page's head), so every page shows it, and this page applied
// it as it loaded (the theme's inline palette script).
(function () {
  "use strict";
  var form = document.querySelector("form[data-md-component=palette]");
  if (!form || typeof __md_get !== "function") return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
  if (!inputs.length) return;
  var KEYS = ["media", "scheme", "primary", "accent"];

  function show(input) {
    Array.prototype.forEach.call(form.querySelectorAll("label"), function (label) {
      label.hidden = label.previousElementSibling !== input;
    });
  }

  function apply(input) {
    var color = {};
    KEYS.forEach(function (key) {
      color[key] = input.getAttribute("data-md-color-" + key);
      if (key !== "media") document.body.setAttribute("data-md-color-" + key, color[key]);
    });
    show(input);
    return color;
  }

  var saved = __md_get("__palette");
  var index = saved && typeof saved.index === "number" ? saved.index : inputs.findIndex(function (input) {
    var media = input.getAttribute("data-md-color-media");
    return media && matchMedia(media).matches;
  });
  var current = inputs[Math.max(0, Math.min(index, inputs.length - 1))];
  current.checked = true;
  apply(current);  // as the theme does: the option in use, the reader's or the one their system's setting matches
  inputs.forEach(function (input, i) {
    input.addEventListener("change", function () {
      __md_set("__palette", { index: i, color: apply(input) });
    });
  });
})();
