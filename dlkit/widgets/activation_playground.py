"""The activation playground (chapter "Activation functions and non-linearity").

A small TensorFlow-Playground-like widget: pick a data set, the hidden widths, an activation and a
learning rate, press Train, and see the decision boundary and the loss curve. The training itself
lives in `train_playground`, which needs no browser (the tests and the static figures call it).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from dlkit.layers import ACTIVATION_LAYERS
from dlkit.network import make_mlp
from dlkit.plots.style import CLASS_COLORS, COLORS, MARKERS
from dlkit.rng import RngLike, as_generator
from dlkit.widgets import static
from dlkit.widgets.base import FigureWidget

PLAYGROUND_DATASETS = ("xor", "moons", "circles", "spirals")
# Every activation that can learn: the step function's gradient is zero everywhere.
PLAYGROUND_ACTIVATIONS = tuple(name for name in ACTIVATION_LAYERS if name != "step")


def playground_data(name: str, *, rng: RngLike = 0) -> tuple[np.ndarray, np.ndarray]:
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
        noise = as_generator(rng).normal(0.0, 0.25, size=(which.size, 2))
        return corners[which] + noise, np.asarray(labels)[which].astype(int)
    if name == "moons":
        return data.moons(n=200, noise=0.1, rng=rng)
    if name == "circles":
        return data.circles(n=200, noise=0.05, rng=rng)
    if name == "spirals":
        return data.spirals(n_per_class=100, classes=3, noise=0.2, rng=rng)
    raise ValueError(f"Unknown data set {name!r}; choose one of {PLAYGROUND_DATASETS}.")


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
                     rng: RngLike = 0) -> PlaygroundRun:
    """Train one playground network; no widgets involved.

    Builds :func:`make_mlp` (2 inputs, one score per class), trains it with :func:`dlkit.fit` (full batch,
    :class:`dlkit.optim.Adam`, :class:`dlkit.losses.CrossEntropyLoss`) on :func:`playground_data`,
    and returns a :class:`PlaygroundRun`. The same arguments (with an int ``rng``) always give the
    same numbers.
    """
    from dlkit.losses import CrossEntropyLoss
    from dlkit.optim import Adam
    from dlkit.train import fit

    hidden = tuple(int(width) for width in hidden)
    if any(width < 1 for width in hidden):
        raise ValueError(f"Every hidden width must be at least 1, got {hidden}.")
    X, y = playground_data(dataset, rng=rng)
    model = make_mlp(hidden, activation, out_features=int(y.max()) + 1, rng=as_generator(rng))
    history = fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=lr), X, y,
                  epochs=int(epochs), rng=rng)
    return PlaygroundRun(dataset, hidden, activation, float(lr), int(epochs), X, y, model, history)


def plot_playground(run: PlaygroundRun, axes=None, *, resolution: int = 150):
    """Draw a run: its decision boundary (left) and training loss per epoch (right).

    ``axes``: two matplotlib Axes, or None for a new 9 × 3.6 inch figure. Returns the Figure.
    """
    from dlkit.plots import plot_decision_boundary

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


CHART_CELLS = 60  # class cells per side of the decision region drawn on the static page


def _round(values, digits: int) -> list[float]:
    return [float(v) for v in np.round(np.asarray(values, dtype=np.float64), digits)]


def playground_chart(run: PlaygroundRun, *, cells: int = CHART_CELLS) -> dict:
    """A run as the numbers the static page draws (an SVG like :func:`plot_playground`'s figure).

    Keys: ``dataset`` (its points are in :func:`playground_points`), ``extent`` (``[x_min, x_max,
    y_min, y_max]`` of the region's cell centres), ``region`` (``cells`` rows of the predicted class
    per cell, bottom row first, as :func:`dlkit.widgets.static.run_lengths`), ``loss`` (per epoch,
    4 significant digits) and ``titles`` (of the two panels, as in :func:`plot_playground`).
    """
    from dlkit.plots.boundaries import plane_grid

    xx, yy, grid = plane_grid(run.X, resolution=cells, padding=0.5)
    labels = np.asarray(run.model.predict(grid)).argmax(axis=1).reshape(xx.shape)
    hidden = ", ".join(str(width) for width in run.hidden) or "none"
    return {
        "kind": "playground", "dataset": run.dataset,
        "extent": _round([xx[0, 0], xx[0, -1], yy[0, 0], yy[-1, 0]], 6),
        "region": [static.run_lengths(row) for row in labels],
        "loss": [float(f"{v:.4g}") for v in run.history.loss],
        "titles": [f"{run.dataset}, {run.activation}, hidden ({hidden})",
                   f"loss {run.loss:.3f}, accuracy {run.accuracy:.0%}"],
    }


def playground_points(datasets: Sequence[str] = PLAYGROUND_DATASETS, *, rng: RngLike = 0) -> dict:
    """What every chart of the static page shares: each data set's points (``[x1, x2, label]``,
    3 decimals), the class colours and markers (:mod:`dlkit.plots.style`) and the axis labels."""
    points = {}
    for name in datasets:
        X, y = playground_data(name, rng=rng)
        points[name] = [[*_round(x, 3), int(label)] for x, label in zip(X, y, strict=True)]
    return {"points": points, "colors": list(CLASS_COLORS), "markers": list(MARKERS),
            "curve": COLORS["blue"],
            "labels": [["x\u2081", "x\u2082"], ["epoch", "training loss (cross-entropy)"]]}


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


def _error_html(error: Exception) -> str:
    return f"<span style='color:{COLORS['vermillion']}'>{html.escape(str(error))}</span>"


class Playground(FigureWidget):
    """The widget behind :func:`playground`: controls, a Train button, an Output and a status line.

    Attributes:
        controls: dict of the ipywidgets controls: ``"dataset"``, ``"hidden"``, ``"activation"``,
            ``"lr"``, ``"epochs"`` and the ``"train"`` button.
        output: an ``ipywidgets.Output`` showing the figure of the last run (a PNG image).
        status: an ``ipywidgets.HTML`` line: the last loss and accuracy, or what went wrong.
        run: the last :class:`PlaygroundRun` (None before the first training).
        widget: the whole layout (a ``VBox``); a Playground displays as this widget.
    """

    # The static page (216 trainings of a few hundredths of a second): every data set, three
    # hidden layouts, three activations, three learning rates, and Train replays the run at 100
    # epochs before the chosen one (the same seed: the first 100 epochs are the same). Its views
    # are numbers drawn by the book's script (a PNG per view would take 8 MB and 40 s to draw).
    static_values = {"hidden": ("3", ""), "activation": ("identity", "tanh", "relu"),
                     "lr": (0.001, 0.03, 0.3), "epochs": (100,)}
    static_action = ("train", "epochs")
    static_render = "chart"
    max_static_views = 216

    def __init__(self, dataset: str = "circles", hidden: Sequence[int] = (8, 8),
                 activation: str = "relu", lr: float = 0.03, epochs: int = 300, *,
                 rng: RngLike = 0) -> None:
        import ipywidgets as widgets

        style = {"description_width": "110px"}
        self.rng = rng
        controls = {
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
        super().__init__(controls, status="Press <b>Train</b>.", redraw_on_change=False)
        self.run: PlaygroundRun | None = None
        self.controls["train"].on_click(lambda _button: self.train())

    def _layout(self):
        """The settings on the left, the Train button and the status on the right, the figure below."""
        import ipywidgets as widgets

        left = widgets.VBox([self.controls[name] for name in
                             ("dataset", "hidden", "activation", "lr", "epochs")])
        right = widgets.VBox([self.controls["train"], self.status])
        return widgets.VBox([widgets.HBox([left, right]), self.output])

    def draw(self) -> PlaygroundRun | None:
        """What pressing Train does: :meth:`train`."""
        return self.train()

    def train(self) -> PlaygroundRun | None:
        """Train with the current control values and show the result in ``output``.

        Returns the new run, or None when a control holds something unusable (the status says what).
        """
        run = self._fit()
        if run is not None:
            self.show_figure(plot_playground(run), "<playground figure>")
        return run

    def static_chart(self) -> tuple[dict | None, str]:
        """The static page's view of the current control values: :func:`playground_chart` of a
        training run (None if it failed) and the status line, as :meth:`train` would show."""
        run = self._fit()
        return (None if run is None else playground_chart(run)), self.status.value

    def static_shared(self) -> dict:
        return playground_points(self.controls["dataset"].options, rng=self.rng)

    def _fit(self) -> PlaygroundRun | None:
        """Train with the current control values; the status line says how it went."""
        values = {name: control.value for name, control in self.controls.items()
                  if name != "train"}
        try:
            hidden = parse_widths(values["hidden"])
        except ValueError as error:
            self.status.value = _error_html(error)
            return None
        button = self.controls["train"]
        button.disabled = True
        self.status.value = "training…"
        try:
            run = train_playground(values["dataset"], hidden, values["activation"], values["lr"],
                                   values["epochs"], rng=self.rng)
        except (FloatingPointError, ValueError) as error:
            self.status.value = _error_html(error)
            return None
        finally:
            button.disabled = False
        self.run = run
        self.status.value = (f"loss <b>{run.loss:.3f}</b>, training accuracy "
                             f"<b>{run.accuracy:.0%}</b> after {run.epochs} epochs")
        return run


def playground(dataset: str = "circles", hidden: Sequence[int] = (8, 8), activation: str = "relu",
               lr: float = 0.03, epochs: int = 300, *, rng: RngLike = 0,
               train_now: bool = True) -> Playground:
    """A TensorFlow-Playground-like widget for classifying points in the plane.

    Pick a data set (xor, moons, circles, spirals), the hidden widths (``"8, 8"``), the activation
    and the learning rate, press Train, and see the decision boundary and the loss curve. With
    ``train_now`` it trains once right away, so the first view (and a saved notebook) shows a result.
    Display the returned :class:`Playground` as the last line of a cell.
    """
    widget = Playground(dataset, hidden, activation, lr, epochs, rng=rng)
    if train_now:
        widget.train()
    return widget
