"""Dropout: switch off a random part of a layer's outputs while training, so no neuron can rely on
any one other (Srivastava et al., 2014).

Inverted dropout: in training (``forward``), each number is zeroed with probability ``p`` and the
survivors are multiplied by ``1 / (1 - p)``, so the expected output equals the input and nothing
needs rescaling at inference; ``predict`` (inference) is the identity.

The mask is random, so two forward passes differ. To check gradients, hold it fixed:
``with layer.freeze():`` (or ``with freeze_dropout(model):`` for every Dropout in a model) makes
``forward`` and ``predict`` both apply one mask, drawn at the first call inside the block (or the
one the last forward drew, if the shape fits). :func:`dlkit.check_gradients` does this itself.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import numpy as np

from dlkit.layers import Layer
from dlkit.rng import RngLike, as_generator


class Dropout(Layer):
    """Inverted dropout with drop probability ``p`` in [0, 1).

    - ``forward(x)``: ``x * mask``, with ``mask = (u >= p) / (1 - p)`` for uniform ``u`` of x's shape;
    - ``backward(grad_out)``: ``grad_out * mask`` (the same mask);
    - ``predict(x)``: ``x`` (no dropout at inference).

    Args:
        p: the probability of zeroing each number (0 keeps everything).
        rng: where the masks come from (see :mod:`dlkit.rng`); an int seeds one generator that
            every forward pass then draws from, None uses dlkit's module generator.
    """

    def __init__(self, p: float = 0.5, *, rng: RngLike = None) -> None:
        if isinstance(p, bool) or not isinstance(p, numbers.Real):
            raise TypeError(f"Dropout: p must be a number in [0, 1), got {type(p).__name__} {p!r}.")
        if not 0 <= p < 1:
            raise ValueError(
                f"Dropout: p is the probability of dropping a number and must be in [0, 1) "
                f"(at least 0, below 1), got {p}. Typical values are 0.1 to 0.5."
            )
        self.p = float(p)
        self._rng = rng if rng is None else as_generator(rng)
        self.mask: np.ndarray | None = None
        self._frozen = False  # inside freeze()
        self._held = False  # inside freeze(), once a mask has been used

    def _mask_for(self, x: np.ndarray) -> np.ndarray:
        """The mask for ``x``: a new one, or while frozen the held one."""
        if self._frozen and self.mask is not None:
            if self.mask.shape == x.shape:
                self._held = True
                return self.mask
            if self._held:
                raise ValueError(
                    f"{self!r} is frozen with a mask of shape {self.mask.shape}, but got an input "
                    f"of shape {x.shape}. Use the same batch inside the freeze() block."
                )
        self._held = self._frozen
        keep = as_generator(self._rng).random(x.shape) >= self.p
        self.mask = keep.astype(x.dtype) / (1 - self.p)
        return self.mask

    def compute(self, x: np.ndarray) -> np.ndarray:
        """Inference: the identity."""
        return x

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = self._check_input(x)
        out = x * self._mask_for(x)
        self._x, self._out = x, out
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The input unchanged; while frozen, ``x * mask`` (the function ``forward`` computes)."""
        x = self._check_input(x)
        return x * self._mask_for(x) if self._frozen else x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._saved()
        return grad_out * self.mask

    @contextmanager
    def freeze(self) -> Iterator[Dropout]:
        """Hold one mask fixed inside the block, for ``forward`` and ``predict`` alike.

        The first call inside the block uses the last forward's mask if its shape fits the input,
        otherwise it draws one; every later call uses that mask (another input shape is an error).
        """
        was_frozen, was_held = self._frozen, self._held
        self._frozen, self._held = True, False
        try:
            yield self
        finally:
            self._frozen, self._held = was_frozen, was_held

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"


def dropout_layers(model: Layer) -> list[Dropout]:
    """Every Dropout layer in ``model`` (a layer, or a Sequential at any depth)."""
    if isinstance(model, Dropout):
        return [model]
    found = []
    for layer in getattr(model, "layers", []):
        found += dropout_layers(layer)
    return found


@contextmanager
def freeze_dropout(model: Layer) -> Iterator[None]:
    """``with freeze_dropout(model):`` freezes every Dropout in ``model`` (see :meth:`Dropout.freeze`)."""
    with ExitStack() as stack:
        for layer in dropout_layers(model):
            stack.enter_context(layer.freeze())
        yield
