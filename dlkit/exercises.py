"""Checks for exercise cells: a wrong answer gets a message that helps, not a bare AssertionError.

A check cell in a chapter looks like::

    check_close(z, 0.7, name="z", hint="Did you add the bias after the weighted sum?")

Each check raises ``AssertionError`` (so autograders count it as a failed test) with a message that
says what was expected, what was found and, where given, a hint for what to try.
"""

from __future__ import annotations

import numpy as np


def _fail(name: str, problem: str, hint: str) -> None:
    message = f"Not yet: {name} {problem}"
    if hint:
        message += f"\nHint: {hint}"
    raise AssertionError(message)


def check_close(actual, expected, name: str = "your answer", hint: str = "",
                atol: float = 1e-6, rtol: float = 1e-6) -> None:
    """Check that ``actual`` equals ``expected`` up to rounding (arrays compared element-wise)."""
    if actual is None:
        _fail(name, "is None. Did your function forget to `return` its result?", hint)
    try:
        actual_array = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(name, f"is {actual!r}, which is not a number or an array of numbers.", hint)
    expected_array = np.asarray(expected, dtype=np.float64)
    if actual_array.shape != expected_array.shape:
        _fail(name, f"has shape {actual_array.shape}, but shape {expected_array.shape} "
                    "was expected.", hint)
    if not np.allclose(actual_array, expected_array, atol=atol, rtol=rtol):
        shown = np.array2string(actual_array, precision=4)
        wanted = np.array2string(expected_array, precision=4)
        _fail(name, f"is {shown}, but {wanted} was expected.", hint)


def check_shape(actual, expected_shape: tuple[int, ...], name: str = "your array",
                hint: str = "") -> None:
    """Check that ``actual`` is an array of the expected shape."""
    shape = np.shape(actual)
    if shape != tuple(expected_shape):
        _fail(name, f"has shape {shape}, but shape {tuple(expected_shape)} was expected.", hint)


def check_true(condition: bool, message: str, hint: str = "") -> None:
    """Check any condition; ``message`` says what should have been true."""
    if not condition:
        _fail("check:", message, hint)
