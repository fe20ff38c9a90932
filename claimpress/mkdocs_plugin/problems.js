/* The preview's notice of the claims' errors (build_claims.py serve only; never in a built site).
 * Reads problems.json beside this script, which the preview rewrites when the errors change (and
 * MkDocs then reloads the page), and lists each error at the top of the page. The text comes from
 * files anyone can send in a pull request: it is set with textContent only, never parsed as HTML.
 * Hidden with its button or Escape, it is back at the next reload while the errors remain. */
(function () {
  "use strict";
  var SHOWN = 50;  // a longer list is in the terminal
  var ID = "cp-preview-problems";
  var STYLE = [
    "#" + ID + "{box-sizing:border-box;margin:0;padding:12px 16px;border-bottom:4px solid #a4161a;",
    "background:#fff1f0;color:#1b1b1b;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
    "overflow-wrap:anywhere}",
    "#" + ID + " h2{margin:0 0 4px;font-size:18px;font-weight:700;color:#1b1b1b}",
    "#" + ID + " p{margin:0 0 8px}",
    "#" + ID + " ol{margin:0 0 8px;padding-inline-start:24px}",
    "#" + ID + " li{margin:0 0 6px}",
    "#" + ID + " code{font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#1b1b1b;",
    "background:#ffd9d6;padding:0 3px;border-radius:3px}",
    "#" + ID + " .cp-hint{display:block;color:#4a1d1d}",
    "#" + ID + " button{font:inherit;color:#fff;background:#a4161a;border:0;border-radius:4px;",
    "padding:6px 12px;cursor:pointer}",
    "#" + ID + " button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}"
  ].join("");

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function where(error) {
    return error.path + (error.line ? ":" + error.line + (error.column ? ":" + error.column : "") : "");
  }

  function hide(notice) {
    notice.remove();
    var main = document.querySelector("main, [role=main]") || document.body;
    if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
    main.focus();  // not lost on a removed element: on with the page
  }

  function show(state) {
    var errors = state && Array.isArray(state.errors) ? state.errors : [];
    if (!errors.length || document.getElementById(ID)) return;
    var style = el("style", STYLE);
    document.head.appendChild(style);
    var notice = el("section");
    notice.id = ID;
    notice.setAttribute("aria-labelledby", ID + "-title");
    var count = errors.length === 1 ? "1 error" : errors.length + " errors";
    notice.appendChild(el("h2", "The claims have " + count)).id = ID + "-title";
    // Said at once by screen readers; the list is theirs to read in the region.
    notice.appendChild(el("p", "This preview shows the last site built without errors. Fix " +
      (errors.length === 1 ? "it" : "them") + " and save: this notice goes when the new pages are in.")
    ).setAttribute("role", "alert");
    var list = el("ol");
    errors.slice(0, SHOWN).forEach(function (error) {
      var item = el("li");
      item.appendChild(el("code", where(error)));
      item.appendChild(document.createTextNode(" " + error.message));
      if (error.hint) item.appendChild(el("span", error.hint)).className = "cp-hint";
      list.appendChild(item);
    });
    notice.appendChild(list);
    if (errors.length > SHOWN) notice.appendChild(el("p", "And " + (errors.length - SHOWN) + " more: see the terminal."));
    var close = el("button", "Hide until the next reload");
    close.type = "button";
    close.addEventListener("click", function () { hide(notice); });
    notice.appendChild(close);
    notice.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide(notice);
    });
    document.body.insertBefore(notice, document.body.firstChild);  // first: before the skip link and header
  }

  var url = new URL("problems.json", document.currentScript.src);
  fetch(url, {cache: "no-store"})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(show)
    .catch(function () { /* the preview is stopping: nothing to show */ });
})();
