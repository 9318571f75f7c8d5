"""Interactive widgets the chapters share (ipywidgets). Kept out of the numeric core.

Every widget here has a plain function behind it that does the work without a browser, so the tests
(and the static fallback figures in the chapters) can call it directly. In the book the saved widget
shows its first view; moving a control needs a live kernel (Binder, Colab or local Jupyter).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

# --- The activation playground (chapter "Activation functions and non-linearity") -----------------
#
# A small TensorFlow-Playground-like widget: pick a data set, the hidden widths, an activation and a
# learning rate, press Train, and see the decision boundary and the loss curve. The training itself
# lives in `train_playground`, which needs no browser (the tests and the static figures call it).

PLAYGROUND_DATASETS = ("xor", "moons", "circles", "spirals")
PLAYGROUND_ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu", "leaky_relu")


def playground_data(name: str, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The playground's data sets: ``X (n, 2)`` floats and ``y (n,)`` integer labels.

    ``"xor"`` puts 50 noisy copies of each of the four XOR corners (:func:`dlkit.data.xor`, centred
    on zero); ``"moons"`` and ``"circles"`` (200 points, two classes) and ``"spirals"`` (three arms
    of 100 points) come from :mod:`dlkit.data`.
    """
    from dlkit import data

    if name == "xor":
        corners, labels = data.xor()
        corners = 2.0 * np.asarray(corners, dtype=np.float64) - 1.0  # corners at ±1
        which = np.repeat(np.arange(4), 50)
        noise = np.random.default_rng(seed).normal(0.0, 0.25, size=(which.size, 2))
        return corners[which] + noise, np.asarray(labels)[which].astype(int)
    if name == "moons":
        return data.moons(n=200, noise=0.1, seed=seed)
    if name == "circles":
        return data.circles(n=200, noise=0.05, seed=seed)
    if name == "spirals":
        return data.spirals(n_per_class=100, classes=3, noise=0.2, seed=seed)
    raise ValueError(f"Unknown data set {name!r}; choose one of {PLAYGROUND_DATASETS}.")


def make_mlp(hidden: Sequence[int], activation: str, *, in_features: int = 2,
             out_features: int = 2, rng=None):
    """A multilayer perceptron ``Dense → activation → ... → Dense`` (a :class:`dlkit.Sequential`).

    Args:
        hidden: the widths of the hidden layers, e.g. ``(8, 8)``; ``()`` gives a single Dense layer.
        activation: one of :data:`PLAYGROUND_ACTIVATIONS`. He initialisation for the ReLU family,
            Xavier for the others.
    Shapes: the model maps ``(batch, in_features)`` to scores ``(batch, out_features)``.
    """
    from dlkit import layers
    from dlkit.network import Sequential

    makers = {"identity": layers.Identity, "sigmoid": layers.Sigmoid, "tanh": layers.Tanh,
              "relu": layers.ReLU, "leaky_relu": layers.LeakyReLU}
    if activation not in makers:
        raise ValueError(f"Unknown activation {activation!r}; choose one of {PLAYGROUND_ACTIVATIONS}.")
    init = "he" if activation in ("relu", "leaky_relu") else "xavier"
    parts, width_in = [], in_features
    for width in hidden:
        parts += [layers.Dense(width_in, int(width), init=init, rng=rng), makers[activation]()]
        width_in = int(width)
    parts.append(layers.Dense(width_in, out_features, init=init, rng=rng))
    return Sequential(*parts)


@dataclass
class PlaygroundRun:
    """What one press of Train produced: the data, the trained model and its training history."""

    dataset: str
    hidden: tuple[int, ...]
    activation: str
    lr: float
    epochs: int
    X: np.ndarray
    y: np.ndarray
    model: object
    history: object

    @property
    def loss(self) -> float:
        """The training loss after the last epoch."""
        return float(self.history.loss[-1])

    @property
    def accuracy(self) -> float:
        """Accuracy on the training points after the last epoch."""
        from dlkit.train import accuracy

        return float(accuracy(self.model.predict(self.X), self.y))


def train_playground(dataset: str = "circles", hidden: Sequence[int] = (8, 8),
                     activation: str = "relu", lr: float = 0.03, epochs: int = 300, *,
                     seed: int = 0) -> PlaygroundRun:
    """Train one playground network; no widgets involved.

    Builds :func:`make_mlp` (2 inputs, one score per class), trains it with :func:`dlkit.fit` (full batch,
    :class:`dlkit.optim.Adam`, :class:`dlkit.losses.CrossEntropyLoss`) on :func:`playground_data`,
    and returns a :class:`PlaygroundRun`. The same arguments always give the same numbers.
    """
    from dlkit.losses import CrossEntropyLoss
    from dlkit.optim import Adam
    from dlkit.train import fit

    hidden = tuple(int(width) for width in hidden)
    if any(width < 1 for width in hidden):
        raise ValueError(f"Every hidden width must be at least 1, got {hidden}.")
    X, y = playground_data(dataset, seed=seed)
    model = make_mlp(hidden, activation, out_features=int(y.max()) + 1,
                     rng=np.random.default_rng(seed))
    history = fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=lr), X, y,
                  epochs=int(epochs), seed=seed, progress=False)
    return PlaygroundRun(dataset, hidden, activation, float(lr), int(epochs), X, y, model, history)


def plot_playground(run: PlaygroundRun, axes=None, *, resolution: int = 150):
    """Draw a run: its decision boundary (left) and training loss per epoch (right).

    ``axes``: two matplotlib Axes, or None for a new 9 × 3.6 inch figure. Returns the Figure.
    """
    from dlkit.plots import COLORS, plot_decision_boundary

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), gridspec_kw={"width_ratios": [1.2, 1]})
    left, right = axes
    hidden = ", ".join(str(width) for width in run.hidden) or "none"
    plot_decision_boundary(run.model.predict, run.X, run.y, ax=left, resolution=resolution,
                           title=f"{run.dataset}, {run.activation}, hidden ({hidden})")
    epochs = np.arange(1, len(run.history.loss) + 1)
    right.plot(epochs, run.history.loss, color=COLORS["blue"])
    right.set_xlabel("epoch")
    right.set_ylabel("training loss (cross-entropy)")
    right.set_title(f"loss {run.loss:.3f}, accuracy {run.accuracy:.0%}")
    right.set_ylim(bottom=0)
    left.figure.tight_layout()
    return left.figure


def parse_widths(text: str) -> tuple[int, ...]:
    """``"8, 4"`` → ``(8, 4)``; ``""`` → ``()`` (no hidden layer). ValueError for anything else."""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    try:
        widths = tuple(int(part) for part in parts if part)
    except ValueError:
        raise ValueError(f"Hidden widths must be whole numbers separated by commas, like 8, 8; "
                         f"got {text!r}.") from None
    if any(width < 1 or width > 256 for width in widths):
        raise ValueError(f"Each hidden width must be between 1 and 256; got {text!r}.")
    return widths


class Playground:
    """The widget behind :func:`playground`: controls, a Train button, an Output and a status line.

    Attributes:
        controls: dict of the ipywidgets controls: ``"dataset"``, ``"hidden"``, ``"activation"``,
            ``"lr"``, ``"epochs"`` and the ``"train"`` button.
        output: an ``ipywidgets.Output`` showing the figure of the last run (a PNG image).
        status: an ``ipywidgets.HTML`` line: the last loss and accuracy, or what went wrong.
        run: the last :class:`PlaygroundRun` (None before the first training).
        widget: the whole layout (a ``VBox``); a Playground displays as this widget.
    """

    def __init__(self, dataset: str = "circles", hidden: Sequence[int] = (8, 8),
                 activation: str = "relu", lr: float = 0.03, epochs: int = 300, *,
                 seed: int = 0) -> None:
        import ipywidgets as widgets

        style = {"description_width": "110px"}
        self.seed = seed
        self.controls = {
            "dataset": widgets.Dropdown(options=PLAYGROUND_DATASETS, value=dataset,
                                        description="data set", style=style),
            "hidden": widgets.Text(value=", ".join(str(width) for width in hidden),
                                   description="hidden widths", placeholder="e.g. 8, 8",
                                   style=style),
            "activation": widgets.Dropdown(options=PLAYGROUND_ACTIVATIONS, value=activation,
                                           description="activation", style=style),
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.25,
                                         description="learning rate", readout_format=".3f",
                                         style=style),
            "epochs": widgets.IntSlider(value=epochs, min=50, max=1000, step=50,
                                        description="epochs", style=style),
            "train": widgets.Button(description="Train", button_style="primary", icon="play"),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML(value="Press <b>Train</b>.")
        self.run: PlaygroundRun | None = None
        self.controls["train"].on_click(lambda _button: self.train())
        left = widgets.VBox([self.controls[name] for name in
                             ("dataset", "hidden", "activation", "lr", "epochs")])
        right = widgets.VBox([self.controls["train"], self.status])
        self.widget = widgets.VBox([widgets.HBox([left, right]), self.output])

    def train(self) -> PlaygroundRun | None:
        """Train with the current control values and show the result in ``output``.

        Returns the new run, or None when a control holds something unusable (the status says what).
        """
        values = {name: control.value for name, control in self.controls.items()
                  if name != "train"}
        try:
            hidden = parse_widths(values["hidden"])
        except ValueError as error:
            self.status.value = f"<span style='color:{_ERROR_COLOR}'>{html.escape(str(error))}</span>"
            return None
        button = self.controls["train"]
        button.disabled = True
        self.status.value = "training…"
        try:
            run = train_playground(values["dataset"], hidden, values["activation"], values["lr"],
                                   values["epochs"], seed=self.seed)
        except (FloatingPointError, ValueError) as error:
            self.status.value = f"<span style='color:{_ERROR_COLOR}'>{html.escape(str(error))}</span>"
            return None
        finally:
            button.disabled = False
        self.run = run
        fig = plot_playground(run)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<playground figure>"},
                                "metadata": {}},)
        self.status.value = (f"loss <b>{run.loss:.3f}</b>, training accuracy "
                             f"<b>{run.accuracy:.0%}</b> after {run.epochs} epochs")
        return run

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


_ERROR_COLOR = "#D55E00"  # Okabe–Ito vermillion


def playground(dataset: str = "circles", hidden: Sequence[int] = (8, 8), activation: str = "relu",
               lr: float = 0.03, epochs: int = 300, *, seed: int = 0,
               train_now: bool = True) -> Playground:
    """A TensorFlow-Playground-like widget for classifying points in the plane.

    Pick a data set (xor, moons, circles, spirals), the hidden widths (``"8, 8"``), the activation
    and the learning rate, press Train, and see the decision boundary and the loss curve. With
    ``train_now`` it trains once right away, so the first view (and a saved notebook) shows a result.
    Display the returned :class:`Playground` as the last line of a cell.
    """
    widget = Playground(dataset, hidden, activation, lr, epochs, seed=seed)
    if train_now:
        widget.train()
    return widget


# --- The learning-rate explorer (chapter "Optimizers and the training loop") ----------------------
#
# Two sliders, the learning rate and the number of steps, and a gradient-descent path on a 2-D loss
# surface that is redrawn whenever one of them moves. The numbers come from
# dlkit.plots.gradient_descent_path, the drawing from dlkit.plots.plot_descent_paths.


class DescentExplorer:
    """The widget behind :func:`descent_explorer`.

    Attributes:
        controls: dict of the sliders: ``"lr"`` (a ``FloatSlider``) and ``"steps"`` (an ``IntSlider``).
        output: an ``ipywidgets.Output`` holding the figure of the current path (a PNG image).
        status: an ``ipywidgets.HTML`` line: where the loss started and ended, or that it blew up.
        path: the current path, ``(k, 2)`` points (None before the first draw).
        widget: the whole layout (a ``VBox``); a DescentExplorer displays as this widget.
    """

    def __init__(self, loss_fn, grad_fn, start, *, lr: float = 0.05,
                 lr_range: tuple[float, float] = (0.005, 0.25), lr_step: float = 0.005,
                 steps: int = 25, max_steps: int = 80,
                 xlim: tuple[float, float] = (-3.0, 3.0), ylim: tuple[float, float] = (-2.0, 2.0),
                 minimum: tuple[float, float] | None = (0.0, 0.0)) -> None:
        import ipywidgets as widgets

        self.loss_fn, self.grad_fn = loss_fn, grad_fn
        self.start = np.asarray(start, dtype=np.float64)
        self.xlim, self.ylim, self.minimum = xlim, ylim, minimum
        style = {"description_width": "110px"}
        self.controls = {
            "lr": widgets.FloatSlider(value=lr, min=lr_range[0], max=lr_range[1], step=lr_step,
                                      description="learning rate", readout_format=".3f",
                                      continuous_update=False, style=style),
            "steps": widgets.IntSlider(value=steps, min=1, max=max_steps, step=1,
                                       description="steps", continuous_update=False, style=style),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.path: np.ndarray | None = None
        for control in self.controls.values():
            control.observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status,
                                    self.output])

    def draw(self) -> np.ndarray:
        """Compute the path for the current slider values, show it, and return it ``(k, 2)``."""
        from dlkit.plots import gradient_descent_path, plot_descent_paths

        lr, steps = float(self.controls["lr"].value), int(self.controls["steps"].value)
        path = gradient_descent_path(self.grad_fn, self.start, lr, steps)
        first = float(self.loss_fn(*path[0]))
        last = float(self.loss_fn(*path[-1]))
        if len(path) < steps + 1 or last > 1e6 * max(first, 1e-12):
            verdict = "the steps overshoot further each time: <b>it diverges</b>"
        elif last > first:
            verdict = "the loss <b>grew</b>: the steps overshoot the valley"
        else:
            verdict = f"loss {first:.3g} → <b>{last:.3g}</b>"
        self.status.value = f"learning rate {lr:.3f}, {steps} steps: {verdict}"
        fig, ax = plt.subplots(figsize=(6.4, 4))
        plot_descent_paths(self.loss_fn, {f"lr = {lr:.3f}": path}, ax=ax, xlim=self.xlim,
                           ylim=self.ylim, minimum=self.minimum,
                           title=f"Gradient descent, learning rate {lr:.3f}, {steps} steps")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<descent path figure>"},
                                "metadata": {}},)
        self.path = path
        return path

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def descent_explorer(loss_fn, grad_fn, start, **options) -> DescentExplorer:
    """A learning-rate slider and a steps slider that redraw a gradient-descent path.

    Args:
        loss_fn: the loss of two weights, vectorised: ``loss_fn(w1, w2)`` (arrays of one shape in,
            same shape out).
        grad_fn: its gradient at a point ``(2,)`` → ``(2,)``.
        start: where the path starts, ``(2,)``.
        options: passed to :class:`DescentExplorer` (``lr``, ``lr_range``, ``lr_step``, ``steps``,
            ``max_steps``, ``xlim``, ``ylim``, ``minimum``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`DescentExplorer` as the last line of a cell.
    """
    explorer = DescentExplorer(loss_fn, grad_fn, start, **options)
    explorer.draw()
    return explorer


# --- The network builder (chapter "Layers and the forward pass") ----------------------------------
#
# Two sliders, the number of hidden layers and their width, redraw the network diagram
# (dlkit.plots.draw_network) and recount the parameters. The model comes from make_mlp.


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


class NetworkBuilder:
    """The widget behind :func:`network_builder`.

    Attributes:
        controls: dict of the sliders: ``"hidden_layers"`` and ``"width"`` (``IntSlider`` s).
        output: an ``ipywidgets.Output`` holding the diagram of the current network (a PNG image).
        status: an ``ipywidgets.HTML`` line: the layer sizes and the parameter count.
        model: the current :class:`dlkit.Sequential` (Dense → ReLU → ... → Dense).
        widget: the whole layout (a ``VBox``); a NetworkBuilder displays as this widget.
    """

    def __init__(self, n_inputs: int = 4, n_outputs: int = 3, *, hidden_layers: int = 1,
                 width: int = 5, max_hidden_layers: int = 5, max_width: int = 32,
                 max_nodes: int = 8, seed: int = 0) -> None:
        import ipywidgets as widgets

        self.n_inputs, self.n_outputs = int(n_inputs), int(n_outputs)
        self.max_nodes, self.seed = max_nodes, seed
        style = {"description_width": "110px"}
        self.controls = {
            "hidden_layers": widgets.IntSlider(value=hidden_layers, min=0, max=max_hidden_layers,
                                               description="hidden layers",
                                               continuous_update=False, style=style),
            "width": widgets.IntSlider(value=width, min=1, max=max_width, description="width",
                                       continuous_update=False, style=style),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.model = None
        for control in self.controls.values():
            control.observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status,
                                    self.output])

    def draw(self):
        """Build the network for the current slider values, show its diagram and parameter count,
        and return the model."""
        from dlkit.plots import draw_network

        depth = int(self.controls["hidden_layers"].value)
        width = int(self.controls["width"].value)
        sizes = layer_sizes(self.n_inputs, depth, width, self.n_outputs)
        model = make_mlp([width] * depth, "relu", in_features=self.n_inputs,
                         out_features=self.n_outputs, rng=np.random.default_rng(self.seed))
        weights, biases = count_parameters(sizes)
        arrows = " → ".join(str(n) for n in sizes)
        self.status.value = (f"{arrows}: <b>{weights + biases:,} parameters</b> "
                             f"({weights:,} weights + {biases:,} biases)")
        fig, ax = plt.subplots(figsize=(7, 4.2))
        draw_network(model, ax=ax, max_nodes=self.max_nodes,
                     title=f"{arrows}  ({weights + biases:,} parameters)")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<network diagram>"},
                                "metadata": {}},)
        self.model = model
        return model

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def network_builder(n_inputs: int = 4, n_outputs: int = 3, **options) -> NetworkBuilder:
    """Sliders for the number of hidden layers and their width, redrawing the network diagram and
    its parameter count. Inputs ``(batch, n_inputs)``, outputs ``(batch, n_outputs)``.

    ``options`` go to :class:`NetworkBuilder` (``hidden_layers``, ``width``, ``max_hidden_layers``,
    ``max_width``, ``max_nodes``, ``seed``). The first view is drawn right away, so a saved notebook
    shows it. Display the returned :class:`NetworkBuilder` as the last line of a cell.
    """
    builder = NetworkBuilder(n_inputs, n_outputs, **options)
    builder.draw()
    return builder


# --- The neuron playground (chapter "The artificial neuron") --------------------------------------
#
# Three sliders, w1, w2 and b, and the decision boundary of one two-input step neuron over a small
# data set, redrawn whenever a slider moves. The drawing is dlkit.plots.plot_neuron_boundary, which
# the chapter also calls directly for its static grid of slider positions.


class NeuronPlayground:
    """The widget behind :func:`neuron_playground`.

    Attributes:
        controls: dict of three ``FloatSlider``: ``"w1"``, ``"w2"`` and ``"b"``.
        output: an ``ipywidgets.Output`` holding the figure of the current neuron (a PNG image).
        status: an ``ipywidgets.HTML`` line: the rule the neuron applies and how many points it gets
            right.
        neuron: the current :class:`dlkit.Neuron` (None before the first draw).
        correct: how many points of ``X`` the current neuron labels as ``y`` says (None without ``y``).
        widget: the whole layout (a ``VBox``); a NeuronPlayground displays as this widget.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray | None = None, *, w1: float = 1.0,
                 w2: float = 1.0, b: float = 0.0,
                 weight_range: tuple[float, float] = (-3.0, 3.0),
                 bias_range: tuple[float, float] = (-5.0, 5.0), step: float = 0.1) -> None:
        import ipywidgets as widgets

        self.X = np.asarray(X, dtype=np.float64)
        if self.X.ndim != 2 or self.X.shape[1] != 2:
            raise ValueError(f"The neuron playground needs points of shape (n, 2); got {self.X.shape}.")
        self.y = None if y is None else np.asarray(y).reshape(-1).astype(int)
        style = {"description_width": "30px"}

        def slider(value: float, bounds: tuple[float, float], name: str):
            return widgets.FloatSlider(value=value, min=bounds[0], max=bounds[1], step=step,
                                       description=name, readout_format=".1f",
                                       continuous_update=False, style=style)

        self.controls = {"w1": slider(w1, weight_range, "w1"), "w2": slider(w2, weight_range, "w2"),
                         "b": slider(b, bias_range, "b")}
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.neuron = None
        self.correct: int | None = None
        for control in self.controls.values():
            control.observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status,
                                    self.output])

    def draw(self):
        """Draw the neuron of the current slider values into ``output``; return that Neuron."""
        from dlkit.neuron import Neuron
        from dlkit.plots import plot_neuron_boundary

        w1, w2, b = (round(float(self.controls[name].value), 6) for name in ("w1", "w2", "b"))
        neuron = Neuron([w1, w2], b)
        fig, ax = plt.subplots(figsize=(5.2, 4.6))
        plot_neuron_boundary([w1, w2], b, self.X, self.y, ax=ax)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<neuron figure>"},
                                "metadata": {}},)
        rule = f"fires where {w1:g}·x<sub>1</sub> + {w2:g}·x<sub>2</sub> + {b:g} ≥ 0"
        if self.y is not None:
            self.correct = int(np.sum(neuron(self.X) == self.y))
            rule += f": <b>{self.correct} of {len(self.y)}</b> points right"
        self.status.value = f"The neuron {rule}."
        self.neuron = neuron
        return neuron

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def neuron_playground(X: np.ndarray, y: np.ndarray | None = None, **options) -> NeuronPlayground:
    """Sliders for the two weights and the bias of one step neuron, and its decision boundary.

    Args:
        X: ``(n, 2)`` points to draw; y: ``(n,)`` their labels 0/1 (optional; with them the widget
            counts how many points the neuron gets right).
        options: passed to :class:`NeuronPlayground` (``w1``, ``w2``, ``b`` for the start,
            ``weight_range``, ``bias_range``, ``step``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`NeuronPlayground` as the last line of a cell.
    """
    playground = NeuronPlayground(X, y, **options)
    playground.draw()
    return playground


# --- The tangent explorer (chapter "Backpropagation: sending the error backward") -----------------
#
# One slider moves a weight along a loss curve; the tangent line at that point has the gradient as
# its slope, and a status line says which way to turn the knob. The drawing is
# dlkit.plots.plot_tangent, which the chapter also calls directly for its static grid.


class TangentExplorer:
    """The widget behind :func:`tangent_explorer`.

    Attributes:
        controls: dict with one ``FloatSlider``, ``"x"``: where on the curve the tangent touches.
        output: an ``ipywidgets.Output`` holding the figure of the curve and its tangent (a PNG image).
        status: an ``ipywidgets.HTML`` line: the value and the gradient there, and which way to turn.
        slope: the gradient ``df(x)`` at the current slider value (None before the first draw).
        widget: the whole layout (a ``VBox``); a TangentExplorer displays as this widget.
    """

    def __init__(self, f, df, x_range: tuple[float, float], *, x0: float | None = None,
                 step: float = 0.05, xlabel: str = "w", ylabel: str = "loss",
                 title: str | None = None) -> None:
        import ipywidgets as widgets

        self.f, self.df = f, df
        self.x_range = (float(x_range[0]), float(x_range[1]))
        if not self.x_range[0] < self.x_range[1]:
            raise ValueError(f"x_range must be (low, high) with low < high, got {x_range}.")
        self.xlabel, self.ylabel, self.title = xlabel, ylabel, title
        start = sum(self.x_range) / 2 if x0 is None else float(x0)
        self.controls = {
            "x": widgets.FloatSlider(value=start, min=self.x_range[0], max=self.x_range[1],
                                     step=step, description=xlabel, readout_format=".2f",
                                     continuous_update=False),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.slope: float | None = None
        self.controls["x"].observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([self.controls["x"], self.status, self.output])

    def draw(self) -> float:
        """Draw the curve and the tangent at the slider's value; return the slope there."""
        from dlkit.plots import plot_tangent

        x0 = round(float(self.controls["x"].value), 6)
        slope = float(self.df(x0))
        value = float(np.asarray(self.f(np.array([x0])))[0])
        if abs(slope) < 1e-3:
            advice = "flat: this is the bottom, leave it"
        elif slope > 0:
            advice = f"positive: turn {html.escape(self.xlabel)} <b>down</b>"
        else:
            advice = f"negative: turn {html.escape(self.xlabel)} <b>up</b>"
        self.status.value = (f"{html.escape(self.xlabel)} = {x0:.2f}: {html.escape(self.ylabel)} "
                             f"{value:.4f}, gradient {slope:+.4f}, {advice}")
        fig, ax = plt.subplots(figsize=(6, 3.8))
        plot_tangent(self.f, self.df, x0, self.x_range, ax=ax, xlabel=self.xlabel,
                     ylabel=self.ylabel, title=self.title)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<tangent figure>"},
                                "metadata": {}},)
        self.slope = slope
        return slope

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def tangent_explorer(f, df, x_range: tuple[float, float], **options) -> TangentExplorer:
    """A slider that moves a point along the curve ``f`` and draws the tangent line there.

    Args:
        f: the curve, vectorised: an array ``(n,)`` of knob values → ``(n,)`` values (e.g. the loss
            as a function of one weight).
        df: its derivative (the gradient), a float → a float.
        x_range: ``(low, high)``, the slider's range and the plot's horizontal axis.
        options: passed to :class:`TangentExplorer` (``x0`` the start, ``step``, ``xlabel``,
            ``ylabel``, ``title``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`TangentExplorer` as the last line of a cell.
    """
    explorer = TangentExplorer(f, df, x_range, **options)
    explorer.draw()
    return explorer


# --- The loss explorer (chapter "Loss functions: how wrong was the model?") -----------------------
#
# A slider for the predicted probability of "yes" and buttons for the true answer; both losses of
# that one prediction are shown as curves with the prediction marked, and as numbers. The drawing is
# dlkit.plots.plot_loss_curves, which the chapter also calls directly for its static grid.


class LossExplorer:
    """The widget behind :func:`loss_explorer`.

    Attributes:
        controls: dict with a ``FloatSlider`` ``"p"`` (the predicted probability of "yes", 0.01 to
            0.99) and ``ToggleButtons`` ``"label"`` (the true answer, 1 for yes or 0 for no).
        output: an ``ipywidgets.Output`` holding the figure of both loss curves (a PNG image).
        status: an ``ipywidgets.HTML`` line with both loss values.
        losses: ``(squared error, cross-entropy)`` of the current prediction (None before the first
            draw).
        widget: the whole layout (a ``VBox``); a LossExplorer displays as this widget.
    """

    def __init__(self, p: float = 0.7, label: int = 1) -> None:
        import ipywidgets as widgets

        if label not in (0, 1):
            raise ValueError(f"label must be 0 or 1, got {label!r}.")
        self.controls = {
            "p": widgets.FloatSlider(value=p, min=0.01, max=0.99, step=0.01,
                                     description='p("yes")', readout_format=".2f",
                                     continuous_update=False),
            "label": widgets.ToggleButtons(options=[("yes (1)", 1), ("no (0)", 0)], value=label,
                                           description="true answer"),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.losses: tuple[float, float] | None = None
        for control in self.controls.values():
            control.observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status,
                                    self.output])

    def draw(self) -> tuple[float, float]:
        """Draw both curves with the current prediction marked; return its two losses."""
        from dlkit.plots import binary_losses, plot_loss_curves

        p = round(float(self.controls["p"].value), 6)
        label = int(self.controls["label"].value)
        mse, ce = (float(value) for value in binary_losses(p, label))
        answer = "yes" if label == 1 else "no"
        self.status.value = (f'p("yes") = {p:.2f}, true answer {answer}: squared error '
                             f"<b>{mse:.4f}</b>, cross-entropy <b>{ce:.4f}</b>")
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        plot_loss_curves(label, [p], axes=axes)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<loss curves figure>"},
                                "metadata": {}},)
        self.losses = (mse, ce)
        return self.losses

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def loss_explorer(p: float = 0.7, label: int = 1) -> LossExplorer:
    """A slider for a predicted probability of "yes" and buttons for the true answer, showing the
    squared error and the cross-entropy of that one prediction as curves and numbers.

    Args:
        p: the starting probability of "yes" (the slider runs from 0.01 to 0.99).
        label: the starting true answer, 1 (yes) or 0 (no).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`LossExplorer` as the last line of a cell.
    """
    explorer = LossExplorer(p, label)
    explorer.draw()
    return explorer


# --- The data-hunger explorer (chapter "Machine learning vs deep learning") ------------------------
#
# A slider over training-set sizes. Everything was trained beforehand (the chapter passes in each
# model's test predictions for every size), so moving the slider only redraws: each model's test
# accuracy and the first digits it got wrong (dlkit.plots.plot_mistakes).


class MistakeExplorer:
    """The widget behind :func:`mistake_explorer`.

    Attributes:
        controls: dict with the ``"size"`` slider (a ``SelectionSlider`` over the training-set sizes).
        output: an ``ipywidgets.Output`` holding the figure of the current size (a PNG image).
        status: an ``ipywidgets.HTML`` line: every model's test accuracy at the current size.
        accuracies: model name → test accuracy at the current size (empty before the first draw).
        widget: the whole layout (a ``VBox``); a MistakeExplorer displays as this widget.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray,
                 results: dict[int, dict[str, np.ndarray]], *, size: int | None = None,
                 n_show: int = 6) -> None:
        import ipywidgets as widgets

        if not results:
            raise ValueError("results is empty: give at least one training-set size.")
        self.images = np.asarray(images, dtype=np.float64)
        self.labels = np.asarray(labels).reshape(-1).astype(int)
        self.results = {int(n): dict(per_model) for n, per_model in sorted(results.items())}
        self.n_show = int(n_show)
        sizes = list(self.results)
        if size is None:
            size = sizes[0]
        if size not in self.results:
            raise ValueError(f"size {size} is not one of the precomputed sizes {sizes}.")
        self.controls = {
            "size": widgets.SelectionSlider(options=sizes, value=size,
                                            description="training images",
                                            continuous_update=False,
                                            style={"description_width": "110px"},
                                            layout=widgets.Layout(width="480px")),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.accuracies: dict[str, float] = {}
        self.controls["size"].observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([self.controls["size"], self.status, self.output])

    def draw(self) -> dict[str, float]:
        """Show the accuracies and mistakes for the slider's size; return the accuracies."""
        from dlkit.plots import plot_mistakes

        size = int(self.controls["size"].value)
        predictions = self.results[size]
        self.accuracies = {name: float(np.mean(np.asarray(guess).reshape(-1) == self.labels))
                           for name, guess in predictions.items()}
        self.status.value = f"trained on <b>{size:,}</b> images: " + ", ".join(
            f"{html.escape(name)} <b>{acc:.1%}</b>" for name, acc in self.accuracies.items())
        axes = plot_mistakes(self.images, self.labels, predictions, n_show=self.n_show)
        fig = axes[0, 0].figure
        fig.suptitle(f"First test digits each model gets wrong after {size:,} training images "
                     "(true → guess)", fontsize=10)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<mistakes figure>"},
                                "metadata": {}},)
        return self.accuracies

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def mistake_explorer(images: np.ndarray, labels: np.ndarray,
                     results: dict[int, dict[str, np.ndarray]], **options) -> MistakeExplorer:
    """A training-set-size slider showing each model's test accuracy and a few digits it got wrong.

    Args:
        images: ``(n, 64)`` test images (8×8 pixels, any scale).
        labels: ``(n,)`` their true digits.
        results: training-set size → {model name → ``(n,)`` that model's predicted digits}, all
            computed beforehand, so the slider only redraws.
        options: ``size`` (the first size shown; default the smallest) and ``n_show`` (mistakes per
            model, default 6).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`MistakeExplorer` as the last line of a cell.
    """
    explorer = MistakeExplorer(images, labels, results, **options)
    explorer.draw()
    return explorer


# --- The edge explorer (chapter "Where deep learning goes next") ----------------------------------
#
# Turn a 3×3 edge detector (dlkit.plots.edge_kernel) and slide it over a handwritten digit: the
# response map shows which strokes face that direction. The drawing is
# dlkit.plots.plot_filter_response, which the chapter also calls for its static grid.


class EdgeExplorer:
    """The widget behind :func:`edge_explorer`.

    Attributes:
        controls: dict with an ``IntSlider`` ``"angle"`` (the direction the detector looks for, in
            degrees, 0 to 345 in steps of 15) and an ``IntSlider`` ``"image"`` (which image).
        output: an ``ipywidgets.Output`` holding the three-panel figure (a PNG image).
        status: an ``ipywidgets.HTML`` line naming the digit and the strongest response.
        response: the last response map, ``(6, 6)`` for an 8×8 image (None before the first draw).
        widget: the whole layout (a ``VBox``); an EdgeExplorer displays as this widget.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray | None = None, *, angle: int = 0,
                 index: int = 0) -> None:
        import ipywidgets as widgets

        images = np.asarray(images, dtype=np.float64)
        if images.ndim == 2:
            side = int(round(np.sqrt(images.shape[1])))
            images = images.reshape(len(images), side, side)
        if images.ndim != 3:
            raise ValueError(f"images must be (n, 64) or (n, 8, 8)-like, got shape {images.shape}.")
        self.images = images
        self.labels = None if labels is None else np.asarray(labels).reshape(-1)
        self.controls = {
            "angle": widgets.IntSlider(value=int(angle) % 360, min=0, max=345, step=15,
                                       description="direction (°)", continuous_update=False),
            "image": widgets.IntSlider(value=int(index), min=0, max=len(images) - 1,
                                       description="image", continuous_update=False),
        }
        self.output = widgets.Output()
        self.status = widgets.HTML()
        self.response: np.ndarray | None = None
        for control in self.controls.values():
            control.observe(lambda _change: self.draw(), names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values())), self.status,
                                    self.output])

    def draw(self) -> np.ndarray:
        """Draw the image, the kernel for the current direction and its response; return the map."""
        from dlkit.plots import edge_kernel, plot_filter_response, slide_filter

        angle = int(self.controls["angle"].value)
        index = int(self.controls["image"].value)
        image, kernel = self.images[index], edge_kernel(angle)
        response = slide_filter(image, kernel)
        row, col = np.unravel_index(int(np.argmax(response)), response.shape)
        name = "image" if self.labels is None else f"a handwritten {self.labels[index]}"
        self.status.value = (f"{name}, detector for ink growing towards {angle}°: strongest "
                             f"response <b>{response[row, col]:.1f}</b> at window row {row}, "
                             f"column {col}")
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.6),
                                 gridspec_kw={"width_ratios": [8, 5, 8]})
        plot_filter_response(image, kernel, axes=axes, window=(int(row), int(col)),
                             titles=(name, f"edge detector, {angle}°", "response"))
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": "<edge response figure>"},
                                "metadata": {}},)
        self.response = response
        return response

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def edge_explorer(images: np.ndarray, labels: np.ndarray | None = None, *, angle: int = 0,
                  index: int = 0) -> EdgeExplorer:
    """Sliders for the direction of a 3×3 edge detector and for the image it slides over.

    Args:
        images: ``(n, 64)`` pixels of 8×8 images, or ``(n, H, W)``.
        labels: ``(n,)`` the digits, named in the status line (optional).
        angle: the starting direction in degrees (0: ink growing to the right).
        index: the starting image.

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`EdgeExplorer` as the last line of a cell.
    """
    explorer = EdgeExplorer(images, labels, angle=angle, index=index)
    explorer.draw()
    return explorer
