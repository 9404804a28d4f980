// The progress dashboards (reports app): one ECharts bar chart per dimension, drawn from the
// figures the page carries (json_script); a click on a bar opens the list of records behind it.
(function () {
  "use strict";
  function init() {
    var dataNode = document.getElementById("dashboard-data");
    var labelsNode = document.getElementById("dashboard-measures");
    if (!dataNode || !window.echarts) return;
    var charts = JSON.parse(dataNode.textContent);
    var labels = JSON.parse(labelsNode.textContent);
    var measures = ["target", "started", "completed", "certified", "employed"];
    document.querySelectorAll("[data-chart]").forEach(function (node) {
      var data = charts[node.dataset.chart];
      if (!data || !data.keys.length) {
        node.hidden = true;
        return;
      }
      node.style.height = "320px";
      var chart = window.echarts.init(node);
      var series = measures
        .filter(function (m) {
          return m !== "target" || data.target.some(function (v) { return v !== null; });
        })
        .map(function (m) {
          // a small count beside a large target stays visible and clickable
          return { name: labels[m], type: "bar", data: data[m], measure: m, barMinHeight: m === "target" ? 0 : 4 };
        });
      chart.setOption({
        animation: false,
        // drawn on the canvas: an HTML tooltip carries inline styles the CSP (style-src 'self') refuses
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 64 },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: series,
      });
      chart.on("click", function (params) {
        var measure = series[params.seriesIndex].measure;
        if (measure === "target") measure = "completed";
        var key = data.keys[params.dataIndex];
        window.location.href = node.dataset.records + "&key=" + encodeURIComponent(key) + "&measure=" + measure;
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
