/* Help the saved ipywidgets of the book's pages (rendered by the ipywidgets HTML manager).
 *
 * 1. ipywidgets typesets the text of HTML and Label widgets with MathJax 2's API,
 *    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]). The book loads MathJax 3, which has
 *    no Hub: without this, every page with such a widget throws "Cannot read properties of
 *    undefined (reading 'Queue')". MathJax 3's typesetPromise does the same job.
 * 2. The manager draws a figure saved in a widget's state as an <img> without alt text. Screen
 *    readers then announce nothing. The alt text below says what the image is; the static figure
 *    next to every widget in the book describes the lesson itself.
 */
(function () {
  "use strict";

  var WIDGET_IMAGE_ALT =
    "The figure of an interactive widget, as it was saved. It changes when you move the " +
    "controls in a live notebook (Jupyter, Binder or Colab).";

  function installMathJax2Queue() {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub || typeof mathjax.typesetPromise !== "function") {
      return;
    }
    mathjax.Hub = {
      Queue: function (job) {
        var element = Array.isArray(job) ? job[2] : undefined;
        mathjax.startup.promise
          .then(function () {
            return mathjax.typesetPromise(element ? [element] : undefined);
          })
          .catch(function (error) {
            console.warn("MathJax could not typeset a widget:", error);
          });
      },
    };
  }

  function describeWidgetImages(root) {
    var images = root.querySelectorAll ? root.querySelectorAll(".widget-subarea img:not([alt]), .jupyter-widgets img:not([alt])") : [];
    Array.prototype.forEach.call(images, function (image) {
      image.alt = WIDGET_IMAGE_ALT;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    installMathJax2Queue();
    describeWidgetImages(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        Array.prototype.forEach.call(change.addedNodes, function (node) {
          if (node.nodeType !== 1) return;
          if (node.tagName === "IMG" && !node.hasAttribute("alt") && node.closest(".widget-subarea, .jupyter-widgets")) {
            node.alt = WIDGET_IMAGE_ALT;
          } else {
            describeWidgetImages(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
