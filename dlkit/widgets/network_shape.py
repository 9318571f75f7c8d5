"""The network builder (chapter "Layers and the forward pass").

Two sliders, the number of hidden layers and their width, redraw the network diagram
(dlkit.plots.draw_network) and recount the parameters. The model comes from dlkit.network.make_mlp.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt

from dlkit.network import make_mlp
from dlkit.rng import RngLike, as_generator
from dlkit.widgets.base import FigureWidget


def layer_sizes(n_inputs: int, hidden_layers: int, width: int, n_outputs: int) -> list[int]:
    """``layer_sizes(64, 2, 16, 10)`` → ``[64, 16, 16, 10]``: the node count of every column."""
    if min(n_inputs, width, n_outputs) < 1 or hidden_layers < 0:
        raise ValueError("Layer widths must be at least 1 and the number of hidden layers at least 0.")
    return [int(n_inputs), *[int(width)] * int(hidden_layers), int(n_outputs)]


def count_parameters(sizes: Sequence[int]) -> tuple[int, int]:
    """``(weights, biases)`` of a chain of Dense layers with these sizes: each ``a → b`` has ``a·b``
    weights and ``b`` biases. ``count_parameters([2, 3, 2])`` → ``(12, 5)``."""
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    return int(weights), int(sum(sizes[1:]))


class NetworkBuilder(FigureWidget):
    """The widget behind :func:`network_builder`.

    Attributes:
        controls: dict of the sliders: ``"hidden_layers"`` and ``"width"`` (``IntSlider`` s).
        output: an ``ipywidgets.Output`` holding the diagram of the current network (a PNG image).
        status: an ``ipywidgets.HTML`` line: the layer sizes and the parameter count.
        model: the current :class:`dlkit.Sequential` (Dense → ReLU → ... → Dense).
        widget: the whole layout (a ``VBox``); a NetworkBuilder displays as this widget.
    """

    static_values = {"hidden_layers": (0, 1, 2, 3), "width": (2, 4, 8, 16, 32)}  # 20 views

    def __init__(self, n_inputs: int = 4, n_outputs: int = 3, *, hidden_layers: int = 1,
                 width: int = 5, max_hidden_layers: int = 5, max_width: int = 32,
                 max_nodes: int = 8, rng: RngLike = 0) -> None:
        import ipywidgets as widgets

        self.n_inputs, self.n_outputs = int(n_inputs), int(n_outputs)
        self.max_nodes, self.rng = max_nodes, rng
        style = {"description_width": "110px"}
        controls = {
            "hidden_layers": widgets.IntSlider(value=hidden_layers, min=0, max=max_hidden_layers,
                                               description="hidden layers",
                                               continuous_update=False, style=style),
            "width": widgets.IntSlider(value=width, min=1, max=max_width, description="width",
                                       continuous_update=False, style=style),
        }
        super().__init__(controls)
        self.model = None

    def draw(self):
        """Build the network for the current slider values, show its diagram and parameter count,
        and return the model."""
        from dlkit.plots import draw_network

        depth = int(self.controls["hidden_layers"].value)
        width = int(self.controls["width"].value)
        sizes = layer_sizes(self.n_inputs, depth, width, self.n_outputs)
        model = make_mlp([width] * depth, "relu", in_features=self.n_inputs,
                         out_features=self.n_outputs, rng=as_generator(self.rng))
        weights, biases = count_parameters(sizes)
        arrows = " → ".join(str(n) for n in sizes)
        self.status.value = (f"{arrows}: <b>{weights + biases:,} parameters</b> "
                             f"({weights:,} weights + {biases:,} biases)")
        fig, ax = plt.subplots(figsize=(7, 4.2))
        draw_network(model, ax=ax, max_nodes=self.max_nodes,
                     title=f"{arrows}  ({weights + biases:,} parameters)")
        fig.tight_layout()
        self.show_figure(fig, "<network diagram>")
        self.model = model
        return model


def network_builder(n_inputs: int = 4, n_outputs: int = 3, **options) -> NetworkBuilder:
    """Sliders for the number of hidden layers and their width, redrawing the network diagram and
    its parameter count. Inputs ``(batch, n_inputs)``, outputs ``(batch, n_outputs)``.

    ``options`` go to :class:`NetworkBuilder` (``hidden_layers``, ``width``, ``max_hidden_layers``,
    ``max_width``, ``max_nodes``, ``rng``). The first view is drawn right away, so a saved notebook
    shows it. Display the returned :class:`NetworkBuilder` as the last line of a cell.
    """
    builder = NetworkBuilder(n_inputs, n_outputs, **options)
    builder.draw()
    return builder
