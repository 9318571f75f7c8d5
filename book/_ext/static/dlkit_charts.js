/* Draw a figure widget's view from numbers, as an SVG (for widgets with static_render = "chart").
 *
 * dlkit computes the numbers when the notebook runs (dlkit/widgets/activation_playground.py's
 * playground_chart: the predicted class of every cell of the plane, the data points and the loss
 * per epoch); this file only draws them, laid out like dlkit's matplotlib figure: the decision
 * region with the points on the left, the training loss on the right. Every drawn element keeps
 * the numbers it stands for in data- attributes, so a test can read back what was drawn.
 * dlkit_widgets.js calls window.dlkitCharts.draw(chart, shared) and shows the result.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 720;
  var HEIGHT = 288;
  var PANELS = [{x: 58, y: 30, w: 300, h: 212}, {x: 450, y: 30, w: 250, h: 212}];
  var FONT = "DejaVu Sans, Verdana, sans-serif";

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, attributes) {
    var node = element("text", Object.assign({x: x, y: y, "font-family": FONT, "font-size": 11,
                                              fill: "#222"}, attributes || {}), parent);
    node.textContent = content;
    return node;
  }

  /* About `count` round tick values between lo and hi (steps of 1, 2 or 5 times a power of 10). */
  function ticks(lo, hi, count) {
    var raw = (hi - lo) / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; })
      .filter(function (s) { return s >= raw; })[0];
    var values = [];
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return values.map(function (value) { return {value: value, label: value.toFixed(digits)}; });
  }

  /* An axes box with ticks and labels; returns the maps from data to SVG coordinates. */
  function axes(svg, panel, xRange, yRange, labels, title) {
    var sx = function (x) { return panel.x + (x - xRange[0]) / (xRange[1] - xRange[0]) * panel.w; };
    var sy = function (y) { return panel.y + panel.h - (y - yRange[0]) / (yRange[1] - yRange[0]) * panel.h; };
    var group = element("g", {"class": "dlkit-chart-axes", "data-x-range": xRange.join(" "),
                              "data-y-range": yRange.join(" "),
                              "data-box": [panel.x, panel.y, panel.w, panel.h].join(" ")}, svg);
    ticks(xRange[0], xRange[1], 5).forEach(function (tick) {
      var x = sx(tick.value);
      element("line", {x1: x, x2: x, y1: panel.y + panel.h, y2: panel.y + panel.h + 4,
                       stroke: "#222"}, group);
      text(group, x, panel.y + panel.h + 15, tick.label, {"text-anchor": "middle"});
    });
    ticks(yRange[0], yRange[1], 5).forEach(function (tick) {
      var y = sy(tick.value);
      element("line", {x1: panel.x - 4, x2: panel.x, y1: y, y2: y, stroke: "#222"}, group);
      text(group, panel.x - 6, y + 4, tick.label, {"text-anchor": "end"});
    });
    text(group, panel.x + panel.w / 2, panel.y + panel.h + 30, labels[0], {"text-anchor": "middle"});
    text(group, panel.x - 40, panel.y + panel.h / 2, labels[1],
         {"text-anchor": "middle", transform: "rotate(-90 " + (panel.x - 40) + " " +
                                              (panel.y + panel.h / 2) + ")"});
    text(group, panel.x + panel.w / 2, panel.y - 9, title, {"text-anchor": "middle", "font-size": 12});
    return {sx: sx, sy: sy, group: group};
  }

  function marker(parent, kind, x, y, r, attributes) {
    var shapes = {
      s: "M" + (x - r) + "," + (y - r) + "h" + 2 * r + "v" + 2 * r + "h" + -2 * r + "z",
      "^": "M" + x + "," + (y - r * 1.2) + "L" + (x + r * 1.1) + "," + (y + r * 0.8) + "L" +
           (x - r * 1.1) + "," + (y + r * 0.8) + "z",
      D: "M" + x + "," + (y - r * 1.2) + "L" + (x + r) + "," + y + "L" + x + "," + (y + r * 1.2) +
         "L" + (x - r) + "," + y + "z",
    };
    if (shapes[kind]) return element("path", Object.assign({d: shapes[kind]}, attributes), parent);
    return element("circle", Object.assign({cx: x, cy: y, r: r}, attributes), parent);
  }

  /* The playground: decision region and points (left), training loss per epoch (right). */
  function playground(svg, chart, shared) {
    var e = chart.extent;  // cell centres: [x_min, x_max, y_min, y_max]
    var rows = chart.region.length;
    var dx = (e[1] - e[0]) / (rows - 1);
    var dy = (e[3] - e[2]) / (rows - 1);
    var xRange = [e[0] - dx / 2, e[1] + dx / 2];
    var yRange = [e[2] - dy / 2, e[3] + dy / 2];
    var left = axes(svg, PANELS[0], xRange, yRange, shared.labels[0], chart.titles[0]);
    var region = element("g", {"class": "dlkit-chart-region", "fill-opacity": 0.25,
                               "shape-rendering": "crispEdges"}, left.group);
    chart.region.forEach(function (runs, row) {
      var column = 0;
      for (var k = 0; k < runs.length; k += 2) {
        var label = runs[k];
        var count = runs[k + 1];
        var x0 = left.sx(xRange[0] + column * dx);
        var y1 = left.sy(yRange[0] + row * dy);
        element("rect", {x: x0, y: left.sy(yRange[0] + (row + 1) * dy),
                         width: left.sx(xRange[0] + (column + count) * dx) - x0,
                         height: y1 - left.sy(yRange[0] + (row + 1) * dy),
                         fill: shared.colors[label], "data-class": label, "data-row": row,
                         "data-column": column, "data-count": count}, region);
        column += count;
      }
    });
    var points = element("g", {"class": "dlkit-chart-points", stroke: "#fff",
                               "stroke-width": 0.6}, left.group);
    (shared.points[chart.dataset] || []).forEach(function (point) {
      var label = point[2];
      marker(points, shared.markers[label % shared.markers.length], left.sx(point[0]),
             left.sy(point[1]), 3.2, {fill: shared.colors[label], "data-class": label});
    });
    element("rect", {x: PANELS[0].x, y: PANELS[0].y, width: PANELS[0].w, height: PANELS[0].h,
                     fill: "none", stroke: "#222"}, left.group);
    var classes = {};
    (shared.points[chart.dataset] || []).forEach(function (point) { classes[point[2]] = true; });
    Object.keys(classes).sort().forEach(function (label, i) {
      var y = PANELS[0].y + 12 + 14 * i;
      marker(left.group, shared.markers[label % shared.markers.length], PANELS[0].x + PANELS[0].w - 58,
             y - 4, 3.2, {fill: shared.colors[label], stroke: "#fff", "stroke-width": 0.6});
      text(left.group, PANELS[0].x + PANELS[0].w - 50, y, "class " + label, {"font-size": 10});
    });

    var loss = chart.loss;
    var top = Math.max.apply(null, loss.concat([1e-12])) * 1.05;
    var right = axes(svg, PANELS[1], [0, loss.length + 1], [0, top], shared.labels[1],
                     chart.titles[1]);
    var path = loss.map(function (value, i) {
      return right.sx(i + 1).toFixed(2) + "," + right.sy(value).toFixed(2);
    }).join(" ");
    element("polyline", {points: path, fill: "none", stroke: shared.curve, "stroke-width": 1.5,
                         "class": "dlkit-chart-curve", "data-values": loss.length}, right.group);
    element("rect", {x: PANELS[1].x, y: PANELS[1].y, width: PANELS[1].w, height: PANELS[1].h,
                     fill: "none", stroke: "#222"}, right.group);
  }

  var KINDS = {playground: playground};

  /* The SVG of one chart, or null when its kind is unknown or its numbers do not draw. */
  function draw(chart, shared) {
    if (!chart || !KINDS[chart.kind]) return null;
    var svg = element("svg", {viewBox: "0 0 " + WIDTH + " " + HEIGHT, width: WIDTH,
                              height: HEIGHT, role: "img", "class": "dlkit-chart"});
    element("rect", {width: WIDTH, height: HEIGHT, fill: "#fff"}, svg);
    try {
      KINDS[chart.kind](svg, chart, shared || {});
    } catch (error) {
      return null;
    }
    return svg;
  }

  window.dlkitCharts = {draw: draw};
})();
