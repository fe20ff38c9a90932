/* The incident map (map/): every claim with a position, coloured by its status, on a base map that ships
 * with the site (Natural Earth's countries from assets/vendor/world-atlas, drawn as vector layers by
 * MapLibre GL JS, vendored too; the 1:110m shapes first, the 1:50m ones once the reader zooms in): nothing is fetched from another host, and no text is drawn by WebGL, so
 * no glyphs are needed. Points are clustered in MapLibre's worker; what the reader can reach (points,
 * clusters, the claims in view) is HTML buttons and links, built with textContent only. The filters and
 * the address are All claims' (claims-data.js). The root, .cp-map, says how far it got in data-state:
 * loading, ready (the first frame with the claims drawn), no-webgl or error. Loaded by the map page alone,
 * near its top, without waiting for the rest of the page (async). */
(function () {
  "use strict";
  var shared, el;  // claims-data.js, run by the time the page is parsed (this script runs earlier: async)
  var PAGE = 50;                // claims listed at a time beside the map
  var MAX_ZOOM = 12;            // about 40 m a pixel: the base map has nothing finer to show
  // From this zoom (about 20 km a pixel at the equator) the 1:50m shapes; below it the 1:110m ones read as
  // well and draw sooner (a seventh of the bytes, a tenth of the points); above it they look angular.
  var DETAIL_ZOOM = 2;
  var BASE_LAYERS = ["land", "borders", "coast"];
  var CLUSTER_RADIUS = 40;      // pixels; clustered up to MAX_ZOOM itself, so claims at one place stay one cluster
  var MAX_MARKERS = 500;        // buttons on the map at once (clustering keeps it far fewer on a screen)
  var POPUP_LIST = 20;          // claims a cluster's popup lists; the list beside the map has them all
  var EARTH = 40075016.686;     // metres round the equator: the map is 512 pixels wide at zoom 0
  var COLOUR = /^#[0-9a-fA-F]{6}$/;

  function colour(status) {
    return COLOUR.test(status[2]) ? status[2] : "#757575";
  }

  // A style sheet of this site.
  function addStyle(href) {
    return new Promise(function (resolve, reject) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = resolve;
      link.onerror = function () { reject(new Error(href + " could not be loaded")); };
      document.head.appendChild(link);
    });
  }

  // The address of the base map's GeoJSON (land, borders, coasts), made by basemap-worker.js from the TopoJSON
  // the page's attribute `shapes` names.
  function baseMap(page, shapes) {
    return new Promise(function (resolve, reject) {
      var absolute = function (name) { return new URL(page.getAttribute(name), document.baseURI).href; };
      var worker = new Worker(absolute("data-basemap-worker"));
      worker.onmessage = function (event) {
        worker.terminate();
        if (event.data.error) return reject(new Error(event.data.error));
        resolve("claimpress://geojson/" + encodeURIComponent(URL.createObjectURL(event.data.base)));
      };
      worker.onerror = function (event) { reject(new Error(event.message || "the base map could not be made")); };
      worker.postMessage({topojson: absolute("data-topojson"), basemap: absolute(shapes)});
    });
  }

  // A fork's own base map, a PMTiles file (extra.claimpress.map): basemap-pmtiles.js, loaded only then, resolves
  // to what puts it into the style in place of Natural Earth's, once the file's header is read.
  function ownBaseMap(page) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = page.getAttribute("data-pmtiles-code");
      script.onload = function () { resolve(window.claimpressPmtiles(page)); };
      script.onerror = function () { reject(new Error(script.src + " could not be loaded")); };
      document.head.appendChild(script);
    });
  }

  function webgl() {
    try {
      var canvas = document.createElement("canvas");
      return !!(canvas.getContext("webgl2") || canvas.getContext("webgl"));
    } catch (error) {
      return false;
    }
  }

  // A sentence in the page's language whose values (names, places: of any script) are each isolated in a
  // <bdi>, or put in as they are (an element), so that a Latin name in Arabic text keeps its place.
  function sentence(tag, text, values, className) {
    var node = el(tag, null, className);
    text.split(/(%\(\w+\)s)/).forEach(function (part) {
      var name = /^%\((\w+)\)s$/.exec(part), value = name && values[name[1]];
      if (!name) node.append(part);
      else if (value instanceof Node) node.append(value);
      else node.append(el("bdi", String(value)));
    });
    return node;
  }

  // What the map needs, asked for as soon as this script runs, while the rest of the page loads: the data,
  // the library (whose workers then start), its style sheet and the base map. Nothing from disk (file:), where
  // browsers refuse modules, nor without WebGL: then only the list is shown (start), from claims-data.js' data.
  function begin(page) {
    if (location.protocol === "file:") return {why: "error"};
    if (!webgl()) return {why: "no-webgl"};
    var absolute = function (name) { return new URL(page.getAttribute(name), document.baseURI).href; };
    var early = {
      data: fetch(absolute("data-src")).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }),
      // import() resolves an address against this script's, not the page's: hence absolute().
      library: import(absolute("data-maplibre")).then(function (module) {
        // Its workers start now, and learn to read the page's Blobs (map-protocol.js).
        return module.importScriptInWorkers(absolute("data-map-protocol")).then(function () { return module; });
      }),
      style: addStyle(page.getAttribute("data-maplibre-css")),
      base: page.hasAttribute("data-pmtiles") ? ownBaseMap(page) : baseMap(page, "data-basemap")
    };
    // Handled once the page is parsed (start); until then a failure is not "uncaught".
    Object.keys(early).forEach(function (key) { early[key].catch(function () {}); });
    return early;
  }

  function start(page, early) {
    var app = page.querySelector(".cp-map-app");
    app.hidden = false;  // hidden in the page for readers without scripts
    var form = app.querySelector(".cp-filters");
    var count = app.querySelector(".cp-count");
    var toTable = app.querySelector(".cp-to-table");
    var root = app.querySelector(".cp-map");
    var note = app.querySelector(".cp-map-note");
    var listTitle = app.querySelector("#cp-map-list-title");
    var listCount = app.querySelector(".cp-map-list-count");
    var items = app.querySelector(".cp-map-items");
    var pager = app.querySelector(".cp-map-list .cp-pager");
    var methodology = page.getAttribute("data-methodology");
    var claimsBase = page.getAttribute("data-claims");
    var originals = page.getAttribute("data-originals");  // in another site language: the default's claims/
    var data, rows, byIncident, found = [], placed = [], inView = [];
    var kept = [];          // the table's sort, kept in the address for the way back
    var shownHash = null;   // the address the page shows: an event for it changes nothing
    var listPage = 0;
    var map = null, lib = null, generation = 0, points = null, selection = null, loaded = false, markersStale = true;
    var detail = false;     // the 1:50m base map asked for
    var mapless = false;    // no map will be drawn (from disk, no WebGL, an error): the list shows every claim placed
    var markers = {};       // key -> {marker, button}
    var popup = null, opener = null, focusNear = null;
    var own = null;         // a fork's own base map (basemap-pmtiles.js), or null: Natural Earth's

    function setState(state, message) {
      root.setAttribute("data-state", state);
      mapless = state === "no-webgl" || state === "error";
      if (message) {
        note.textContent = message;
        note.hidden = false;
      }
    }

    var ready = (early.data || shared.loadIndex(page.getAttribute("data-src"))).then(function (json) {
      data = json;
      rows = shared.prepare(data);
      // Listed newest incident first; filtering keeps this order, so a filter never sorts 50,000 rows.
      byIncident = rows.slice().sort(function (a, b) {
        return a.incident < b.incident ? 1 : a.incident > b.incident ? -1 : a.index - b.index;
      });
      shared.fillForm(form, data, rows);
      readLocation();
      match();
      form.addEventListener("input", function (event) {
        writeLocation(event.target.name !== "q");  // typing replaces the address: Back does not undo letters
        refilter();
      });
      form.addEventListener("reset", function () {
        setTimeout(function () { writeLocation(true); refilter(); }, 0);
      });
      shared.follow(function () { return shownHash; }, function () { readLocation(); refilter(); });
    });
    ready.catch(function (error) {
      count.textContent = shared.t("The list of claims could not be loaded (%(error)s).", {error: error.message});
      setState("error");
    });

    if (early.why === "error") {
      // Browsers refuse to run the map library's modules from disk; the list still works from the data script.
      setState("error", shared.t("The map needs the site served over HTTP: opened from disk, the browser refuses to " +
               "load it. The claims with a place are listed here."));
      ready.then(showAll, function () {});
    } else if (early.why === "no-webgl") {
      setState("no-webgl", shared.t("This browser cannot draw the map: it has no WebGL, or it is switched off. " +
               "The claims with a place are listed here."));
      ready.then(showAll, function () {});
    } else {
      Promise.all([early.library, early.style, early.base, ready])
        .then(function (got) { lib = got[0]; draw(got[2]); })
        .catch(function (error) {
          setState("error", shared.t("The map could not be drawn (%(error)s). The claims with a place are listed here.",
                                     {error: error.message}));
          ready.then(showAll, function () {});
          console.error(error);
        });
    }

    // --- the address ------------------------------------------------------------------------------

    function readLocation() {
      var params = shared.params();
      shared.readFilters(form, params);
      kept = ["sort", "order"].filter(function (k) { return params.get(k); }).map(function (k) { return [k, params.get(k)]; });
      shownHash = location.hash;
    }

    function writeLocation(push) {
      shownHash = shared.hashOf(form, kept);
      shared.writeHash(shownHash, push);
    }

    // --- the claims the filters let through -------------------------------------------------------

    function match() {
      var test = shared.matcher(form, rows);
      found = byIncident.filter(test);
      placed = found.filter(function (r) { return r.position; });
      var without = found.length - placed.length;
      var claims = found.length === rows.length ? shared.tn("%(num)s claim", "%(num)s claims", rows.length)
        : shared.tn("%(found)s of %(num)s claim match", "%(found)s of %(num)s claims match", rows.length,
                    {found: shared.number(found.length)});
      // (a call inside another's arguments is not extracted for the catalogue: hence the variable)
      var unplaced = without && shared.tn("%(num)s has no place on the map", "%(num)s have no place on the map", without);
      count.textContent = !without ? claims + "." : shared.t("%(claims)s; %(unplaced)s.", {claims: claims, unplaced: unplaced});
      toTable.href = toTable.getAttribute("data-href") + shared.hashOf(form, kept);
    }

    function refilter() {
      match();
      listPage = 0;
      if (map) setSource();
      else if (mapless) showAll();  // else the map, still coming, starts from these claims
    }

    // The claims on the map, as MapLibre's worker reads them (map-protocol.js): every claim with a position,
    // packed once into numbers; then, at each filter, only the rows to show. No filter builds 50,000 objects
    // or strings on this thread, nor copies them to the worker. A feature's properties: i, the row; s, the
    // status; r, the ring's radius in pixels at zoom 0 (0: none); k, the kind of point (0 exact, 1 area, 2 unknown).
    function packPoints() {
      var withPlace = rows.filter(function (r) { return r.position; });
      var values = new Float64Array(withPlace.length * 6);
      withPlace.forEach(function (r, n) {
        var p = r.position, at = n * 6;
        values[at] = p.lon;
        values[at + 1] = p.lat;
        values[at + 2] = p.km ? p.km * 1000 * 512 / (EARTH * Math.max(Math.cos(p.lat * Math.PI / 180), 0.01)) : 0;
        values[at + 3] = r.index;
        values[at + 4] = r.statusIndex;
        values[at + 5] = p.precision === "exact" ? 0 : p.precision ? 1 : 2;
      });
      return encodeURIComponent(URL.createObjectURL(new Blob([values])));
    }

    function sourceData() {
      var shown = new Int32Array(placed.length);
      placed.forEach(function (r, n) { shown[n] = r.index; });
      selection = URL.createObjectURL(new Blob([shown]));
      return "claimpress://claims/" + points + "/" + encodeURIComponent(selection);
    }

    function setSource() {
      var old = selection;
      generation += 1;
      markersStale = true;
      map.getSource("claims").setData(sourceData()).then(function () { URL.revokeObjectURL(old); });
    }

    // --- the map ----------------------------------------------------------------------------------

    function palette() {
      var style = getComputedStyle(root);
      var read = function (name, fallback) { return style.getPropertyValue(name).trim() || fallback; };
      return {sea: read("--cp-map-sea", "#dde6ee"), land: read("--cp-map-land", "#fbfbf8"),
              border: read("--cp-map-border", "#9aa3ab"), coast: read("--cp-map-coast", "#7d8a96")};
    }

    function statusColours() {
      var match = ["match", ["get", "s"]];
      data.ratings.forEach(function (r, i) { match.push(i, colour(r)); });
      match.push("#757575");
      return match;
    }

    function draw(base) {
      var colours = palette();
      var clusterProperties = {};
      data.ratings.forEach(function (r, i) {
        clusterProperties["s" + i] = ["+", ["case", ["==", ["get", "s"], i], 1, 0]];
      });
      points = packPoints();
      var options = {
        container: root, maxZoom: MAX_ZOOM, minZoom: 0, attributionControl: false, dragRotate: false,
        pitchWithRotate: false, touchPitch: false, renderWorldCopies: true,
        // On a touch screen one finger scrolls the page past the map, two move it.
        cooperativeGestures: window.matchMedia("(pointer: coarse)").matches,
        locale: {"Map.Title": shared.t("Map of the claims: arrow keys move it, plus and minus zoom"),
                 "Popup.Close": shared.t("Close"), "CooperativeGesturesHandler.MobileHelpText": shared.t("Use two fingers to move the map")},
        style: {
          version: 8,
          sources: {
            // Natural Earth's 1:110m shapes hold nothing finer than zoom 3's tiles show: deeper zooms enlarge those.
            base: {type: "geojson", data: base, maxzoom: 3},
            claims: {type: "geojson", data: sourceData(), cluster: true, clusterRadius: CLUSTER_RADIUS,
                     clusterMaxZoom: MAX_ZOOM, clusterProperties: clusterProperties}
          },
          layers: [
            {id: "sea", type: "background", paint: {"background-color": colours.sea}}
          ].concat(baseLayers("base", "", colours), [
            // How far from its point a claim's place may be: a disc of the precision's radius in kilometres,
            // at every zoom (2^zoom times its radius at zoom 0). An exact point has none.
            {id: "rings", type: "circle", source: "claims",
             filter: ["all", ["!", ["has", "point_count"]], [">", ["get", "r"], 0]],
             paint: {"circle-radius": ["interpolate", ["exponential", 2], ["zoom"], 0, ["get", "r"],
                                       24, ["*", ["get", "r"], 16777216]],
                     "circle-color": statusColours(), "circle-opacity": 0.12,
                     "circle-stroke-color": statusColours(), "circle-stroke-width": 1.5, "circle-stroke-opacity": 0.7,
                     "circle-pitch-alignment": "map"}}
          ])
        }
      };
      if (typeof base === "object") (own = base).apply(options.style, lib, colours);
      var bounds = extent();
      if (bounds) {
        options.bounds = bounds;
        options.fitBoundsOptions = {padding: 40, maxZoom: 6};
      } else {
        options.center = [20, 20];
        options.zoom = 1;
      }
      try {
        map = new lib.Map(options);
      } catch (error) {
        // No WebGL context after all (a blocked or lost GPU): the list stays.
        setState("no-webgl", shared.t("This browser cannot draw the map (%(error)s). The claims with a place are listed here.",
                                      {error: error.message}));
        map = null;
        showAll();
        return;
      }
      root.claimpressMap = map;  // for a reader's own scripts, the benchmark and the tests: MapLibre's Map
      map.keyboard.disableRotation();
      map.touchZoomRotate.disableRotation();
      map.addControl(new lib.NavigationControl({showCompass: false}), "top-right");
      map.on("error", function (event) {
        console.error(event.error);
        if (root.getAttribute("data-state") !== "ready") setState("error", shared.t("The map could not be drawn (%(error)s).", {error: event.error.message}));
      });
      map.on("moveend", function () { markersStale = true; listPage = 0; });
      map.on("load", zoomedIn);
      map.on("zoomend", zoomedIn);
      map.on("idle", idle);
      root.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && popup) {
          event.stopPropagation();
          closePopup();
        }
      });
      // The reader's light or dark scheme (Material's toggle sets data-md-color-scheme on <body>).
      new MutationObserver(recolour).observe(document.body, {attributes: true, attributeFilter: ["data-md-color-scheme"]});
    }

    // The base map's land, borders and coasts from `source`, their ids ending in `suffix`. Their edges are the
    // coast layer's: the land's own antialiased outline would draw each coast a second time.
    function baseLayers(source, suffix, colours) {
      var kind = function (k) { return ["==", ["get", "k"], k]; };
      return [
        {id: "land" + suffix, type: "fill", source: source, filter: kind("land"),
         paint: {"fill-color": colours.land, "fill-antialias": false}},
        {id: "borders" + suffix, type: "line", source: source, filter: kind("border"),
         paint: {"line-color": colours.border, "line-width": ["interpolate", ["linear"], ["zoom"], 0, 0.4, 8, 1.2]}},
        {id: "coast" + suffix, type: "line", source: source, filter: kind("coast"),
         paint: {"line-color": colours.coast, "line-width": ["interpolate", ["linear"], ["zoom"], 0, 0.4, 8, 1]}}
      ];
    }

    // Natural Earth's 1:50m shapes, asked for the first time the map is at DETAIL_ZOOM or closer (most readers
    // of a world-wide map never are), drawn over the 1:110m ones from that zoom; those stay until the finer
    // ones are drawn, so nothing blinks. If they cannot be had, the 1:110m ones stay at every zoom.
    function zoomedIn() {
      if (own || detail || map.getZoom() < DETAIL_ZOOM) return;  // a fork's own base map has its own zooms
      detail = true;
      baseMap(page, "data-basemap-detail").then(function (address) {
        // 1:50m holds nothing finer than zoom 6's tiles show: deeper zooms enlarge those.
        map.addSource("detail", {type: "geojson", data: address, maxzoom: 6});
        baseLayers("detail", "-detail", palette()).forEach(function (layer) {
          layer.minzoom = DETAIL_ZOOM;
          map.addLayer(layer, "rings");
        });
        map.on("sourcedata", function shown(event) {
          if (event.sourceId !== "detail" || !map.isSourceLoaded("detail")) return;
          map.off("sourcedata", shown);
          BASE_LAYERS.forEach(function (id) { map.setLayerZoomRange(id, 0, DETAIL_ZOOM); });
        });
      }).catch(function (error) { console.error(error); });
    }

    function recolour() {
      if (!map) return;
      if (own) return own.recolour(map, palette());
      var colours = palette(), paint = {land: ["fill-color", colours.land], borders: ["line-color", colours.border],
                                        coast: ["line-color", colours.coast]};
      map.setPaintProperty("sea", "background-color", colours.sea);
      BASE_LAYERS.forEach(function (id) {
        [id, id + "-detail"].forEach(function (layer) {
          if (map.getLayer(layer)) map.setPaintProperty(layer, paint[id][0], paint[id][1]);
        });
      });
    }

    // The box around the claims the filters let through, or null for none.
    function extent() {
      if (!placed.length) return null;
      var w = 180, s = 90, e = -180, n = -90;
      placed.forEach(function (r) {
        var p = r.position;
        if (p.lon < w) w = p.lon;
        if (p.lon > e) e = p.lon;
        if (p.lat < s) s = p.lat;
        if (p.lat > n) n = p.lat;
      });
      return [[w, s], [e, n]];
    }

    function idle() {
      if (!map.isSourceLoaded("claims") || !markersStale) return;
      markersStale = false;
      placeMarkers();
      list();
      if (!loaded) {
        loaded = true;
        setState("ready");
      }
    }

    // Whether a longitude, on any copy of the world, is in the view; the copy it is on, or null.
    function viewed(view, lon, lat) {
      if (lat < view.s || lat > view.n) return null;
      if (view.e - view.w >= 360) return lon;
      var x = lon;
      while (x < view.w) x += 360;
      while (x - 360 >= view.w) x -= 360;
      return x <= view.e ? x : null;
    }

    function view() {
      var b = map.getBounds();
      return {w: b.getWest(), e: b.getEast(), s: b.getSouth(), n: b.getNorth()};
    }

    // The buttons on the map: one for each cluster and point in view, in reading order (top to bottom,
    // left to right), so that Tab goes through them as a reader's eye would. A focused one is kept.
    function placeMarkers() {
      var here = view(), wanted = [], seen = {};
      map.querySourceFeatures("claims").forEach(function (f) {
        var p = f.properties, key = p.cluster ? "c" + generation + ":" + p.cluster_id : "p" + p.i;
        if (seen[key]) return;
        seen[key] = true;
        var at = f.geometry.coordinates, x = viewed(here, at[0], at[1]);
        if (x !== null) wanted.push({key: key, lon: x, lat: at[1], props: p});
      });
      wanted.sort(function (a, b) { return b.lat - a.lat || a.lon - b.lon; });
      wanted = wanted.slice(0, MAX_MARKERS);
      var keep = {};
      wanted.forEach(function (w) { keep[w.key] = true; });
      Object.keys(markers).forEach(function (key) {
        if (!keep[key]) {
          markers[key].marker.remove();
          delete markers[key];
        }
      });
      var container = map.getCanvasContainer(), focused = document.activeElement, buttons = [];
      wanted.forEach(function (w) {
        var entry = markers[w.key];
        if (!entry) {
          var button = w.props.cluster ? clusterButton(w) : pointButton(w);
          entry = markers[w.key] = {button: button, marker: new lib.Marker({element: button, anchor: "center"})
            .setLngLat([w.lon, w.lat]).addTo(map)};
        } else {
          entry.marker.setLngLat([w.lon, w.lat]);
        }
        buttons.push(entry.button);
      });
      // In reading order, moving every button but the focused one (moved, it would lose focus).
      var at = buttons.indexOf(focused);
      buttons.forEach(function (button, i) {
        if (i === at) return;
        if (at < 0 || i > at) container.appendChild(button);
        else container.insertBefore(button, focused);
      });
      if (focusNear) {
        var target = focusNear;
        focusNear = null;
        var best = null, distance = Infinity;
        wanted.forEach(function (w) {
          var d = Math.pow(w.lon - target[0], 2) + Math.pow(w.lat - target[1], 2);
          if (d < distance) { distance = d; best = markers[w.key].button; }
        });
        if (best) best.focus();
      }
    }

    function pointButton(w) {
      var r = rows[w.props.i], p = r.position;
      var button = el("button", null, "cp-map-point " + (p.precision === "exact" ? "cp-map-exact"
        : p.precision ? "cp-map-area" : "cp-map-unknown"));
      button.type = "button";
      button.style.setProperty("--cp-badge", colour(r.status));
      button.setAttribute("aria-label", shared.t("%(title)s (%(status)s, %(date)s)",
        {title: r.title, status: r.status[1], date: shared.timeOf(r.incident).textContent}));
      button.addEventListener("click", function (event) {
        event.stopPropagation();  // the map's own click would close the popup at once
        openClaim(r, [w.lon, w.lat], button);
      });
      return button;
    }

    function clusterButton(w) {
      var p = w.props, n = p.point_count, parts = [], stops = [], done = 0;
      data.ratings.forEach(function (r, i) {
        var k = p["s" + i] || 0;
        if (!k) return;
        parts.push(shared.number(k) + " " + r[1]);
        stops.push(colour(r) + " " + (done / n * 360) + "deg " + ((done + k) / n * 360) + "deg");
        done += k;
      });
      var button = el("button", n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n),
                      "cp-map-cluster");
      button.type = "button";
      var size = Math.round(30 + 8 * Math.log10(n));
      button.style.width = button.style.height = size + "px";
      button.style.setProperty("--cp-map-donut", "conic-gradient(" + stops.join(", ") + ")");
      button.setAttribute("aria-label", shared.tn("%(num)s claim here: %(statuses)s. Zoom in or list them",
        "%(num)s claims here: %(statuses)s. Zoom in or list them", n, {statuses: parts.join(", ")}));
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        openCluster(p, [w.lon, w.lat], button, event.detail === 0);  // 0: Enter or Space, not a pointer
      });
      return button;
    }

    // A cluster zooms in to where it splits; one that never splits (claims at one place) lists its claims.
    function openCluster(props, at, button, byKeyboard) {
      var source = map.getSource("claims");
      source.getClusterExpansionZoom(props.cluster_id).then(function (zoom) {
        if (zoom > MAX_ZOOM || map.getZoom() >= MAX_ZOOM) {
          return source.getClusterLeaves(props.cluster_id, POPUP_LIST, 0).then(function (leaves) {
            openList(props.point_count, leaves.map(function (f) { return rows[f.properties.i]; }), at, button);
          });
        }
        if (byKeyboard) focusNear = at;  // its button goes: the keyboard goes on from the nearest new one
        map.easeTo({center: at, zoom: zoom});
      }).catch(function (error) { console.error(error); });
    }

    function title(r) {
      return shared.titleLink(r, claimsBase, originals, "cp-map-title");
    }

    // How exact the point is, in words.
    function precisionText(p) {
      if (!p.precision) return shared.t("Precision not recorded.");
      if (p.precision === "exact") return shared.t("Exact position.");
      // the precisions' names as the claim pages show them (their msgids: "town" in a sentence, "Town" first)
      var km = shared.number(p.km);
      return p.obscured
        ? shared.t("Published to %(precision)s precision (within %(km)s km) on purpose: the exact place is withheld.",
                   {precision: shared.t(p.precision), km: km})
        : shared.t("%(precision)s precision (within %(km)s km).",
                   {precision: shared.t(p.precision.charAt(0).toUpperCase() + p.precision.slice(1)), km: km});
    }

    function openClaim(r, at, from) {
      var box = el("div", null, "cp-map-popup");
      var heading = el("p", null, "cp-map-popup-title");
      heading.appendChild(title(r));
      var status = el("p");
      status.appendChild(shared.badge(r.status, methodology));
      var who = sentence("p", shared.t("%(claimant)s accused %(accused)s."), {claimant: r.claimant, accused: r.accused});
      var when = sentence("p", r.location ? shared.t("Incident: %(date)s, %(location)s, %(country)s.")
        : shared.t("Incident: %(date)s, %(country)s."), {date: shared.timeOf(r.incident), location: r.location, country: r.country});
      box.append(heading, status, who, when, el("p", precisionText(r.position), "cp-muted"));
      showPopup(box, at, from);
    }

    function openList(total, shown, at, from) {
      var box = el("div", null, "cp-map-popup");
      box.appendChild(el("p", total > shown.length
        ? shared.tn("%(num)s claim at this place; the first %(shown)s here, all of them in the list of claims in view:",
                    "%(num)s claims at this place; the first %(shown)s here, all of them in the list of claims in view:",
                    total, {shown: shared.number(shown.length)})
        : shared.tn("%(num)s claim at this place:", "%(num)s claims at this place:", total), "cp-map-popup-title"));
      var list = el("ul", null, "cp-map-popup-list");
      shown.forEach(function (r) {
        var item = el("li");
        item.append(title(r), " ", shared.badge(r.status, methodology));
        list.appendChild(item);
      });
      box.appendChild(list);
      showPopup(box, at, from);
    }

    function showPopup(box, at, from) {
      closePopup();
      opener = from;
      var shown = popup = new lib.Popup({closeButton: true, focusAfterOpen: true, maxWidth: "20rem", offset: 14,
                                         className: "cp-map-popup-frame"})
        .setLngLat(at).setDOMContent(box).addTo(map);
      shown.on("close", function () {
        if (popup === shown) popup = null;
      });
    }

    // Escape, or the close button: the popup goes and focus returns to what opened it.
    function closePopup() {
      if (!popup) return;
      var back = opener;
      popup.remove();
      popup = null;
      opener = null;
      if (back && document.body.contains(back)) back.focus();
      else if (map) map.getCanvas().focus();
    }

    // A zoom to see a claim at: its ring about 60 pixels wide, or the streets' scale for an exact point.
    function closeUp(p) {
      if (!p.km) return 10;
      var zoom = Math.log(60 * EARTH * Math.cos(p.lat * Math.PI / 180) / (p.km * 1000 * 512)) / Math.LN2;
      return Math.max(2, Math.min(MAX_ZOOM, zoom));
    }

    // --- the list beside the map -------------------------------------------------------------------

    function showAll() {
      listTitle.textContent = shared.t("Claims with a place");
      inView = placed;
      drawList(false);
    }

    function list() {
      listTitle.textContent = shared.t("Claims in view");
      var here = view();
      inView = placed.filter(function (r) { return viewed(here, r.position.lon, r.position.lat) !== null; });
      drawList(true);
    }

    function drawList(inMap) {
      var pages = Math.max(1, Math.ceil(inView.length / PAGE));
      listPage = Math.min(listPage, pages - 1);
      var all = {total: shared.number(placed.length)};
      listCount.textContent = !inMap ? shared.tn("%(num)s claim with a place.", "%(num)s claims with a place.", placed.length)
        : inView.length === placed.length
          ? shared.tn("The claim on the map is in view.", "All %(num)s claims on the map are in view.", placed.length)
        : placed.length === 1 ? shared.t("The claim on the map is not in view.")
        : shared.tn("%(num)s of the %(total)s claims on the map is in view.",
                    "%(num)s of the %(total)s claims on the map are in view.", inView.length, all);
      if (inMap && inView.length < placed.length) {
        var all = el("button", shared.t("Show them all"), "cp-map-fit");
        all.type = "button";
        all.addEventListener("click", function () {
          var bounds = extent();
          if (bounds) map.fitBounds(bounds, {padding: 40, maxZoom: 6});
        });
        listCount.append(" ", all);
      }
      items.textContent = "";
      inView.slice(listPage * PAGE, (listPage + 1) * PAGE).forEach(function (r) {
        var item = el("li");
        var meta = el("span", null, "cp-muted");
        meta.append(shared.timeOf(r.incident), " \u00b7 " + (r.location ? r.location + ", " : "") + r.country);
        item.append(title(r), " ", shared.badge(r.status, methodology), el("br"), meta);
        if (inMap) {
          var locate = el("button", shared.t("On the map"), "cp-map-locate");
          locate.type = "button";
          locate.setAttribute("aria-label", shared.t("Show \u201c%(title)s\u201d on the map", {title: r.title}));
          locate.addEventListener("click", function () {
            var at = [r.position.lon, r.position.lat];
            map.easeTo({center: at, zoom: Math.max(map.getZoom(), closeUp(r.position))});
            map.once("moveend", function () { openClaim(r, at, null); });
          });
          item.append(" ", locate);
        }
        items.appendChild(item);
      });
      pager.textContent = "";
      if (pages > 1) {
        var prev = el("button", shared.t("Previous")), next = el("button", shared.t("Next"));
        prev.type = next.type = "button";
        prev.disabled = listPage === 0;
        next.disabled = listPage === pages - 1;
        prev.addEventListener("click", function () { listPage -= 1; drawList(inMap); listTitle.scrollIntoView({block: "start"}); });
        next.addEventListener("click", function () { listPage += 1; drawList(inMap); listTitle.scrollIntoView({block: "start"}); });
        pager.append(prev, el("span", " " + shared.t("Page %(page)s of %(pages)s",
          {page: shared.number(listPage + 1), pages: shared.number(pages)}) + " "), next);
      }
    }
  }

  // The map page loads this script itself, near its top, so that its parts download while the page does.
  var page = document.querySelector(".cp-map-page");
  if (!page) return;
  var early = begin(page);
  function init() {
    shared = window.claimpressData;
    el = shared.el;
    start(page, early);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
