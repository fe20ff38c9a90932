/* The map's base map, made off the page's thread (claims-map.js starts this worker, once for the 1:110m shapes
 * and, when the reader zooms in, once for the 1:50m ones): Natural Earth's land,
 * country borders and coasts (world-atlas TopoJSON, on this site), as one GeoJSON collection of three
 * features (k: "land", "border", "coast"), handed back as a Blob of its JSON text, which the page gives
 * MapLibre's worker by address. So the page's thread neither converts the TopoJSON nor copies a large
 * object to MapLibre's worker, and one source's tiles (not three) come back to it to be unpacked. */
/* global topojson */
"use strict";

// Natural Earth's coasts cross the antimeridian (Chukotka, Fiji, Antarctica's edge) from 180 to -180 degrees:
// drawn as they are, each jump would be a line across the world (so would the land's own outline). Each line
// is cut there instead.
function unwrapped(mesh) {
  var lines = [];
  mesh.coordinates.forEach(function (line) {
    var part = [line[0]];
    for (var i = 1; i < line.length; i++) {
      if (Math.abs(line[i][0] - line[i - 1][0]) > 180) {
        if (part.length > 1) lines.push(part);
        part = [];
      }
      part.push(line[i]);
    }
    if (part.length > 1) lines.push(part);
  });
  return {type: "MultiLineString", coordinates: lines};
}

// The land's rings cross it too (Fiji's jumps from 180 to -180 degrees and back): filled as they are, each
// jump drew a hairline across the world. Such a ring is made continuous instead (177 to 183 degrees, say),
// which MapLibre draws on both sides of the antimeridian. A ring round a pole (Antarctica's coast, which
// jumps once) is closed along the map's edge at the pole; Natural Earth's line along the pole itself goes.
function planar(ring) {
  if (ring.every(function (p) { return Math.abs(p[1]) > 89.9; })) return null;
  var out = [ring[0]], shift = 0, jumps = 0, i;
  for (i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps += 1;
  var roundPole = jumps % 2 === 1;
  for (i = 1; i < ring.length; i++) {
    var a = ring[i - 1], b = ring[i], step = b[0] - a[0];
    if (Math.abs(step) > 180 && roundPole) {
      roundPole = false;
      var edge = (a[0] > 0 ? 180 : -180) + shift, pole = b[1] < 0 ? -90 : 90;
      out.push([edge, a[1]], [edge, pole], [-edge, pole], [-edge, b[1]], [b[0] + shift, b[1]]);
      continue;
    }
    if (step > 180) shift -= 360;
    else if (step < -180) shift += 360;
    out.push([b[0] + shift, b[1]]);
  }
  return out;
}

function feature(kind, geometry) {
  return {type: "Feature", properties: {k: kind}, geometry: geometry};
}

self.onmessage = function (event) {
  try {
    importScripts(event.data.topojson);  // sets self.topojson
    fetch(event.data.basemap).then(function (response) {
      if (!response.ok) throw new Error(event.data.basemap + ": HTTP " + response.status);
      return response.json();
    }).then(function (topology) {
      var countries = topology.objects.countries, land = topology.objects.land;
      var base = {type: "FeatureCollection", features: [
        feature("land", {type: "MultiPolygon", coordinates: topojson.feature(topology, land).features[0].geometry.coordinates
          .map(function (polygon) { return polygon.map(planar).filter(Boolean); })}),
        feature("border", topojson.mesh(topology, countries, function (a, b) { return a !== b; })),
        feature("coast", unwrapped(topojson.mesh(topology, land)))
      ]};
      // world-atlas quantised its shapes (1:110m and 1:50m) to about 0.004 degrees: three decimals keep all
      // of it, and halve the JSON that MapLibre's worker parses.
      var text = JSON.stringify(base, function (key, value) {
        return typeof value === "number" ? Math.round(value * 1000) / 1000 : value;
      });
      self.postMessage({base: new Blob([text], {type: "application/json"})});
    }).catch(function (error) {
      self.postMessage({error: String(error && error.message || error)});
    });
  } catch (error) {
    self.postMessage({error: String(error && error.message || error)});
  }
};
