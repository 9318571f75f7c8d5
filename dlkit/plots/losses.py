"""The losses of one yes/no prediction: squared error vs cross-entropy."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.plots.style import COLORS


def binary_losses(p: np.ndarray, label: int) -> tuple[np.ndarray, np.ndarray]:
    """Squared error and cross-entropy of predicted probabilities ``p`` of "yes" for one true answer.

    Args:
        p: probabilities of "yes", any shape, strictly between 0 and 1.
        label: the true answer, 1 (yes) or 0 (no).

    Returns:
        ``(mse, cross_entropy)``, each shaped like ``p``: ``(p - label)**2`` and
        ``-log(p)`` if ``label`` is 1, ``-log(1 - p)`` if it is 0.
    """
    if label not in (0, 1):
        raise ValueError(f"label must be 0 or 1, got {label!r}.")
    p = np.asarray(p, dtype=np.float64)
    p_true = p if label == 1 else 1 - p
    return (p - label) ** 2, -np.log(p_true)


def plot_loss_curves(label: int = 1, marks=(), *, axes=None, ce_max: float = 7.0):
    """Draw both losses of one yes/no prediction as curves of the predicted probability of "yes".

    Left panel: mean squared error ``(p - label)**2``; right panel: cross-entropy
    (``-log p`` if the true answer is yes, ``-log(1 - p)`` if it is no). Each probability in
    ``marks`` is marked on both curves and labelled with its loss.

    Args:
        label: the true answer, 1 (yes) or 0 (no).
        marks: probabilities of "yes" ``(k,)`` to mark, each strictly between 0 and 1.
        axes: two Axes ``(mse_ax, ce_ax)``; a new 1×2 figure when None.
        ce_max: upper limit of the cross-entropy axis.

    Returns:
        The two Axes ``(mse_ax, ce_ax)``.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    mse_ax, ce_ax = axes
    p = np.linspace(0.0005, 0.9995, 400)
    mse, ce = binary_losses(p, label)
    answer = "yes (1)" if label == 1 else "no (0)"
    mse_ax.plot(p, mse, color=COLORS["blue"], linewidth=2, label="squared error")
    ce_ax.plot(p, ce, color=COLORS["vermillion"], linewidth=2, label="cross-entropy")
    marks = np.atleast_1d(np.asarray(marks, dtype=np.float64))
    if marks.size:
        mark_mse, mark_ce = binary_losses(marks, label)
        for ax, values in ((mse_ax, mark_mse), (ce_ax, mark_ce)):
            ax.plot(marks, np.minimum(values, ce_max), "o", color=COLORS["black"], markersize=7,
                    zorder=3)
            for x, value in zip(marks, values):
                right = x < 0.75
                ax.annotate(f"{value:.2f}", (x, min(value, ce_max)), xytext=(6 if right else -6, 6),
                            textcoords="offset points", ha="left" if right else "right",
                            fontsize=9)
    mse_ax.set_ylim(-0.05, 1.15)
    ce_ax.set_ylim(-0.2, ce_max)
    mse_ax.set_title(f"Squared error, true answer {answer}")
    ce_ax.set_title(f"Cross-entropy, true answer {answer}")
    mse_ax.set_ylabel("loss $(p - y)^2$")
    ce_ax.set_ylabel("loss $-\\log p$" if label == 1 else "loss $-\\log(1 - p)$")
    for ax in axes:
        ax.set_xlabel('predicted probability of "yes", $p$')
        ax.set_xlim(-0.03, 1.03)
        ax.axvline(label, color=COLORS["green"], linestyle=":", linewidth=2,
                   label=f"true answer ({label})")
        ax.legend(loc="upper center", fontsize=8)
        ax.grid(alpha=0.3)
    return mse_ax, ce_ax


def logit_gradients(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slopes dL/dz of both losses of one yes/no prediction, by logit, for the true answer yes.

    ``p = sigmoid(z)``. Squared error ``(p - 1)**2`` through the sigmoid has the slope
    ``-2 (1 - p) p (1 - p)``; cross-entropy ``-log p`` has ``p - 1``. Both are computed by dlkit's
    own ``backward`` (a ``Sigmoid`` layer with ``MSELoss``, and ``BinaryCrossEntropy(from_logits=True)``),
    one example per logit.

    Args:
        z: logits, shape ``(n,)``.

    Returns:
        ``(mse_slope, ce_slope)``, each ``(n,)``.
    """
    from dlkit.layers import Sigmoid
    from dlkit.losses import BinaryCrossEntropy, MSELoss

    z = np.asarray(z, dtype=np.float64).reshape(-1, 1)
    yes = np.ones_like(z)
    sigmoid, mse, ce = Sigmoid(), MSELoss(), BinaryCrossEntropy(from_logits=True)
    mse(sigmoid(z), yes)
    mse_slope = sigmoid.backward(mse.backward()) * len(z)   # the losses average over examples: undo it
    ce(z, yes)
    ce_slope = ce.backward() * len(z)
    return mse_slope.ravel(), ce_slope.ravel()


def plot_logit_gradients(marks=(), *, z_range: tuple[float, float] = (-8.0, 8.0), ax=None):
    """Draw the slopes dL/dz of squared error∘sigmoid and of cross-entropy against the logit z.

    The true answer is yes; ``logit_gradients`` gives the curves. Each logit in ``marks`` is marked
    on both curves and labelled with its two slopes.

    Args:
        marks: logits ``(k,)`` to mark.
        z_range: the logits shown.
        ax: the Axes to draw into; a new figure when None.

    Returns:
        The Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    z = np.linspace(*z_range, 400)
    mse_slope, ce_slope = logit_gradients(z)
    ax.plot(z, mse_slope, color=COLORS["blue"], linewidth=2,
            label=r"squared error $(1 - p)^2$: $-2(1 - p)\,p(1 - p)$")
    ax.plot(z, ce_slope, color=COLORS["vermillion"], linewidth=2,
            label=r"cross-entropy $-\log p$: $p - 1$")
    marks = np.atleast_1d(np.asarray(marks, dtype=np.float64))
    if marks.size:
        mark_mse, mark_ce = logit_gradients(marks)
        for values, dy in ((mark_mse, 8), (mark_ce, -14)):
            ax.plot(marks, values, "o", color=COLORS["black"], markersize=6, zorder=3)
            for x, value in zip(marks, values):
                ax.annotate(f"{value:.3f}", (x, value), xytext=(6, dy), textcoords="offset points",
                            fontsize=9)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(r"logit $z$ (the score before the sigmoid, $p = \sigma(z)$)")
    ax.set_ylabel(r"slope $\partial L / \partial z$")
    ax.set_title("How hard each loss pushes the score, true answer yes")
    ax.set_ylim(-1.15, 0.15)
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(alpha=0.3)
    return ax
