"""Gradient descent on a function of a few numbers: the path a loss-surface figure draws.

The steps are :class:`dlkit.optim.SGD`'s own, applied to one :class:`dlkit.Parameter` holding the
point, so the path on a 2-D bowl is exactly what training does to a model's weights.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlkit.optim import SGD
from dlkit.parameter import Parameter


def gradient_descent_path(grad_fn: Callable[[np.ndarray], np.ndarray], start, lr: float,
                          steps: int, momentum: float = 0.0) -> np.ndarray:
    """Follow gradient descent ``w ← w − lr · ∇f(w)`` and return every point it visits.

    With ``momentum`` m > 0 it follows SGD's rule with a velocity ``v ← m · v + ∇f(w)``
    (starting at 0) and ``w ← w − lr · v``.

    Args:
        grad_fn: maps a point ``(d,)`` to the gradient of the loss there, ``(d,)``.
        start: the first point, ``(d,)``.
        lr: the learning rate (step size), > 0.
        steps: how many updates to take, >= 0.
        momentum: in [0, 1); 0 is plain gradient descent.

    Returns:
        ``(steps + 1, d)``: the start, then the point after each update. If a step far too large
        makes the path blow up (a coordinate turns inf or NaN), the path ends at the last finite
        point, so the array can be shorter.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}.")
    point = Parameter(np.array(start, dtype=np.float64).reshape(-1), name="point")
    optimizer = SGD([point], lr=lr, momentum=momentum)
    points = [point.data.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            point.grad[...] = np.asarray(grad_fn(point.data), dtype=np.float64).reshape(point.shape)
            optimizer.step()
            if not np.all(np.isfinite(point.data)):
                break
            points.append(point.data.copy())
    return np.array(points)
