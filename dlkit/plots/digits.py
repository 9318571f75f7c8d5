"""Handwritten digits: a model's probabilities for each digit, and the digits it gets wrong."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.plots.style import COLORS


def plot_digit_predictions(images: np.ndarray, probs: np.ndarray, labels: np.ndarray, *,
                           axes=None):
    """Show digit images above bar charts of a model's probabilities for the ten digits.

    The bar of the true digit is green, the model's guess (when wrong) vermillion, the rest grey.

    Args:
        images: ``(n, 64)`` pixels of 8×8 images (any scale), or ``(n, 8, 8)``.
        probs: ``(n, 10)`` the model's probabilities (rows sum to 1).
        labels: ``(n,)`` the true digits.
        axes: a ``(2, n)`` array of Axes (images on top, bars below); a new figure when None.

    Returns:
        The ``(2, n)`` array of Axes.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), 8, 8)
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels).reshape(-1).astype(int)
    n = len(images)
    if probs.shape != (n, 10) or labels.shape != (n,):
        raise ValueError(f"expected probs (n, 10) and labels (n,) for n={n} images, got "
                         f"{probs.shape} and {labels.shape}.")
    if axes is None:
        _, axes = plt.subplots(2, n, figsize=(1.9 * n, 4.2),
                               gridspec_kw={"height_ratios": [1.1, 1]}, squeeze=False)
    top = float(max(probs.max(), 0.3))
    for i in range(n):
        guess = int(probs[i].argmax())
        image_ax, bar_ax = axes[0, i], axes[1, i]
        image_ax.imshow(images[i], cmap="gray_r")
        image_ax.set_xticks([])
        image_ax.set_yticks([])
        verdict = "right" if guess == labels[i] else "wrong"
        image_ax.set_title(f"true {labels[i]}, guess {guess}\n({verdict})", fontsize=9)
        colors = [COLORS["green"] if d == labels[i] else
                  COLORS["vermillion"] if d == guess else "#999999" for d in range(10)]
        bar_ax.bar(range(10), probs[i], color=colors)
        bar_ax.set_ylim(0, top * 1.05)
        bar_ax.set_xticks(range(10))
        bar_ax.tick_params(labelsize=7)
        bar_ax.set_xlabel("digit", fontsize=8)
        if i == 0:
            bar_ax.set_ylabel("probability", fontsize=8)
        else:
            bar_ax.set_yticklabels([])
    return axes


def plot_mistakes(images: np.ndarray, labels: np.ndarray, predictions: dict[str, np.ndarray], *,
                  n_show: int = 6, axes=None):
    """Show, for each model, its test accuracy and the first ``n_show`` digits it got wrong.

    One row per model: the row's label gives the model's name and accuracy, each image is titled
    ``true → guess``. Rows with fewer mistakes than ``n_show`` leave the rest of the row empty.

    Args:
        images: ``(n, 64)`` pixels of 8×8 images (any scale), or ``(n, 8, 8)``.
        labels: ``(n,)`` the true digits.
        predictions: model name → ``(n,)`` that model's predicted digits for the same images.
        n_show: how many mistakes to show per model.
        axes: a ``(len(predictions), n_show)`` array of Axes; a new figure when None.

    Returns:
        The ``(len(predictions), n_show)`` array of Axes.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), 8, 8)
    labels = np.asarray(labels).reshape(-1).astype(int)
    if labels.shape != (len(images),):
        raise ValueError(f"expected {len(images)} labels, got shape {labels.shape}.")
    if axes is None:
        _, axes = plt.subplots(len(predictions), n_show,
                               figsize=(1.35 * n_show + 1.2, 1.75 * len(predictions)),
                               squeeze=False)
    axes = np.asarray(axes).reshape(len(predictions), n_show)
    for row, (name, guesses) in enumerate(predictions.items()):
        guesses = np.asarray(guesses).reshape(-1).astype(int)
        if guesses.shape != labels.shape:
            raise ValueError(f"{name}: expected {labels.size} predictions, got {guesses.size}.")
        wrong = np.flatnonzero(guesses != labels)
        for k, ax in enumerate(axes[row]):
            ax.set_xticks([])
            ax.set_yticks([])
            if k < wrong.size:
                i = wrong[k]
                ax.imshow(images[i], cmap="gray_r")
                ax.set_title(f"{labels[i]} → {guesses[i]}", fontsize=9, color=COLORS["vermillion"])
            else:
                for spine in ax.spines.values():
                    spine.set_visible(False)
        accuracy = float(np.mean(guesses == labels))
        axes[row, 0].set_ylabel(f"{name}\n{accuracy:.1%} right\n{wrong.size} wrong", fontsize=8,
                                rotation=0, ha="right", va="center", labelpad=8)
    return axes
