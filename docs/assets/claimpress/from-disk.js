/* A site opened from disk (file://). Its pages' addresses end in "/" (claims/, claims/<id>/), which a
 * browser serves as the folder's index.html only over HTTP: from disk it lists the folder. So, on
 * file: only, every link and form that leads to a folder is made to lead to its index.html, those
 * drawn later too (the all-claims table's rows). Served, this does nothing: the published addresses
 * stay as they are. Loaded on every page by mkdocs.yml. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var LEADS = "a[href], area[href], form[action]";

  function toIndex(element) {
    var name = element.tagName === "FORM" ? "action" : "href";
    var url;
    try { url = new URL(element.getAttribute(name), document.baseURI); } catch (error) { return; }
    if (url.protocol === "file:" && url.pathname.slice(-1) === "/") {
      url.pathname += "index.html";
      element.setAttribute(name, url.href);  // once rewritten it no longer ends in "/": no loop below
    }
  }

  function fix(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(LEADS)) toIndex(node);
    node.querySelectorAll(LEADS).forEach(toIndex);
  }

  fix(document.documentElement);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "attributes") fix(change.target);
      else change.addedNodes.forEach(fix);
    });
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                         attributeFilter: ["href", "action"]});
})();
