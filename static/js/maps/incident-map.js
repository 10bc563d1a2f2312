// Incident map: builds clusters, category layers, a heat layer, a legend and popups from the
// compact JSON block the server embeds (observer_suite/maps/incident_map.py). Every piece of
// user text goes into the page with textContent, never as HTML.
(function () {
  "use strict";
  var block = document.getElementById("incident-data");
  if (!block || typeof L === "undefined" || !L.markerClusterGroup) { return; }
  var data = JSON.parse(block.textContent);
  var map = window[data.map];
  if (!map) { return; }

  var LAT = 0, LON = 1, SEV = 2, CAT = 3, STATUS = 4, TITLE = 5, MINUTE = 6, STATION = 7, ID = 8;
  var rows = data.rows;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var timeFormat = (function () {
    var options = { year: "numeric", month: "short", day: "numeric", hour: "2-digit",
                    minute: "2-digit", timeZone: data.tz, timeZoneName: "short" };
    try {
      return new Intl.DateTimeFormat("en-GB", options);
    } catch {
      options.timeZone = "UTC";
      return new Intl.DateTimeFormat("en-GB", options);
    }
  })();

  function when(row) {
    return timeFormat.format(new Date((data.base + row[MINUTE]) * 60000));
  }

  function popup(row) {
    var box = el("div", "os-popup");
    box.appendChild(el("strong", "os-popup-title", row[TITLE]));
    var list = el("dl");
    var facts = [
      ["Time", when(row)],
      ["Station", row[STATION] >= 0 ? data.stations[row[STATION]] : "not at a station"],
      ["Status", data.statuses[row[STATUS]].label],
      ["Category", data.categories[row[CAT]].label],
      ["Severity", data.severities[row[SEV]].label]
    ];
    facts.forEach(function (fact) {
      list.appendChild(el("dt", "", fact[0]));
      list.appendChild(el("dd", fact[0] === "Severity" ? "os-sev-text-" + row[SEV] : "", fact[1]));
    });
    box.appendChild(list);
    var link = el("a", "os-popup-link", "Open incident");
    link.href = data.link + encodeURIComponent(String(row[ID]));
    link.target = "_top";
    box.appendChild(link);
    return box;
  }

  var icons = data.severities.map(function (_s, i) {
    var size = 12 + 2 * i;
    return L.divIcon({ className: "os-incident os-sev-" + i, iconSize: [size, size] });
  });

  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers(), worst = 0;
    for (var i = 0; i < children.length && worst < 3; i++) {
      if (children[i].options.severity > worst) { worst = children[i].options.severity; }
    }
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + count + "</span></div>",  // a number, never user text
      className: "marker-cluster marker-cluster-" + size + " os-cluster-sev-" + worst,
      iconSize: L.point(40, 40)
    });
  }

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = el("div", "os-legend");
    box.appendChild(el("strong", "", "Severity"));
    data.severities.forEach(function (s, i) {
      var line = el("div", "os-legend-row");
      line.appendChild(el("span", "os-swatch os-sev-" + i));
      line.appendChild(document.createTextNode(s.label));
      box.appendChild(line);
    });
    box.appendChild(el("div", "os-legend-note", "A cluster has the colour of its most severe incident."));
    var count = rows.length === 1 ? "1 incident shown" : rows.length + " incidents shown";
    box.appendChild(el("div", "os-legend-note", rows.length ? count : "No incident to show"));
    if (data.unplaced) {
      box.appendChild(el("div", "os-legend-note os-unplaced",
        data.unplaced + (data.unplaced === 1 ? " incident" : " incidents") + " without a position"));
    }
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);

  // The legend sits bottom right, above the popup pane: keep popups clear of it.
  var box = legend.getContainer();
  var popupOptions = {
    maxWidth: 300,
    autoPanPaddingTopLeft: L.point(50, 10),
    autoPanPaddingBottomRight: L.point(box.offsetWidth + 20, box.offsetHeight + 20)
  };

  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: clusterIcon
  });
  var byCategory = data.categories.map(function () { return []; });
  rows.forEach(function (row) {
    var marker = L.marker([row[LAT], row[LON]], {
      icon: icons[row[SEV]],
      severity: row[SEV],
      title: row[TITLE],  // Leaflet sets it as a property: text, not HTML
      keyboard: true
    });
    marker.bindPopup(function () { return popup(row); }, popupOptions);
    byCategory[row[CAT]].push(marker);
  });

  var shown = data.categories.map(function () { return true; });
  var heat = L.heatLayer ? L.heatLayer([], { radius: 22, blur: 18, maxZoom: 12 }) : null;

  function refreshHeat() {
    if (!heat) { return; }
    var points = [];
    rows.forEach(function (row) {
      if (shown[row[CAT]]) { points.push([row[LAT], row[LON], (row[SEV] + 1) / 4]); }
    });
    heat.setLatLngs(points);
  }

  var all = [];
  byCategory.forEach(function (markers) { all = all.concat(markers); });
  cluster.addLayers(all);
  cluster.addTo(map);
  refreshHeat();

  // One overlay per category: an empty group whose checkbox adds or removes its markers.
  var control = L.control.layers(null, null, { collapsed: data.categories.length > 6 });
  var toggles = [];
  data.categories.forEach(function (category, i) {
    if (!byCategory[i].length) { return; }
    var toggle = L.layerGroup();
    toggle.categoryIndex = i;
    toggles.push(toggle);
    toggle.addTo(map);
    var label = el("span", "", category.label + " (" + byCategory[i].length + ")");
    control.addOverlay(toggle, label.outerHTML);
  });
  if (heat) { control.addOverlay(heat, "Heat map"); }
  var outline = data.boundaries ? window[data.boundaries] : null;
  if (outline) { control.addOverlay(outline, el("span", "", data.boundaryLabel).outerHTML); }
  control.addTo(map);

  function switchCategory(layer, on) {
    if (layer.categoryIndex === undefined) { return; }
    shown[layer.categoryIndex] = on;
    if (on) { cluster.addLayers(byCategory[layer.categoryIndex]); }
    else { cluster.removeLayers(byCategory[layer.categoryIndex]); }
    refreshHeat();
  }
  map.on("overlayadd", function (e) { switchCategory(e.layer, true); });
  map.on("overlayremove", function (e) { switchCategory(e.layer, false); });

  document.documentElement.classList.add("os-map-ready");
})();
