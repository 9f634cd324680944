/* Leaflet maps for the dashboard and job pages. The tile layer comes from settings (JOBCIRCLE_MAP):
   with no tile URL the map still draws stations, 3-km circles and points on a plain background.
   Public pages never draw administrative boundaries (ECO-07). */
(function () {
  "use strict";

  function readJSON(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* Labels are data (job titles, station names): Leaflet reads a string as HTML, so hand it an element
     whose textContent is set; markup typed into a title is shown, never run (SEC-29). */
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  function tiles(map, config) {
    if (!config || !config.layers || !config.layers.length) { return; }
    config.layers.forEach(function (layer) {
      L.tileLayer(layer.url, {
        subdomains: config.subdomains || "", maxZoom: 18, minZoom: 3,
        attribution: config.attribution || ""
      }).addTo(map);
    });
  }

  function draw(element) {
    var data = readJSON(element.getAttribute("data-jc-map")) || {};
    var config = readJSON(element.getAttribute("data-jc-map-config")) || {};
    var map = L.map(element, { attributionControl: true, zoomSnap: 0.5 });
    map.attributionControl.setPrefix(false);
    tiles(map, config);
    var bounds = [];
    (data.stations || []).forEach(function (s) {
      L.circle([s.lat, s.lng], { radius: s.radius_m, color: "#b71c1c", weight: 1, fillOpacity: 0.05 }).addTo(map);
      L.circleMarker([s.lat, s.lng], { radius: 6, color: "#b71c1c", fillColor: "#b71c1c", fillOpacity: 1 })
        .bindTooltip(text(s.name)).addTo(map);
      bounds.push([s.lat, s.lng]);
    });
    function density(points, colour, label) {
      var max = 1;
      (points || []).forEach(function (p) { max = Math.max(max, p.count); });
      (points || []).forEach(function (p) {
        L.circleMarker([p.lat, p.lng], {
          radius: 4 + 12 * Math.sqrt(p.count / max), color: colour, weight: 1, fillColor: colour, fillOpacity: 0.45
        }).bindTooltip(text(label + " " + p.count)).addTo(map);
        bounds.push([p.lat, p.lng]);
      });
    }
    density(data.jobs, "#1f6feb", "岗位需求（人）");
    density(data.seekers, "#0e9f6e", "求职者");
    (data.points || []).forEach(function (p) {
      L.circleMarker([p.lat, p.lng], { radius: 8, color: p.colour || "#1f6feb", fillOpacity: 0.9 })
        .bindTooltip(text(p.label)).addTo(map);
      if (p.radius_m) { L.circle([p.lat, p.lng], { radius: p.radius_m, color: "#b71c1c", weight: 1, fillOpacity: 0.05 }).addTo(map); }
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); } else { map.setView([35, 105], 4); }
    element.setAttribute("data-jc-map-ready", String(bounds.length));
  }

  function start() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-jc-map]:not([data-jc-map-ready])").forEach(draw);
  }
  // Loaded with the page, or later on demand (data-jc-map-load in jobcircle.js) after the page is ready.
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
