// Draws every chart of the page (analytics/charts.py writes an empty .js-chart element and its figure as
// JSON data). Loaded with `defer` after plotly.js, so it runs once the page is parsed and plotly is there.
// On a narrow screen the labels get smaller and the legend goes under the chart, so that a 390 px wide
// phone shows the whole axis labels; the table under each chart holds the same figures.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var NARROW = 480;

  function narrowLayout(layout) {
    layout.font = Object.assign({}, layout.font, { size: 11 });
    layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, y: -0.25, xanchor: "left" });
    layout.margin = Object.assign({}, layout.margin, { l: 4, r: 16 });  // room for the last x tick ("100")
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({}, layout[axis], { automargin: true, tickfont: { size: 10 } });
    });
    return layout;
  }

  document.querySelectorAll(".js-chart[data-figure]").forEach(function (node) {
    var source = document.getElementById(node.getAttribute("data-figure"));
    if (!source) { return; }
    var payload = JSON.parse(source.textContent);
    var layout = payload.figure.layout || {};
    if (node.clientWidth && node.clientWidth < NARROW) { layout = narrowLayout(layout); }
    window.Plotly.newPlot(node, payload.figure.data, layout, payload.config);
  });
})();
