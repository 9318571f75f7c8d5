"""Shared test set-up: matplotlib's Agg backend and no figure left open, our own finite differences
(independent of dlkit.check_gradients), the model zoo of the gradient tests, and the book built once
per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from hypothesis import settings

from dlkit import Sequential
from dlkit.layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss

matplotlib.use("Agg")

# Derandomized: the property tests draw the same examples on every run (no flaky CI).
settings.register_profile("dlkit", derandomize=True, deadline=None, database=None)
settings.load_profile("dlkit")


def rel_error(a, b) -> float:
    """‖a − b‖ / max(‖a‖ + ‖b‖, 1e-12): whole-array norms, so tiny gradients do not make it flaky."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def numeric_grad(f, array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``f()`` with respect to ``array`` (perturbed in place)."""
    grad = np.zeros(array.shape, dtype=np.float64)
    for idx in np.ndindex(array.shape):
        old = array[idx].copy()
        array[idx] = old + eps
        f_plus = f()
        array[idx] = old - eps
        f_minus = f()
        array[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def layer_check(layer, x: np.ndarray, upstream: np.ndarray, eps: float = 1e-6) -> dict:
    """Relative errors of a layer's input and parameter gradients for L = sum(forward(x) * upstream).

    Returns {"input": error, "param0": error, ...}.
    """
    for p in layer.parameters():
        p.grad[...] = 0
    layer.forward(x)
    grad_in = layer.backward(upstream.copy())
    backprop = [p.grad.copy() for p in layer.parameters()]

    def value() -> float:
        return float(np.sum(layer.forward(x) * upstream))

    errors = {"input": rel_error(grad_in, numeric_grad(value, x, eps))}
    for i, (p, g) in enumerate(zip(layer.parameters(), backprop, strict=True)):
        errors[f"param{i}"] = rel_error(g, numeric_grad(value, p.data, eps))
    return errors


def model_check(model, loss, X, y, eps: float = 1e-6) -> dict:
    """Our own per-parameter (and input) gradient check of a Sequential with a loss."""
    model.zero_grad()
    loss(model(X), y)
    grad_x = model.backward(loss.backward())
    backprop = [p.grad.copy() for p in model.parameters()]

    def value() -> float:
        return float(loss(model(X), y))

    errors = {"input": rel_error(grad_x, numeric_grad(value, X, eps))}
    for i, (p, g) in enumerate(zip(model.parameters(), backprop, strict=True)):
        errors[f"param{i}"] = rel_error(g, numeric_grad(value, p.data, eps))
    return errors


def away_from_zero(x: np.ndarray, margin: float = 1e-3) -> np.ndarray:
    """Push entries away from 0 so kinks (ReLU, Step) are not inside the finite-difference step."""
    x = x.copy()
    small = np.abs(x) < margin
    x[small] = np.where(x[small] >= 0, 1, -1) * (margin + 0.1)
    return x


@pytest.fixture
def fake_digits() -> tuple[np.ndarray, np.ndarray]:
    """20 random 8×8 "digits" (ink 0–16) and labels 0–9, for the figure and widget tests."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 17, size=(20, 64)).astype(float)
    labels = np.arange(20) % 10
    return images, labels


@pytest.fixture(scope="session")
def fd():
    """Finite-difference helpers (session-scoped, so hypothesis tests can use them)."""
    return types.SimpleNamespace(
        rel_error=rel_error,
        numeric_grad=numeric_grad,
        layer_check=layer_check,
        model_check=model_check,
        away_from_zero=away_from_zero,
    )


@pytest.fixture(autouse=True)
def _reset_dlkit_seed():
    """Every test starts from the same module generator, whatever ran before."""
    import dlkit

    dlkit.seed(0)
    yield


# ---------------------------------------------------------------------------------------------
# The model zoo: small networks with a loss and the kind of targets they need, used by the
# gradient tests of tests/test_gradcheck.py and tests/test_network.py (parametrize a test with a
# ``zoo_name`` argument to run it on every model; the ``zoo`` fixture holds the models and targets).

MODEL_ZOO = {
    "mse": (
        lambda: Sequential(Dense(3, 5, rng=0), Tanh(), Dense(5, 4, rng=1), ReLU(), Dense(4, 2, rng=2)),
        MSELoss,
        "regression",
    ),
    "bce": (
        lambda: Sequential(Dense(3, 6, rng=0), ReLU(), Dense(6, 1, rng=1), Sigmoid()),
        BinaryCrossEntropy,
        "binary",
    ),
    "bce_logits": (
        lambda: Sequential(Dense(3, 6, rng=0), LeakyReLU(), Dense(6, 1, rng=1)),
        lambda: BinaryCrossEntropy(from_logits=True),
        "binary",
    ),
    "ce": (
        lambda: Sequential(Dense(3, 6, rng=0), Sigmoid(), Dense(6, 3, rng=1), Identity()),
        CrossEntropyLoss,
        "labels",
    ),
    "softmax+mse": (
        lambda: Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1), Softmax()),
        MSELoss,
        "regression",
    ),
    "relu-tanh-sigmoid+bce": (
        lambda: Sequential(
            Dense(3, 5, rng=0), ReLU(), Dense(5, 4, rng=1), Tanh(), Dense(4, 1, rng=2), Sigmoid()
        ),
        BinaryCrossEntropy,
        "binary",
    ),
    "leaky+ce": (
        lambda: Sequential(Dense(3, 6, rng=0), LeakyReLU(slope=0.1), Dense(6, 4, rng=1)),
        CrossEntropyLoss,
        "labels4",
    ),
    "sigmoid-identity+mse": (
        lambda: Sequential(Dense(3, 5, rng=0), Sigmoid(), Dense(5, 2, rng=1), Identity()),
        MSELoss,
        "regression",
    ),
    "tanh-softmax+mse": (
        lambda: Sequential(Dense(3, 5, rng=0), Tanh(), Dense(5, 3, rng=1), Softmax()),
        MSELoss,
        "onehot",
    ),
    "relu+bce_logits": (
        lambda: Sequential(Dense(3, 4, rng=0), ReLU(), Dense(4, 1, rng=1)),
        lambda: BinaryCrossEntropy(from_logits=True),
        "binary",
    ),
    "step+mse": (
        lambda: Sequential(Dense(3, 4, rng=0), Step(), Dense(4, 2, rng=1)),
        MSELoss,
        "regression",
    ),
}


def zoo_targets(kind: str, rng: np.random.Generator, n: int) -> np.ndarray:
    """Targets of ``kind`` for ``n`` samples, drawn from ``rng``."""
    if kind == "binary":
        return rng.integers(0, 2, size=(n, 1)).astype(float)
    if kind == "labels":
        return rng.integers(0, 3, size=n)
    if kind == "labels4":
        return rng.integers(0, 4, size=n)
    if kind == "regression":
        return rng.normal(size=(n, 2))
    if kind == "onehot":
        return np.eye(3)[rng.integers(0, 3, size=n)]
    raise KeyError(kind)


def zoo_problem(kind: str, n: int = 8, d: int = 3, seed: int = 0):
    """Inputs ``X: (n, d)`` and targets of ``kind``, both from one generator seeded with ``seed``."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, zoo_targets(kind, rng, n)


def pytest_generate_tests(metafunc):
    if "zoo_name" in metafunc.fixturenames:
        metafunc.parametrize("zoo_name", list(MODEL_ZOO))


@pytest.fixture(scope="session")
def zoo():
    """The model zoo: ``zoo.models[name] = (make_model, make_loss, target kind)``,
    ``zoo.targets(kind, rng, n)`` and ``zoo.problem(kind)`` (inputs and targets)."""
    return types.SimpleNamespace(models=MODEL_ZOO, targets=zoo_targets, problem=zoo_problem)


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts and ends with no open matplotlib figure."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# The book, built once per session (tests/test_book.py, tests/test_course.py)

ROOT = Path(__file__).resolve().parent.parent


def jupyter_book_command() -> list[str]:
    executable = Path(sys.executable).parent / "jupyter-book"
    if executable.exists():
        return [str(executable)]
    found = shutil.which("jupyter-book")
    if found is None:
        pytest.skip("jupyter-book is not installed (pip install -e '.[book]')")
    return [found]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Build the book once per session with -W -n --keep-going; return (result, html folder)."""
    output = tmp_path_factory.mktemp("book")
    command = [
        *jupyter_book_command(),
        "build",
        str(ROOT),
        "--path-output",
        str(output),
        "-W",
        "-n",
        "--keep-going",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    return result, output / "_build" / "html"
