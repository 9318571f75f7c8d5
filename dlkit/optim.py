"""Optimizers: turn each parameter's gradient into an update of its value, in place.

Each has ``step()`` (apply one update using the current ``.grad``) and ``zero_grad()``.
Conventions follow PyTorch, so numbers can be compared with ``torch.optim``:

- ``weight_decay`` in :class:`SGD` and :class:`Adam` is L2 regularisation: ``wd * p`` is added to the
  gradient before the update (what ``torch.optim.SGD`` / ``torch.optim.Adam`` do);
- :class:`AdamW` decouples it: the weights shrink by ``lr * wd * p`` each step, outside Adam's
  scaling (Loshchilov & Hutter, 2019; ``torch.optim.AdamW``).

Every argument is checked once, when the optimizer is built; ``step()`` does no checks.
"""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from dlkit.parameter import Parameter


def _number(owner: str, name: str, value, hint: str) -> float:
    """``value`` as a float, or a TypeError that says what was given and what to pass."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__} "
                        f"{value!r}. {hint}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{owner}: {name} must be a finite number, got {value}. {hint}")
    return value


def _in_unit_interval(owner: str, name: str, value, hint: str) -> float:
    """A number in [0, 1), or a clear error."""
    value = _number(owner, name, value, hint)
    if not 0 <= value < 1:
        raise ValueError(f"{owner}: {name} must be in [0, 1) (at least 0, below 1), got {value:g}. "
                         f"{hint}")
    return value


def _non_negative(owner: str, name: str, value, hint: str) -> float:
    value = _number(owner, name, value, hint)
    if value < 0:
        raise ValueError(f"{owner}: {name} must be 0 or more, got {value:g}. {hint}")
    return value


def _positive(owner: str, name: str, value, hint: str) -> float:
    value = _number(owner, name, value, hint)
    if value <= 0:
        raise ValueError(f"{owner}: {name} must be a positive number, got {value:g}. {hint}")
    return value


_LR_HINT = "Typical values are 0.001 to 0.5, e.g. lr=0.1."
_WD_HINT = "Use 0 for none; typical values are 1e-4 to 1e-2."


class Optimizer:
    """Base class: holds the parameters and the learning rate ``lr``."""

    def __init__(self, params, lr: float) -> None:
        name = type(self).__name__
        if inspect.ismethod(params) or inspect.isfunction(params):
            raise TypeError(
                f"{name} got the method {params.__name__} itself, not the list it returns: "
                f"call it: model.{params.__name__}() (with the brackets)."
            )
        if hasattr(params, "parameters"):
            raise TypeError(
                f"{name} got the model {type(params).__name__} itself; pass its parameters: "
                "model.parameters()."
            )
        if isinstance(params, Parameter):
            params = [params]
        try:
            self.params = list(params)
        except TypeError:
            raise TypeError(
                f"{name} expects a list of Parameters, got {type(params).__name__}. "
                "Pass model.parameters()."
            ) from None
        for p in self.params:
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"{name} expects Parameters, got {type(p).__name__}. "
                    "Pass model.parameters()."
                )
        if not self.params:
            raise ValueError(
                f"{name} got no parameters to optimize (an empty list). Pass model.parameters() "
                "of a model that has at least one Dense layer."
            )
        self.lr = lr

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _positive(type(self).__name__, "the learning rate lr", value, _LR_HINT)

    def zero_grad(self) -> None:
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g}, {len(self.params)} parameters)"


def _betas(owner: str, betas) -> tuple[float, float]:
    hint = "The usual values are betas=(0.9, 0.999)."
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise TypeError(f"{owner}: betas must be a pair of numbers, got {betas!r}. {hint}")
    return tuple(_in_unit_interval(owner, f"betas[{i}]", b, hint) for i, b in enumerate(betas))


class SGD(Optimizer):
    """Gradient descent: ``p -= lr * g``. With ``momentum`` m, a running velocity
    ``v = m * v + g`` is used instead of ``g`` (a ball rolling downhill, keeping its speed).
    With ``weight_decay`` wd, ``g`` is ``grad + wd * p`` (L2 regularisation, as in PyTorch)."""

    def __init__(self, params, lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _in_unit_interval("SGD", "momentum", momentum, "Try 0 or 0.9.")
        self.weight_decay = _non_negative("SGD", "weight_decay", weight_decay, _WD_HINT)
        self.velocity = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        wd = self.weight_decay
        for p, v in zip(self.params, self.velocity):
            g = p.grad + wd * p.data if wd else p.grad
            if self.momentum:
                v *= self.momentum
                v += g
                _subtract_scaled(p.data, self.lr, v)  # p.data -= lr * v
            else:
                _subtract_scaled(p.data, self.lr, g)  # p.data -= lr * g


_CHUNK = 1 << 18  # numbers per slice: 1 MiB of float32, one core's L2 cache here


def _subtract_scaled(data: np.ndarray, lr: float, grad: np.ndarray) -> None:
    """``data -= lr * grad`` in place, the same numbers.

    Speed detail: on a large array, ``lr * grad`` is a whole new array written to memory and read
    back. Slice by slice it stays in the CPU cache (the large benchmark's update inside a training
    step: 1.01 ms as one ``data -= lr * grad`` per array, 0.94 ms in 1 MiB slices).
    """
    if grad.size <= _CHUNK or not (data.flags.c_contiguous and grad.flags.c_contiguous
                                   and data.dtype == grad.dtype and data.shape == grad.shape):
        data -= lr * grad
        return
    flat_data, flat_grad = data.reshape(-1), grad.reshape(-1)
    scaled = np.empty(_CHUNK, dtype=data.dtype)
    for start in range(0, flat_data.size, _CHUNK):
        part = flat_data[start:start + _CHUNK]
        step = np.multiply(flat_grad[start:start + _CHUNK], lr, out=scaled[:part.size])
        part -= step


class RMSProp(Optimizer):
    """Per-number step sizes: divide by a running root-mean-square of recent gradients.

    ``s = alpha * s + (1 - alpha) * g**2``;  ``p -= lr * g / (sqrt(s) + eps)``.
    """

    def __init__(self, params, lr: float = 1e-3, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.alpha = _in_unit_interval("RMSProp", "alpha", alpha, "The usual value is 0.99.")
        self.eps = _positive("RMSProp", "eps", eps, "The usual value is 1e-8.")
        self.square_avg = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        for p, s in zip(self.params, self.square_avg):
            s *= self.alpha
            s += (1 - self.alpha) * p.grad * p.grad
            p.data -= self.lr * p.grad / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Momentum and RMSProp together, with bias correction for the first steps (Kingma & Ba, 2015).

    ``m = b1 * m + (1 - b1) * g``;  ``v = b2 * v + (1 - b2) * g**2``;
    ``p -= lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps)``.
    With ``weight_decay`` wd, ``g`` is ``grad + wd * p`` (L2, as ``torch.optim.Adam``): the decay is
    then scaled by Adam like any gradient. :class:`AdamW` applies it directly instead.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.betas = _betas(name, betas)
        self.eps = _positive(name, "eps", eps, "The usual value is 1e-8.")
        self.weight_decay = _non_negative(name, "weight_decay", weight_decay, _WD_HINT)
        self.t = 0
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    def _gradient(self, p: Parameter) -> np.ndarray:
        """The gradient Adam's moments see: with L2 weight decay added."""
        return p.grad + self.weight_decay * p.data if self.weight_decay else p.grad

    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        correction1, correction2 = 1 - b1**self.t, 1 - b2**self.t
        for p, m, v in zip(self.params, self.m, self.v):
            g = self._gradient(p)
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p.data -= (self.lr / correction1) * m / (np.sqrt(v / correction2) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as ``torch.optim.AdamW``.

    Each step first shrinks every weight, ``p -= lr * wd * p``, then takes Adam's step with the
    plain gradient. Unlike L2 in :class:`Adam`, the shrinking is not divided by ``sqrt(v)``, so
    every weight decays at the same rate.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.01) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)

    def _gradient(self, p: Parameter) -> np.ndarray:
        return p.grad

    def step(self) -> None:
        if self.weight_decay:
            shrink = 1 - self.lr * self.weight_decay
            for p in self.params:
                p.data *= shrink
        super().step()
