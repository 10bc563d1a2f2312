// Small map on a polling-station page: the station and its area's boundary, served locally.
(function () {
  "use strict";
  var el = document.getElementById("station-map");
  if (!el || typeof L === "undefined") { return; }
  // Leaflet puts string content in innerHTML; hand it an element so names stay text.
  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  var map = L.map(el, { attributionControl: false });
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map); }
  var bounds = null;
  if (el.dataset.boundary) {
    var layer = L.geoJSON(JSON.parse(el.dataset.boundary), { style: { weight: 2, fillOpacity: 0.08 } });
    layer.addTo(map);
    bounds = layer.getBounds();
  }
  if (el.dataset.lat) {
    var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
    L.circleMarker(point, { radius: 8, weight: 2, fillOpacity: 0.8 })
      .bindTooltip(textNode(el.dataset.label))
      .addTo(map);
    if (bounds && bounds.isValid()) { map.fitBounds(bounds); } else { map.setView(point, 14); }
  } else if (bounds) {
    map.fitBounds(bounds);
  }
  el.classList.add("ready");
})();
