"""Figures the chapters share. Kept out of the numeric core, which never imports matplotlib.

Colours are the Okabe–Ito palette (:mod:`dlkit.plots.style`), which stays distinguishable with
every common colour-vision deficiency. Every function draws into ``ax`` (a new figure when ``ax`` is
None) and returns the Axes.

One module per kind of figure:

- :mod:`~dlkit.plots.style` — ``COLORS``, ``CLASS_COLORS``, ``MARKERS``;
- :mod:`~dlkit.plots.boundaries` — ``plot_decision_boundary``, ``plot_neuron_boundary``;
- :mod:`~dlkit.plots.diagrams` — ``draw_network``, ``plot_neuron_diagram``,
  ``draw_computation_graph``, ``draw_value_graph`` (the graph behind a ``dlkit.autograd.Value``);
- :mod:`~dlkit.plots.losses` — ``binary_losses``, ``plot_loss_curves``,
  ``logit_gradients``, ``plot_logit_gradients``;
- :mod:`~dlkit.plots.calculus` — ``plot_tangent``;
- :mod:`~dlkit.plots.training` — ``plot_history``, ``plot_descent_paths``;
- :mod:`~dlkit.plots.digits` — ``plot_digit_predictions``, ``plot_mistakes``;
- :mod:`~dlkit.plots.activations` — ``plot_activation_histograms``;
- :mod:`~dlkit.plots.filters` — ``plot_filter_response`` (and ``slide_filter``, ``edge_kernel``,
  which live in :mod:`dlkit.conv`).
"""

from dlkit.plots.activations import plot_activation_histograms
from dlkit.plots.boundaries import plot_decision_boundary, plot_neuron_boundary
from dlkit.plots.calculus import plot_tangent
from dlkit.plots.diagrams import (
    draw_computation_graph,
    draw_network,
    draw_value_graph,
    plot_neuron_diagram,
)
from dlkit.plots.digits import plot_digit_predictions, plot_mistakes
from dlkit.plots.filters import edge_kernel, plot_filter_response, slide_filter
from dlkit.plots.losses import binary_losses, logit_gradients, plot_logit_gradients, plot_loss_curves
from dlkit.plots.style import CLASS_COLORS, COLORS, MARKERS
from dlkit.plots.training import plot_descent_paths, plot_history

__all__ = [
    "CLASS_COLORS", "COLORS", "MARKERS", "binary_losses", "draw_computation_graph", "draw_network",
    "draw_value_graph", "edge_kernel", "logit_gradients", "plot_activation_histograms",
    "plot_decision_boundary", "plot_descent_paths", "plot_digit_predictions", "plot_filter_response",
    "plot_history", "plot_logit_gradients", "plot_loss_curves",
    "plot_mistakes", "plot_neuron_boundary", "plot_neuron_diagram", "plot_tangent", "slide_filter",
]
