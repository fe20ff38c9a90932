/* Loaded into MapLibre's workers (importScriptInWorkers, by claims-map.js), so that the page's thread neither
 * parses nor copies large GeoJSON. MapLibre's workers fetch only http(s) addresses themselves and ask the page
 * for any other, whose thread then parsed the JSON and copied it back object by object (0.3 s at 10,000
 * claims). Two kinds of address, each naming Blobs the page made:
 *   claimpress://geojson/<address>            GeoJSON text (the base map), read and parsed here;
 *   claimpress://claims/<points>/<selection>  the claims a filter lets through: <points> holds every claim
 *     with a position, six numbers each (longitude, latitude, ring radius in pixels at zoom 0, row, status,
 *     kind of point), made into features here once; <selection>, the rows to show (32-bit integers). A
 *     filter costs the page one small array, whatever the number of claims.
 * And MapLibre's worker sends the page a copy of all the GeoJSON it loaded from an address, for the source's
 * getData(): at 50,000 claims the page's thread took 0.3-0.7 s to receive it, at every filter. The page never
 * asks for it, so for these addresses the copy is left out (MapLibre 6's "LD" message: see DEVELOPING.md). */
(function () {
  "use strict";
  var points = {};  // <points> address -> promise of its features, by row

  function read(address, signal, kind) {
    return fetch(address, {signal: signal}).then(function (response) {
      if (!response.ok) throw new Error(address + ": HTTP " + response.status);
      return kind === "json" ? response.json() : response.arrayBuffer();
    });
  }

  function features(address) {
    points[address] = points[address] || read(address, undefined, "bytes").then(function (bytes) {
      var values = new Float64Array(bytes), byRow = [];
      for (var at = 0; at < values.length; at += 6) {
        byRow[values[at + 3]] = {type: "Feature", geometry: {type: "Point", coordinates: [values[at], values[at + 1]]},
                                 properties: {r: values[at + 2], i: values[at + 3], s: values[at + 4], k: values[at + 5]}};
      }
      return byRow;
    });
    return points[address];
  }

  var actor = self.worker && self.worker.actor, loadData = actor && actor.messageHandlers && actor.messageHandlers.LD;
  if (loadData) {
    actor.registerMessageHandler("LD", function (mapId, params, abortController) {
      return loadData(mapId, params, abortController).then(function (result) {
        if (result && params.request && params.request.url.indexOf("claimpress://") === 0) delete result.data;
        return result;
      });
    });
  }

  self.addProtocol("claimpress", function (params, abortController) {
    var parts = params.url.slice("claimpress://".length).split("/").map(decodeURIComponent);
    if (parts[0] === "geojson") {
      return read(parts[1], abortController.signal, "json").then(function (data) { return {data: data}; });
    }
    return Promise.all([features(parts[1]), read(parts[2], abortController.signal, "bytes")]).then(function (got) {
      var byRow = got[0], rows = new Int32Array(got[1]), shown = new Array(rows.length);
      for (var n = 0; n < rows.length; n++) shown[n] = byRow[rows[n]];
      return {data: {type: "FeatureCollection", features: shown}};
    });
  });
})();
