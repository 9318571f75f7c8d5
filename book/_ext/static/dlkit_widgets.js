/* The book's figure widgets without a kernel (dlkit/widgets/static.py writes their HTML).
 *
 * Each widget block (div.dlkit-widget) holds its controls (disabled), its first view and, in a
 * <script type="application/json" class="dlkit-widget-data">, every view drawn when the notebook
 * ran: one [image, text] pair per combination of control values (row-major, buttons left out),
 * PNG images and status lines stored once each (on the site, the images are files named in the
 * data and loaded only when shown). This script enables the controls and shows the
 * saved view of whatever they are set to. A view that is missing or does not decode shows a
 * placeholder, never the previous view. A widget with an action (the playground's Train button)
 * changes its view only when the button is pressed: it then replays the steps of its replay
 * control up to the chosen one and ends on it, as the live widget trains and then shows the result.
 * A widget whose views are numbers (data.render === "chart") has them drawn as an SVG by
 * dlkit_charts.js, its first view included; its saved PNG stays only for a page without scripts.
 * Nothing is loaded from anywhere: it works from a web server and from a folder (file://).
 */
(function () {
  "use strict";

  var MISSING =
    "This view is not available offline: it was not saved with the page. Run the notebook " +
    "(Binder, Colab or Jupyter) to see it.";
  var REPLAY_FRAME_MS = 250;

  function Widget(root) {
    var script = root.querySelector("script.dlkit-widget-data");
    this.root = root;
    this.data = null;
    try {
      this.data = JSON.parse(script.textContent);
    } catch (error) {
      this.data = null;
    }
    this.status = root.querySelector(".dlkit-status");
    this.figure = root.querySelector(".dlkit-figure");
    this.image = this.figure.querySelector("img") || document.createElement("img");
    this.figure.appendChild(this.image);
    this.missing = document.createElement("p");
    this.missing.className = "dlkit-missing";
    this.missing.setAttribute("role", "status");
    this.missing.textContent = MISSING;
    this.missing.hidden = true;
    this.figure.appendChild(this.missing);
    var self = this;
    this.image.addEventListener("error", function () {
      if (self.image.getAttribute("src")) self.unavailable();
    });
    if (!this.data || !Array.isArray(this.data.controls) || !Array.isArray(this.data.views)) {
      this.unavailable();
      return;
    }
    this.axes = [];  // control numbers that index the views (every control but buttons)
    this.state = this.data.controls.map(function (control, number) {
      if (control.kind !== "button") self.axes.push(number);
      return control.index;
    });
    this.shown = this.state.slice();  // the setting whose view is on screen
    this.replaying = false;
    this.chart = null;  // the SVG on screen, for a chart widget
    this.bind();
    root.classList.add("dlkit-ready");
    root.dataset.view = String(this.position(this.shown));
    if (this.data.render === "chart") this.show(this.state);
  }

  Widget.prototype.position = function (state) {
    var controls = this.data.controls;
    return this.axes.reduce(function (position, number) {
      return position * controls[number].labels.length + state[number];
    }, 0);
  };

  Widget.prototype.unavailable = function () {
    this.showChart(null);
    this.image.hidden = true;
    this.image.removeAttribute("src");
    this.status.innerHTML = "";
    this.missing.hidden = false;
    this.root.dataset.view = "missing";
  };

  /* Show the saved view of `state` (an index per control). */
  Widget.prototype.show = function (state) {
    var data = this.data;
    var position = this.position(state);
    var view = data.views[position];
    this.shown = state.slice();
    var image = view ? data.images[view[0]] : undefined;
    var text = view ? data.texts[view[1]] : undefined;
    var kind = data.render === "chart" ? "object" : "string";
    if (!view || typeof text !== "string" || (view[0] !== null && typeof image !== kind)) {
      this.unavailable();
      return;
    }
    var svg = null;
    if (data.render === "chart" && view[0] !== null) {
      svg = window.dlkitCharts ? window.dlkitCharts.draw(image, data.shared) : null;
      if (!svg) {
        this.unavailable();
        return;
      }
    }
    this.missing.hidden = true;
    this.status.innerHTML = text;
    this.root.dataset.view = String(position);
    if (svg) {
      this.image.hidden = true;  // the saved PNG, for a page without scripts
      svg.setAttribute("aria-label", data.figure + ": " + this.status.textContent);
      svg.dataset.chart = String(view[0]);
      this.showChart(svg);
      return;
    }
    this.showChart(null);
    if (view[0] === null) {
      this.image.hidden = true;
      this.image.removeAttribute("src");
      return;
    }
    this.image.hidden = false;
    this.image.alt = data.figure + ": " + this.status.textContent;
    // On the site the images are files (book/_ext/static_widgets.py); in a notebook, data.
    this.image.src = data.image_base ? data.image_base + image : "data:image/png;base64," + image;
  };

  /* Put `svg` (or nothing) where the chart goes. */
  Widget.prototype.showChart = function (svg) {
    if (this.chart) this.figure.removeChild(this.chart);
    this.chart = svg;
    if (svg) this.figure.insertBefore(svg, this.missing);
  };

  Widget.prototype.set = function (number, index) {
    var control = this.data.controls[number];
    this.state[number] = index;
    var input = this.root.querySelector('input[type="range"][data-control="' + number + '"]');
    if (input) {
      var output = input.parentNode.querySelector("output");
      input.setAttribute("aria-valuetext", control.labels[index]);
      if (output) output.textContent = control.labels[index];
    }
    if (!this.data.action) this.show(this.state);
  };

  Widget.prototype.replay = function (button) {
    var self = this;
    var replay = this.data.action.replay;
    var last = this.state[replay];
    var target = this.state.slice();
    var frame = 0;
    this.replaying = true;
    button.disabled = true;
    this.root.setAttribute("aria-busy", "true");
    function step() {
      var state = target.slice();
      state[replay] = frame;
      self.show(state);
      if (frame >= last) {
        self.replaying = false;
        button.disabled = false;
        self.root.removeAttribute("aria-busy");
        self.root.dataset.replayed = String(Number(self.root.dataset.replayed || 0) + 1);
        return;
      }
      frame += 1;
      window.setTimeout(step, REPLAY_FRAME_MS);
    }
    step();
  };

  Widget.prototype.bind = function () {
    var self = this;
    var inputs = this.root.querySelectorAll("[data-control]");
    Array.prototype.forEach.call(inputs, function (input) {
      var number = Number(input.getAttribute("data-control"));
      input.disabled = false;
      if (input.tagName === "BUTTON") {
        input.addEventListener("click", function () {
          if (!self.replaying) self.replay(input);
        });
      } else if (input.type === "radio") {
        input.addEventListener("change", function () {
          if (input.checked) self.set(number, Number(input.value));
        });
      } else {
        input.addEventListener(input.tagName === "SELECT" ? "change" : "input", function () {
          self.set(number, Number(input.value));
        });
      }
    });
  };

  function start() {
    var roots = document.querySelectorAll("div.dlkit-widget");
    Array.prototype.forEach.call(roots, function (root) {
      if (!root.dlkitWidget) root.dlkitWidget = new Widget(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
