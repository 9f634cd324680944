/* ECharts trend lines on the dashboard; data from json_script (no inline scripts). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-jc-chart]").forEach(function (element) {
      var node = document.getElementById(element.getAttribute("data-jc-chart"));
      if (!node) { return; }
      var data = JSON.parse(node.textContent);
      var chart = echarts.init(element, null, { renderer: "canvas" });
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 32 },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) { return { name: s.name, type: "line", smooth: true, data: s.data }; })
      });
      element.setAttribute("data-jc-chart-ready", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
