"""Layers: the building blocks of a network, each with an explicit forward and backward pass.

Every layer maps a batch ``x: (batch, features)`` to an output and knows how to send a gradient back:

- ``forward(x)`` (also ``layer(x)``) checks the input, computes the output and remembers what
  ``backward`` needs;
- ``backward(grad_out)`` takes dL/d(output) and returns dL/d(input), adding the gradients of the
  layer's own parameters into their ``.grad`` (they accumulate: see :class:`dlkit.Parameter`);
- ``predict(x)`` computes the same output but remembers nothing (inference);
- ``parameters()`` lists the layer's :class:`dlkit.Parameter` objects.
"""

from __future__ import annotations

import numpy as np

from dlkit import activations
from dlkit.parameter import Parameter
from dlkit.rng import RngLike, as_generator


class Layer:
    """Base class. Subclasses implement ``compute`` (the math) and ``backward``.

    ``layer(x)`` calls ``self.forward(x)``, so a subclass that overrides ``forward`` is the one that
    runs. ``forward`` checks the input once, calls ``compute`` and keeps the input ``self._x`` and
    output ``self._out``, which is everything the layers here need for their backward pass.
    """

    _x: np.ndarray | None = None
    _out: np.ndarray | None = None
    in_features: int | None = None  # a layer with a fixed input width sets it (Dense)
    dtype: np.dtype | None = None  # a layer with its own float dtype sets it (Dense)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def compute(self, x: np.ndarray) -> np.ndarray:
        """The layer's output for a checked batch ``x`` (what ``forward`` and ``predict`` share)."""
        raise NotImplementedError(
            f"{type(self).__name__} must define compute(x), the output for a batch x, and "
            "backward(grad_out), the gradient with respect to x."
        )

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check_input(x)
        out = self.compute(x)
        self._x, self._out = x, out
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The same output as ``forward``, remembering nothing (inference)."""
        return self.compute(self._check_input(x))

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError(
            f"{type(self).__name__} must define backward(grad_out), the gradient with respect to "
            "its input."
        )

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """Only the parameters' part of ``backward``: their ``.grad`` receive their share, and
        dL/d(input) is not returned. :meth:`dlkit.Sequential.backward_parameters` calls it on its
        first layer, whose input is the data. Here it is ``backward`` with the result dropped; a
        layer that can skip work overrides it (``Dense`` skips one matrix product)."""
        self.backward(grad_out)

    def parameters(self) -> list[Parameter]:
        return []

    def _check_input(self, x) -> np.ndarray:
        """``x`` as a float array, or a clear error: every layer's one input check.

        Whole numbers and booleans become ``self.dtype`` (float64 when the layer has none); a layer
        with ``in_features`` also needs the shape ``(batch, in_features)``.
        """
        x = np.asarray(x)
        if x.dtype.kind not in "fiub":
            raise TypeError(f"{self!r} expects an array of numbers, got dtype {x.dtype}.")
        if self.in_features is not None and (x.ndim != 2 or x.shape[1] != self.in_features):
            hint = ""
            if x.ndim == 1 and x.shape[0] == self.in_features:
                hint = " For a single sample, use x.reshape(1, -1)."
            raise ValueError(
                f"{self!r} expects inputs of shape (batch, {self.in_features}) but got "
                f"{x.shape}.{hint}"
            )
        dtype = self.dtype
        if dtype is None:
            dtype = x.dtype if x.dtype.kind == "f" else np.float64
        return x.astype(dtype, copy=False)

    def _saved(self) -> tuple[np.ndarray, np.ndarray]:
        """What forward remembered; a clear error if there was no forward."""
        if self._x is None:
            raise RuntimeError(
                f"{self!r}: backward() was called before forward(). Run the forward pass "
                "(model(x) or layer(x)) first; predict() keeps nothing for backward."
            )
        return self._x, self._out

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Dense(Layer):
    """A fully connected layer: ``y = x @ W + b``, every input wired to every output.

    Shapes: ``x: (batch, in_features)``, ``W: (in_features, out_features)``, ``b: (out_features,)``,
    ``y: (batch, out_features)``. Each column of ``W`` is one neuron's weights.

    Args:
        init: how to draw the starting weights. ``"he"`` (normal with std ``sqrt(2 / in)``, made
            for ReLU), ``"xavier"`` (std ``sqrt(2 / (in + out))``, for tanh and sigmoid) or
            ``"normal"`` (std 1: fine for tiny examples, blows up in deep networks). Biases start at 0.
        rng: where the random weights come from (see :mod:`dlkit.rng`).
        dtype: ``np.float64`` (default, exact numbers) or ``np.float32`` (faster); no other.
            Inputs are converted to this dtype, so the layer's outputs and gradients keep it.
    """

    _INIT_STD = {
        "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),
        "xavier": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
        "normal": lambda n_in, n_out: 1.0,
    }

    def __init__(self, in_features: int, out_features: int, *, init: str = "he",
                 rng: RngLike = None, dtype=np.float64) -> None:
        for name, value in [("in_features", in_features), ("out_features", out_features)]:
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Dense needs a positive whole number for {name}, got {value!r}.")
        if init not in self._INIT_STD:
            raise ValueError(f"Unknown init {init!r}; choose one of {sorted(self._INIT_STD)}.")
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            dtype = None
        if dtype not in (np.float64, np.float32):
            raise TypeError(
                f"Dense supports dtype=np.float64 (the default) or np.float32, got {dtype}. "
                "float16 has too few digits for training (Adam's eps=1e-8 rounds to 0 in it)."
            )
        self.in_features, self.out_features = int(in_features), int(out_features)
        std = self._INIT_STD[init](in_features, out_features)
        weight = as_generator(rng).normal(0.0, std, size=(in_features, out_features))
        self.weight = Parameter(weight.astype(dtype), name="weight")
        self.bias = Parameter(np.zeros(out_features, dtype=dtype), name="bias")

    @classmethod
    def from_arrays(cls, weight, bias) -> Dense:
        """A Dense layer holding copies of given numbers: ``weight: (in, out)``, ``bias: (out,)``."""
        weight = np.array(weight, dtype=np.float64, ndmin=2)
        bias = np.array(bias, dtype=np.float64).reshape(-1)
        if bias.shape != (weight.shape[1],):
            raise ValueError(
                f"bias needs one number per output (shape ({weight.shape[1]},)) for a weight of "
                f"shape {weight.shape}; got shape {bias.shape}."
            )
        layer = cls(weight.shape[0], weight.shape[1], rng=0)
        layer.weight.data[...] = weight
        layer.bias.data[...] = bias
        return layer

    @property
    def dtype(self) -> np.dtype:
        """The dtype of the weights, the outputs and the gradients; inputs are converted to it."""
        return self.weight.data.dtype

    def compute(self, x: np.ndarray) -> np.ndarray:
        out = x @ self.weight.data
        out += self.bias.data  # in place: one (batch, out) array instead of two
        return out

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``grad_out: (batch, out)`` → dL/dx ``(batch, in)``, which is ``grad_out @ W.T``.

        Adds ``x.T @ grad_out`` to the weight's gradient and ``grad_out`` summed over the batch to
        the bias's gradient.
        """
        self._add_parameter_grads(grad_out)
        return grad_out @ self.weight.data.T

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """The weight's and bias's gradients only, without dL/dx (one matrix product fewer)."""
        if type(self).backward is not Dense.backward:  # a subclass's own backward must run
            super().backward_parameters(grad_out)
        else:
            self._add_parameter_grads(grad_out)

    def _add_parameter_grads(self, grad_out: np.ndarray) -> None:
        x, _ = self._saved()
        # weight.grad += x.T @ grad_out, which add_matmul writes without a temporary array (a speed
        # detail: two passes over a large gradient fewer per step; see dlkit.Parameter).
        self.weight.add_matmul(x.T, grad_out)
        self.bias.grad += grad_out.sum(axis=0)

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def __repr__(self) -> str:
        return f"Dense({self.in_features} → {self.out_features})"


class ReLU(Layer):
    """``max(0, x)``. Gradient: passes ``grad_out`` where ``x > 0``, zero elsewhere."""

    def compute(self, x):
        return activations.relu(x)

    def backward(self, grad_out):
        x, _ = self._saved()
        return grad_out * (x > 0)


class LeakyReLU(Layer):
    """``x`` for ``x >= 0``, ``slope * x`` below. Gradient: 1 or ``slope``."""

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = slope

    def compute(self, x):
        return activations.leaky_relu(x, self.slope)

    def backward(self, grad_out):
        x, _ = self._saved()
        return grad_out * np.where(x >= 0, 1, self.slope).astype(grad_out.dtype)

    def __repr__(self) -> str:
        return f"LeakyReLU(slope={self.slope:g})"


class Sigmoid(Layer):
    """``1 / (1 + exp(-x))``. Gradient: ``out * (1 - out)``, at most 0.25."""

    def compute(self, x):
        return activations.sigmoid(x)

    def backward(self, grad_out):
        _, out = self._saved()
        return grad_out * out * (1 - out)


class Tanh(Layer):
    """``tanh(x)``. Gradient: ``1 - out**2``."""

    def compute(self, x):
        return activations.tanh(x)

    def backward(self, grad_out):
        _, out = self._saved()
        return grad_out * (1 - out * out)


class Softmax(Layer):
    """Scores → probabilities along the features axis: ``(batch, classes)`` → same shape.

    Gradient (the softmax's Jacobian applied to ``grad_out``): ``out * (g - sum(g * out))``.
    To train a classifier, prefer a final Dense with :class:`dlkit.losses.CrossEntropyLoss`,
    which works on the scores directly and is more stable.
    """

    def compute(self, x):
        return activations.softmax(x, axis=1)

    def backward(self, grad_out):
        _, out = self._saved()
        return out * (grad_out - np.sum(grad_out * out, axis=1, keepdims=True))


class Identity(Layer):
    """Does nothing: output = input, gradient passes through unchanged."""

    def compute(self, x):
        return x

    def backward(self, grad_out):
        self._saved()
        return grad_out


class Step(Layer):
    """1 where ``x >= 0``, else 0: the perceptron's all-or-nothing activation.

    Its slope is zero everywhere (and undefined at 0), so ``backward`` passes a **zero gradient**:
    a network of step neurons cannot learn by backpropagation. That is why smooth activations won.
    """

    def compute(self, x):
        return activations.step(x)

    def backward(self, grad_out):
        self._saved()
        return np.zeros_like(grad_out)


# One layer class per activation function, under the names of dlkit.activations.ACTIVATIONS.
ACTIVATION_LAYERS: dict[str, type[Layer]] = {
    "identity": Identity,
    "step": Step,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
}
