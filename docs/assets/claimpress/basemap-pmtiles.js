/* A fork's own base map for the incident map: a PMTiles file on this site (extra.claimpress.map in
 * mkdocs.yml), in place of Natural Earth's countries. Loaded by claims-map.js only then, with the pmtiles
 * library (and, for vector tiles, @protomaps/basemaps), all from assets/vendor/. Vector tiles are drawn with
 * the Protomaps basemap's layers, light or dark as the reader's scheme is, without labels (MapLibre would
 * fetch glyphs for them); raster tiles as they are, dimmed in the dark scheme. Nothing comes from another
 * host: the file is read from this site by HTTP Range requests.
 * window.claimpressPmtiles(page) reads the file's header and resolves to {apply, recolour}: apply(style, lib,
 * colours) puts the base map into MapLibre's style in place of Natural Earth's; recolour(map, colours)
 * follows the scheme. */
(function () {
  "use strict";
  // A server that ignores Range requests (Python's http.server, `mkdocs serve`) sends the whole file: read
  // once and kept, up to this size; past it, the map says why it cannot be drawn.
  var WHOLE = 32 * 1024 * 1024;
  var DIMMED = 0.7;  // a raster base map's brightest in the dark scheme

  // A text in the page's language (claims-data.js' t, there by the time a tile is asked for; English if not).
  function t(text, values) {
    var shared = window.claimpressData;
    return shared ? shared.t(text, values) : text.replace(/%\((\w+)\)s/g, function (all, key) { return values[key]; });
  }

  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error(src + " could not be loaded")); };
      document.head.appendChild(tag);
    });
  }

  // pmtiles' Source: byte ranges of the file. pmtiles' own FetchSource refuses a whole file in answer (an
  // error for every tile); this one keeps a small one and slices it.
  function Ranges(url, name) {
    this.url = url;
    this.name = name;
    this.whole = null;  // a promise of the whole file, once a server sent it
  }
  Ranges.prototype.getKey = function () { return this.url; };
  Ranges.prototype.getBytes = function (offset, length, signal) {
    var self = this;
    function slice(bytes) { return {data: bytes.slice(offset, offset + length)}; }
    if (self.whole) return self.whole.then(slice);
    return fetch(self.url, {signal: signal, headers: {Range: "bytes=" + offset + "-" + (offset + length - 1)}})
      .then(function (response) {
        if (response.status === 206) return response.arrayBuffer().then(function (bytes) { return {data: bytes}; });
        if (!response.ok) {
          throw new Error(t("the base map %(name)s could not be loaded: HTTP %(status)s", {name: self.name, status: response.status}));
        }
        var size = Number(response.headers.get("Content-Length"));
        if (!(size <= WHOLE)) {
          if (response.body) response.body.cancel();
          var values = {name: self.name, size: Math.round(size / 1048576), limit: WHOLE / 1048576};
          throw new Error(size
            ? t("this server sent the whole of the base map, %(name)s, %(size)s MB, not the parts asked for: it does not " +
                "answer HTTP Range requests, which a PMTiles file over %(limit)s MB needs; GitHub Pages answers them", values)
            : t("this server sent the whole of the base map, %(name)s, not the parts asked for: it does not answer HTTP " +
                "Range requests, which a PMTiles file over %(limit)s MB needs; GitHub Pages answers them", values));
        }
        if (!self.whole) {
          self.whole = response.arrayBuffer();
          self.whole.catch(function () { self.whole = null; });  // aborted: the next request reads it again
        } else if (response.body) {
          response.body.cancel();
        }
        return self.whole.then(slice);
      });
  };

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";  // Material's dark scheme
  }

  // The tiles' size in pixels, from a tile near the file's centre at its first zoom (256 if none is there).
  function tileSize(archive, h) {
    var n = Math.pow(2, h.minZoom), lat = h.centerLat * Math.PI / 180;
    var x = Math.min(n - 1, Math.max(0, Math.floor((h.centerLon + 180) / 360 * n)));
    var y = Math.min(n - 1, Math.max(0, Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n)));
    return archive.getZxy(h.minZoom, x, y).then(function (tile) {
      return tile ? createImageBitmap(new Blob([tile.data])).then(function (image) { return image.width; }) : 256;
    }).catch(function () { return 256; });
  }

  window.claimpressPmtiles = function (page) {
    var absolute = function (name) { return new URL(page.getAttribute(name), document.baseURI).href; };
    var url = absolute("data-pmtiles"), name = page.getAttribute("data-pmtiles");
    var styled = page.hasAttribute("data-pmtiles-style") ? script(absolute("data-pmtiles-style")) : null;
    if (styled) styled.catch(function () {});
    var archive;
    return script(absolute("data-pmtiles-lib")).then(function () {
      /* global pmtiles, basemaps */
      archive = new pmtiles.PMTiles(new Ranges(url, name));
      return archive.getHeader();
    }).then(function (header) {
      if (header.tileType === pmtiles.TileType.Mvt) {
        if (!styled) throw new Error(t("%(name)s now holds vector tiles: build the site again", {name: name}));
        return styled.then(function () { return vector(archive, url); });
      }
      return tileSize(archive, header).then(function (size) { return raster(archive, url, size); });
    });
  };

  function protocol(lib, archive) {
    var reader = new pmtiles.Protocol();
    reader.add(archive);
    lib.addProtocol("pmtiles", reader.tile);
  }

  // Only the claims' own source and layers are kept from the style claims-map.js made.
  function replace(style, source, layers) {
    style.sources = {base: source, claims: style.sources.claims};
    style.layers = layers.concat(style.layers.filter(function (layer) { return layer.source === "claims"; }));
  }

  function vector(archive, url) {
    var layers = function () { return basemaps.layers("base", basemaps.namedFlavor(dark() ? "dark" : "light")); };
    return {
      apply: function (style, lib) {
        protocol(lib, archive);
        replace(style, {type: "vector", url: "pmtiles://" + url}, layers());
      },
      recolour: function (map) {
        var now = {};
        map.getStyle().layers.forEach(function (layer) { now[layer.id] = layer.paint || {}; });
        layers().forEach(function (layer) {
          if (!now[layer.id]) return;
          var paint = layer.paint || {};
          // Every paint property of either scheme: one the new scheme leaves out goes back to its default.
          Object.keys(Object.assign({}, now[layer.id], paint)).forEach(function (key) {
            map.setPaintProperty(layer.id, key, paint[key]);
          });
        });
      }
    };
  }

  function raster(archive, url, size) {
    return {
      apply: function (style, lib, colours) {
        protocol(lib, archive);
        replace(style, {type: "raster", url: "pmtiles://" + url, tileSize: size}, [
          {id: "sea", type: "background", paint: {"background-color": colours.sea}},
          {id: "base", type: "raster", source: "base", paint: {"raster-brightness-max": dark() ? DIMMED : 1}}
        ]);
      },
      recolour: function (map, colours) {
        map.setPaintProperty("sea", "background-color", colours.sea);
        map.setPaintProperty("base", "raster-brightness-max", dark() ? DIMMED : 1);
      }
    };
  }
})();
