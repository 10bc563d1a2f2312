// Team form: place the base by clicking on a small map, or by choosing an area (its centre).
// The latitude/longitude inputs stay the truth: the map only reads and writes them.
(function () {
  "use strict";
  var el = document.getElementById("base-map");
  var lat = document.getElementById("base_lat");
  var lon = document.getElementById("base_lon");
  var name = document.getElementById("base_name");
  var area = document.getElementById("base_area");
  var data = document.getElementById("base-area-centres");
  if (!el || !lat || !lon || typeof L === "undefined") { return; }

  var centres = {};
  try { centres = JSON.parse((data && data.textContent) || "{}"); } catch { centres = {}; }

  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function current() {
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    return isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? [a, b] : null;
  }

  var map = L.map(el, { attributionControl: Boolean(el.dataset.tiles && el.dataset.attribution) });
  if (el.dataset.tiles) {
    var credit = textNode(el.dataset.attribution || "").outerHTML;
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: credit }).addTo(map);
  }
  // Without tiles the map still shows where the areas' centres are, to click near them.
  var points = Object.keys(centres).map(function (id) { return centres[id]; });
  points.forEach(function (p) {
    L.circleMarker([p[0], p[1]], { radius: 3, weight: 1, color: "#555", fillOpacity: 0.5 })
      .bindTooltip(textNode(p[2]))
      .addTo(map);
  });
  var marker = null;

  function show(point) {
    if (!point) { return; }
    if (marker) { marker.setLatLng(point); } else {
      marker = L.circleMarker(point, { radius: 8, weight: 2, color: "#b3261e", fillOpacity: 0.9 })
        .addTo(map);
    }
  }

  var start = current();
  if (start) {
    map.setView(start, 10);
  } else if (points.length) {
    map.fitBounds(L.latLngBounds(points.map(function (p) { return [p[0], p[1]]; })), { padding: [10, 10] });
  } else {
    map.setView([0, 0], 2);
  }
  show(start);

  function set(point, label) {
    lat.value = point[0].toFixed(6);
    lon.value = point[1].toFixed(6);
    if (label !== undefined && name && !name.value) { name.value = label; }
    show(point);
  }

  map.on("click", function (event) {
    set([event.latlng.lat, event.latlng.lng]);
    if (area) { area.value = "0"; }
  });
  if (area) {
    area.addEventListener("change", function () {
      var p = centres[area.value];
      if (!p) { return; }
      set([p[0], p[1]], p[2] + " (centre)");
      map.setView([p[0], p[1]], Math.max(map.getZoom(), 9), { animate: false });
    });
  }
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () { show(current()); });
  });
  el.classList.add("ready");
})();
