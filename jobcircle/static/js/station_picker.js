/* Station form: click the map to fill 纬度/经度 (the tiles are WGS-84, so 坐标系 becomes WGS-84).
   Typing coordinates keeps working without the map (and without JavaScript). */
(function () {
  "use strict";

  function readJSON(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function picker(element) {
    var form = element.closest("form");
    var lat = form.querySelector("[name=lat]"), lng = form.querySelector("[name=lng]");
    var coord = form.querySelector("[name=coord]");
    var config = readJSON(element.getAttribute("data-jc-map-config")) || {};
    var map = L.map(element, { attributionControl: true, zoomSnap: 0.5 });
    map.attributionControl.setPrefix(false);
    (config.layers || []).forEach(function (layer) {
      L.tileLayer(layer.url, { subdomains: config.subdomains || "", maxZoom: 18, minZoom: 3,
                               attribution: config.attribution || "" }).addTo(map);
    });
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 8, color: "#b71c1c", fillOpacity: 0.9 }).addTo(map);
      }
    }
    var start = parseFloat(lat.value), startLng = parseFloat(lng.value);
    if (!isNaN(start) && !isNaN(startLng) && (!coord || coord.value === "wgs84")) {
      place([start, startLng]);
      map.setView([start, startLng], 14);
    } else {
      map.setView([35, 105], 4);
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
      if (coord) { coord.value = "wgs84"; }
      place(event.latlng);
    });
    element.setAttribute("data-jc-map-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-jc-pick-point]").forEach(picker);
  });
})();
