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

  var map = L.map(el, { attributionControl: Boolean(el.dataset.tiles && el.dataset.attribution) });
  var boundary = el.dataset.boundary
    ? L.geoJSON(JSON.parse(el.dataset.boundary), { style: { weight: 2, fillOpacity: 0.08 } })
    : null;
  var point = el.dataset.lat ? [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)] : null;

  // The view must exist before vector layers are added.
  if (boundary && boundary.getBounds().isValid()) {
    map.fitBounds(boundary.getBounds(), { padding: [10, 10] });
  } else if (point) {
    map.setView(point, 14);
  } else {
    return;
  }
  if (el.dataset.tiles) {
    // Attribution is HTML to Leaflet; escape the provider's name through a text node.
    var credit = textNode(el.dataset.attribution || "").outerHTML;
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: credit }).addTo(map);
  }
  if (boundary) { boundary.addTo(map); }
  if (point) {
    L.circleMarker(point, { radius: 8, weight: 2, color: "#b3261e", fillOpacity: 0.9 })
      .bindTooltip(textNode(el.dataset.label), { permanent: true, direction: "top" })
      .addTo(map);
  }
  el.classList.add("ready");
})();
