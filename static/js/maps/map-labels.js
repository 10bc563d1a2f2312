// The user text of a map document (observer_suite/util/folium_map.py): the server renders the map
// from code-written parts only and sends tooltips, layer names, legend titles and the tile
// layer as JSON data. Here they are bound to the map's layers, as DOM text, never as HTML.
(function () {
  "use strict";
  var block = document.getElementById("map-labels");
  if (!block || typeof L === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var map = window[data.map];
  if (!map) { return; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Leaflet inserts attribution and layer-control names as HTML: hand it serialised DOM text.
  function asHtml(text, swatch) {
    var span = el("span", "os-label");
    if (swatch) { span.appendChild(el("span", swatch)); }
    span.appendChild(document.createTextNode(String(text)));
    return span.outerHTML;
  }

  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, {
      attribution: data.tiles.attribution ? asHtml(data.tiles.attribution) : "",
      maxZoom: 18
    }).addTo(map);
  }

  data.tooltips.forEach(function (entry) {
    var layer = window[entry[0]];
    if (!layer) { return; }
    var box = el("div", "os-tooltip");
    entry[1].forEach(function (line) {
      var row = el("div");
      if (Array.isArray(line)) {
        row.appendChild(el("strong", "", line[0]));
        if (line[1]) { row.appendChild(document.createTextNode(" " + line[1])); }
      } else {
        row.textContent = line;
      }
      box.appendChild(row);
    });
    layer.bindTooltip(box, { sticky: true });
  });

  Object.keys(data.texts).forEach(function (key) {
    document.querySelectorAll("[data-os-text]").forEach(function (node) {
      if (node.getAttribute("data-os-text") === key) { node.textContent = data.texts[key]; }
    });
  });

  if (data.control) {
    var control = L.control.layers(null, null, { collapsed: data.control.collapsed });
    data.overlays.forEach(function (entry) {
      var layer = window[entry[0]];
      if (layer) { control.addOverlay(layer, asHtml(entry[1], entry[2])); }
    });
    control.addTo(map);
  }
  document.documentElement.classList.add("os-labels-ready");
})();
