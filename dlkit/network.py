"""Sequential: layers applied one after another, and the gradient sent back through them in reverse."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlkit.layers import ACTIVATION_LAYERS, Dense, Layer
from dlkit.parameter import Parameter
from dlkit.rng import RngLike


class Sequential(Layer):
    """A network: ``Sequential(Dense(2, 8), ReLU(), Dense(8, 1))``.

    - ``model(x)`` / ``model.forward(x)``: each layer's output is the next layer's input;
      ``x: (batch, in_features)`` → ``(batch, out_features)``.
    - ``model.backward(grad)``: ``grad = dL/d(output)``, passed through the layers in reverse;
      every parameter's ``.grad`` receives (adds) its share; returns dL/d(input).
    - ``model.backward_parameters(grad)``: the same without dL/d(input) (what ``fit`` uses).
    - ``model.predict(x)``: the same outputs, without keeping anything for backward.

    A layer object may appear only once (it remembers its own input for backward). To share weights
    between two places, make two layers and give the second the first one's Parameters.
    """

    def __init__(self, *layers: Layer) -> None:
        if not layers:
            raise ValueError("Sequential needs at least one layer, e.g. Sequential(Dense(2, 1)).")
        for index, layer in enumerate(layers):
            if isinstance(layer, type) and issubclass(layer, Layer):
                call = "()" if layer.__init__ is object.__init__ else "(...)"
                raise TypeError(
                    f"Sequential takes layers, but argument {index} is the class "
                    f"{layer.__name__} itself. Create a layer from it: {layer.__name__}{call}."
                )
            if isinstance(layer, (list, tuple)):
                raise TypeError(
                    f"Sequential takes the layers themselves, but argument {index} is a "
                    f"{type(layer).__name__}. Unpack it: Sequential(*layers)."
                )
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"Sequential takes layers, but argument {index} is {type(layer).__name__}: "
                    f"{layer!r}. Did you mean Dense(...) or ReLU()?"
                )
        seen: set[int] = set()
        for layer in _leaves(layers):
            if id(layer) in seen:
                raise ValueError(
                    f"The same layer object {layer!r} appears twice in Sequential (counting the "
                    "layers inside nested Sequentials). Each layer remembers its own input for "
                    "backward, so one object cannot be used twice. To share weights, create a "
                    "second layer and set second.weight, second.bias = first.weight, first.bias."
                )
            seen.add(id(layer))
        self.layers = list(layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def predict(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.predict(x)
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Send ``grad_out = dL/d(output)`` back through every layer, last to first; return
        dL/d(input). Every parameter's ``.grad`` receives (adds) its share on the way."""
        grad = self._check_grad(grad_out)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """``backward`` without dL/d(input), for a model whose input is data (what ``fit`` calls).

        A speed detail, and the only difference from ``backward``: nobody needs dL/d(data), so
        the first layer computes only its parameters' gradients. For a Dense layer that is one
        matrix product fewer, about 10 % of a large model's step (benchmarks/NOTES.md).
        """
        grad = self._check_grad(grad_out)
        for layer in reversed(self.layers[1:]):
            grad = layer.backward(grad)
        self.layers[0].backward_parameters(grad)

    def _check_grad(self, grad_out) -> np.ndarray:
        """``grad_out`` as an array shaped like the last output, or a clear error."""
        grad = grad_out if isinstance(grad_out, np.ndarray) else np.asarray(grad_out)
        out = self.layers[-1]._out
        if out is not None and grad.shape != out.shape:
            raise ValueError(
                f"backward got a gradient of shape {grad.shape}, but the model's last output has "
                f"shape {out.shape}; they must match. Pass loss.backward(), the gradient of the "
                "loss with respect to the model's output."
            )
        return grad

    def parameters(self) -> list[Parameter]:
        """Every learnable Parameter, each once (a Parameter shared by two layers is listed once,
        so an optimizer updates it once per step, with the sum of both gradients)."""
        return [p for _, p in self.named_parameters()]

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """``[("0.weight", Parameter), ("0.bias", ...), ("2.weight", ...), ...]``: layer index and
        name. A shared Parameter appears once, under its first name."""
        named, seen = [], set()
        for index, layer in enumerate(self.layers):
            if isinstance(layer, Sequential):
                pairs = [(f"{index}.{name}", p) for name, p in layer.named_parameters()]
            else:
                pairs = [(f"{index}.{p.name or k}", p) for k, p in enumerate(layer.parameters())]
            for name, p in pairs:
                if id(p) not in seen:
                    seen.add(id(p))
                    named.append((name, p))
        return named

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to zero (do it once per training step)."""
        for p in self.parameters():
            p.zero_grad()

    @property
    def num_parameters(self) -> int:
        """How many numbers the network learns."""
        return sum(p.size for p in self.parameters())

    def summary(self, input_shape: tuple[int, ...] | None = None) -> Summary:
        """A table of layers, output shapes and parameter counts (print it or show it).

        ``input_shape``: the shape of one example, e.g. ``(1, 8, 8)`` for one-channel 8×8 images;
        each layer's output shape is then measured on a zero example. Without it, the widths of the
        Dense layers are shown ("?" where a shape depends on the input).
        """
        rows = []
        width = None
        x = None if input_shape is None else np.zeros((1, *input_shape))
        for layer in self.layers:
            if x is not None:
                x = layer.predict(x)
                shape = "(" + ", ".join(["batch", *map(str, x.shape[1:])]) + ")"
            else:
                if isinstance(layer, Dense):
                    width = layer.out_features
                shape = f"(batch, {width})" if width is not None else "(batch, ?)"
            rows.append((repr(layer), shape, sum(p.size for p in layer.parameters())))
        return Summary(rows)

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential({inner}\n)"


def _leaves(layers) -> list[Layer]:
    """The layers, with every nested Sequential replaced by its own layers (at any depth)."""
    leaves = []
    for layer in layers:
        leaves += _leaves(layer.layers) if isinstance(layer, Sequential) else [layer]
    return leaves


def make_mlp(hidden: Sequence[int], activation: str, *, in_features: int = 2,
             out_features: int = 2, rng: RngLike = None) -> Sequential:
    """A multilayer perceptron ``Dense → activation → ... → Dense``.

    Args:
        hidden: the widths of the hidden layers, e.g. ``(8, 8)``; ``()`` gives a single Dense layer.
        activation: a name from :data:`dlkit.layers.ACTIVATION_LAYERS` (``"relu"``, ``"tanh"``,
            ...). He initialisation for the ReLU family, Xavier for the others.
        rng: where the random weights come from (see :mod:`dlkit.rng`).

    Shapes: the model maps ``(batch, in_features)`` to scores ``(batch, out_features)``.
    """
    if activation not in ACTIVATION_LAYERS:
        raise ValueError(
            f"Unknown activation {activation!r}; choose one of {tuple(ACTIVATION_LAYERS)}."
        )
    init = "he" if activation in ("relu", "leaky_relu") else "xavier"
    parts, width_in = [], in_features
    for width in hidden:
        parts += [Dense(width_in, int(width), init=init, rng=rng), ACTIVATION_LAYERS[activation]()]
        width_in = int(width)
    parts.append(Dense(width_in, out_features, init=init, rng=rng))
    return Sequential(*parts)


class Summary:
    """The table ``Sequential.summary()`` returns: ``rows`` of (layer, output shape, parameters)."""

    def __init__(self, rows: list[tuple[str, str, int]]) -> None:
        self.rows = rows
        self.total = sum(count for _, _, count in rows)

    def __repr__(self) -> str:
        header = ("Layer", "Output shape", "Parameters")
        body = [(name, shape, f"{count:,}") for name, shape, count in self.rows]
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(3)]
        line = "  ".join("-" * w for w in widths)

        def fmt(r):
            return f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}"

        return "\n".join([fmt(header), line, *map(fmt, body), line,
                          f"Total parameters: {self.total:,}"])

    __str__ = __repr__
