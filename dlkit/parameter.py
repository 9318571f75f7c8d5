"""The Parameter: a learnable array and the gradient of the loss with respect to it."""

from __future__ import annotations

import numpy as np


class Parameter:
    """A learnable array ``data`` and its gradient ``grad`` (same shape and dtype).

    Optimizers update ``data`` using ``grad``. Gradients **accumulate**: every ``backward`` adds
    (``+=``) into ``grad``, exactly as in PyTorch. So a parameter used in two places gets the sum
    of both contributions, and a second ``backward`` without ``zero_grad()`` adds again.
    Call ``zero_grad()`` (on the model or the optimizer) once per training step.
    """

    def __init__(self, data: np.ndarray, name: str = "") -> None:
        self.data = np.asarray(data)
        if self.data.dtype.kind != "f":
            self.data = self.data.astype(np.float64)
        self.grad = np.zeros_like(self.data)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    def zero_grad(self) -> None:
        """Set the gradient to zero, in place."""
        self.grad[...] = 0

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape}, dtype={self.data.dtype})"
