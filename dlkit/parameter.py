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

    # Speed detail: zero_grad() only notes that the gradient is zero (``_zero_pending``). The first
    # backward then writes its share straight into the array (add_matmul) instead of adding it to
    # zeros, which saves two passes over a large gradient per step; PyTorch's
    # zero_grad(set_to_none=True) does the same. Reading ``.grad`` in between writes the zeros, so
    # to every reader ``.grad`` is an array of zeros after zero_grad(), as before.
    _zero_pending = False

    @property
    def grad(self) -> np.ndarray:
        """dL/d(data), shaped like ``data``: the sum of every backward's share since ``zero_grad()``."""
        if self._zero_pending:
            self._grad[...] = 0
            self._zero_pending = False
        return self._grad

    @grad.setter
    def grad(self, value: np.ndarray) -> None:
        self._grad = value
        self._zero_pending = False

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
        """Set the gradient to zero, in place (written when ``.grad`` is next used)."""
        self._zero_pending = True

    def add_matmul(self, a: np.ndarray, b: np.ndarray) -> None:
        """``grad += a @ b``. Right after ``zero_grad()`` the product is written straight into
        ``grad`` (the same numbers as adding it to zeros, without a temporary array)."""
        if self._zero_pending and self._grad.flags.writeable:
            np.matmul(a, b, out=self._grad)
            self._zero_pending = False
        else:
            self.grad += a @ b

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape}, dtype={self.data.dtype})"
