"""Interactive widgets the chapters share (ipywidgets). Kept out of the numeric core.

Every widget here has a plain function behind it that does the work without a browser, so the tests
(and the static figures in the chapters) can call it directly. In a live notebook (Binder, Colab or
local Jupyter) a widget redraws with Python; on the book's static pages its controls step through
views drawn when the notebook ran (:mod:`dlkit.widgets.static`), with no kernel.

One module per widget, in chapter order:

- :mod:`~dlkit.widgets.neuron` — ``neuron_playground``: two weights and a bias (The artificial neuron);
- :mod:`~dlkit.widgets.network_shape` — ``network_builder``, ``layer_sizes``, ``count_parameters``
  (Layers and the forward pass);
- :mod:`~dlkit.widgets.loss` — ``loss_explorer``: squared error vs cross-entropy (Loss functions);
- :mod:`~dlkit.widgets.tangent` — ``tangent_explorer``: the gradient as a slope (Backpropagation);
- :mod:`~dlkit.widgets.descent` — ``descent_explorer``: the learning rate (Optimizers and training);
- :mod:`~dlkit.widgets.activation_playground` — ``playground``, ``train_playground``
  (Activation functions and non-linearity);
- :mod:`~dlkit.widgets.mistakes` — ``mistake_explorer``: data hunger (Machine learning vs deep learning);
- :mod:`~dlkit.widgets.edges` — ``edge_explorer``: a sliding edge detector (Where deep learning goes next).

They all build on :class:`~dlkit.widgets.base.FigureWidget` (controls, a status line, one figure,
and the static page's grid of views).
The package exports what the chapters call; the widget classes live in their modules.
"""

from dlkit.widgets.activation_playground import (
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_DATASETS,
    playground,
    train_playground,
)
from dlkit.widgets.descent import descent_explorer
from dlkit.widgets.edges import edge_explorer
from dlkit.widgets.loss import loss_explorer
from dlkit.widgets.mistakes import mistake_explorer
from dlkit.widgets.network_shape import count_parameters, layer_sizes, network_builder
from dlkit.widgets.neuron import neuron_playground
from dlkit.widgets.tangent import tangent_explorer

__all__ = [
    "PLAYGROUND_ACTIVATIONS", "PLAYGROUND_DATASETS", "count_parameters", "descent_explorer",
    "edge_explorer", "layer_sizes", "loss_explorer", "mistake_explorer", "network_builder",
    "neuron_playground", "playground", "tangent_explorer", "train_playground",
]
