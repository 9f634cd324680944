/* 劳动力地图: hexagons (or community points) coloured by the chosen layer; hover shows the count, a click
   lists the people behind the cell. Every label is set as text (textContent), never as HTML (SEC-29);
   with no tile URL configured the cells are drawn on a plain background. */
(function () {
  "use strict";

  function readJSON(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  var COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

  function colour(value, max) {
    if (value == null) { return "#bdbdbd"; }
    if (!max || value <= 0) { return COLOURS[0]; }
    return COLOURS[Math.min(COLOURS.length - 1, 1 + Math.floor((COLOURS.length - 1) * value / (max + 1)))];
  }

  function zoomRes(zoom) { return zoom <= 9 ? 5 : (zoom <= 11 ? 6 : 7); }

  function start(element) {
    var data = readJSON(element.getAttribute("data-jc-labour-map"));
    var config = readJSON(element.getAttribute("data-jc-map-config")) || {};
    var layerSelect = document.querySelector("[data-jc-lm-layer]");
    var legend = document.querySelector("[data-jc-lm-legend]");
    var status = document.querySelector("[data-jc-lm-people-status]");
    var table = document.querySelector("[data-jc-lm-people-table]");
    var peopleUrl = element.getAttribute("data-jc-lm-people");
    var map = L.map(element, { zoomSnap: 1 });
    map.attributionControl.setPrefix(false);
    (config.layers || []).forEach(function (layer) {
      L.tileLayer(layer.url, { subdomains: config.subdomains || "", maxZoom: 18, minZoom: 3,
                               attribution: config.attribution || "" }).addTo(map);
    });
    var group = L.featureGroup().addTo(map);
    var current = data;

    function layerKey() { return layerSelect ? layerSelect.value : "working_age"; }

    function drawLegend(max) {
      legend.textContent = "";
      var label = current.layers[layerKey()] || "";
      legend.appendChild(text(label + "："));
      [0, 0.25, 0.5, 0.75, 1].forEach(function (share, i) {
        var item = document.createElement("span");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.setAttribute("data-jc-colour", COLOURS[i]);
        swatch.style.background = COLOURS[i];
        item.appendChild(swatch);
        item.appendChild(text(i === 0 ? "0" : "≤" + Math.ceil(max * share)));
        legend.appendChild(item);
      });
      var grey = document.createElement("span");
      grey.appendChild(text("灰色：少于5人"));
      legend.appendChild(grey);
    }

    function showPeople(cell) {
      var body = table.querySelector("tbody");
      body.textContent = "";
      table.hidden = true;
      if (cell.suppressed) { status.textContent = "该格网人数少于5人，不显示名单。"; return; }
      status.textContent = "正在读取名单…";
      var query = "?area=" + encodeURIComponent(current.area) + "&level=" + encodeURIComponent(current.level) +
        "&cell=" + encodeURIComponent(cell.id);
      fetch(peopleUrl + query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (page) {
          status.textContent = (cell.name || cell.id) + "：共" + page.count + "人" +
            (page.count > page.items.length ? "，显示前" + page.items.length + "人" : "");
          page.items.forEach(function (person) {
            var row = document.createElement("tr");
            var nameCell = document.createElement("td");
            var link = document.createElement("a");
            if (typeof person.url === "string" && person.url.charAt(0) === "/") { link.href = person.url; }
            link.textContent = person.name;
            nameCell.appendChild(link);
            row.appendChild(nameCell);
            [person.community, person.status, person.seeking ? "是" : "否"].forEach(function (value) {
              var td = document.createElement("td");
              td.textContent = value;
              row.appendChild(td);
            });
            body.appendChild(row);
          });
          table.hidden = false;
        })
        .catch(function () { status.textContent = "无法显示该格网的名单。"; });
    }

    function draw(fit) {
      group.clearLayers();
      var key = layerKey();
      var max = 0;
      current.cells.forEach(function (cell) { if (cell.counts) { max = Math.max(max, cell.counts[key]); } });
      current.cells.forEach(function (cell) {
        var value = cell.counts ? cell.counts[key] : null;
        var style = { color: "#3e4c59", weight: 1, fillColor: colour(value, max), fillOpacity: 0.7 };
        var shape = cell.boundary ? L.polygon(cell.boundary, style) : L.circleMarker([cell.lat, cell.lng],
          Object.assign({ radius: 10 }, style));
        var label = (cell.name ? cell.name + " " : "") + (value == null ? "少于5人" : (current.layers[key] + " " + value));
        shape.bindTooltip(text(label));
        shape.on("click", function () { showPeople(cell); });
        shape.addTo(group);
        var node = shape.getElement && shape.getElement();
        if (node) { node.setAttribute("data-jc-cell", cell.id); }
      });
      drawLegend(max);
      if (fit && current.cells.length) { map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 13 }); }
      if (!current.cells.length) { map.setView([35, 105], 4); }
      element.setAttribute("data-jc-map-ready", String(current.cells.length));
    }

    function reload() {
      if (current.level !== "hex") { return; }
      var res = zoomRes(map.getZoom());
      if (res === current.res) { return; }
      var query = "?format=json&area=" + encodeURIComponent(current.area) + "&level=hex&res=" + res;
      fetch(query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (payload) { if (payload) { current = payload; draw(false); } });
    }

    /* The map as an image for the report: the drawn cells (Leaflet's SVG layer) with the layer's name. */
    var imageButton = document.querySelector("[data-jc-lm-image]");
    if (imageButton) {
      imageButton.addEventListener("click", function () {
        var svg = element.querySelector(".leaflet-overlay-pane svg");
        if (!svg) { return; }
        var copy = svg.cloneNode(true);
        copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
        var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
        title.textContent = current.layers[layerKey()] || "";
        copy.insertBefore(title, copy.firstChild);
        var blob = new Blob([new XMLSerializer().serializeToString(copy)], { type: "image/svg+xml" });
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "劳动力地图-" + current.area + ".svg";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }

    if (layerSelect) { layerSelect.addEventListener("change", function () { draw(false); }); }
    draw(true);
    map.on("zoomend", reload);
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-jc-labour-map]:not([data-jc-map-ready])").forEach(start);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
