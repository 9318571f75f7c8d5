"""Randomness in one place: dlkit's module generator and how functions accept ``rng=``.

Every dlkit function that draws random numbers takes ``rng``:

- ``None``: draw from dlkit's module generator (reset it with :func:`seed`);
- an ``int``: a fresh generator seeded with it, so the call is reproducible on its own;
- a :class:`numpy.random.Generator`: used as it is.

Re-running a notebook from the top after ``dlkit.seed(0)`` gives bit-identical numbers.
"""

from __future__ import annotations

import numpy as np

RngLike = int | np.random.Generator | None

_module_generator = np.random.default_rng(0)


def seed(n: int) -> None:
    """Reset dlkit's module generator, the one used wherever ``rng=None``."""
    global _module_generator
    _module_generator = np.random.default_rng(n)


def as_generator(rng: RngLike) -> np.random.Generator:
    """Turn ``None``, an int seed or a Generator into a Generator (see the module docstring)."""
    if rng is None:
        return _module_generator
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be None, an int seed or a numpy.random.Generator, not {type(rng).__name__}."
    )
