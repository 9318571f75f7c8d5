"""Animations that play on the static page: a process in time, without a kernel.

A widget's slider moves only with a live kernel; the book shows its first view. An animation needs
nothing: :func:`animate` draws every frame with matplotlib's ``FuncAnimation`` and returns an
:class:`Animation`, matplotlib's JavaScript player (``to_jshtml``: play, pause, step, a frame slider)
with each frame embedded as a PNG. It is one self-contained piece of HTML: it plays in Jupyter, in the
book, and from a USB stick with no internet. :func:`descent_animation` and
:func:`boundary_animation` are the two the chapters use.

Keep them small, since every frame is stored in the notebook: a few dozen frames of a small figure
(10–15 KB each: frames are stored with a palette of 64 colours, about a fifth of the size of
matplotlib's full-colour PNGs; a figure of lines, points and a few flat colours looks the same).
The defaults draw text at about 14 pixels, readable at the frame's own size on a page.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.colors import ListedColormap
from PIL import Image

from dlkit.descent import gradient_descent_path
from dlkit.plots import CLASS_COLORS, COLORS
from dlkit.plots.boundaries import plane_grid, scatter_classes
from dlkit.plots.training import draw_loss_contours

# matplotlib's buttons are Font Awesome icons from a CDN (nothing shows offline): use plain symbols.
# "\ufe0e" asks for the text form of a symbol, not an emoji.
PALETTE_COLOURS = 64  # colours per stored frame

_ICONS = {"fa-minus": "−", "fa-fast-backward": "⇤", "fa-step-backward": "←",
          "fa-play fa-flip-horizontal": "◀\ufe0e", "fa-pause": "❚❚", "fa-play": "▶\ufe0e",
          "fa-step-forward": "→", "fa-fast-forward": "⇥", "fa-plus": "+"}


class Animation:
    """A self-contained HTML animation. Jupyter and the book show :attr:`html`.

    Attributes:
        html: the player, frames included (base64 PNGs).
        frames: how many frames it has.
        alt: what it shows, in words (the alt text of its picture).
    """

    def __init__(self, html: str, frames: int, alt: str):
        self.html, self.frames, self.alt = html, frames, alt

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Animation({self.frames} frames, {self.alt!r})"


def self_contained(html: str, alt: str) -> str:
    """Make ``to_jshtml``'s output small, work offline, reproducible and readable by screen readers.

    Stores each frame with a palette of :data:`PALETTE_COLOURS` colours, drops the Font Awesome
    stylesheet (a CDN link) for plain symbols on the buttons, replaces the random element id with
    one computed from what the animation is (the same animation gives the same HTML), and gives
    the picture its ``alt`` text and the frame slider a label.
    """
    html = re.sub(r'"data:image/png;base64,([^"]+)"', _palette_png, html)
    html = re.sub(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">\s*', "", html)
    for icon, symbol in _ICONS.items():
        html = html.replace(f'<i class="fa {icon}"></i>', symbol)
    old_id = re.search(r'id="_anim_img([0-9a-f]+)"', html).group(1)
    # The id depends on what the animation is, not on its pixels (those vary with library versions).
    skeleton = re.sub(r"data:image/png;base64,[^\"]+", "", html.replace(old_id, "")) + alt
    new_id = hashlib.sha1(skeleton.encode()).hexdigest()[:16]
    html = html.replace(old_id, new_id)
    alt_text = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    html = html.replace(f'<img id="_anim_img{new_id}">', f'<img id="_anim_img{new_id}" alt="{alt_text}">')
    return html.replace('class="anim-slider"', 'class="anim-slider" aria-label="Frame"')


def _palette_png(match: re.Match) -> str:
    """A base64 PNG frame (as to_jshtml writes it, in lines) stored again with a colour palette."""
    frame = Image.open(io.BytesIO(base64.b64decode(match.group(1).replace("\\\n", ""))))
    smaller = io.BytesIO()
    frame.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MAXCOVERAGE).save(
        smaller, format="PNG", optimize=True)
    return f'"data:image/png;base64,{base64.b64encode(smaller.getvalue()).decode()}"'


def animate(fig, draw: Callable[[int], object], frames: int, *, alt: str, interval: int = 200,
            loop: bool = False) -> Animation:
    """Record ``draw(0)``, ..., ``draw(frames - 1)`` as an animation, then close ``fig``.

    Args:
        fig: the matplotlib figure that ``draw`` changes.
        draw: updates the figure to show frame ``i``.
        frames: how many frames.
        alt: what the animation shows, in words (alt text, for readers who cannot see it).
        interval: milliseconds between frames when it plays.
        loop: start over at the end (default: play once and stop on the last frame).
    """
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}.")
    if not alt.strip():
        raise ValueError("alt must describe the animation in words.")
    player = FuncAnimation(fig, draw, frames=frames, interval=interval, repeat=loop)
    html = player.to_jshtml(default_mode="loop" if loop else "once")
    plt.close(fig)
    return Animation(self_contained(html, alt), frames, alt)


def descent_animation(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                      grad_fn: Callable[[np.ndarray], np.ndarray], start,
                      learning_rates: Sequence[float], *, steps: int = 30, every: int = 1,
                      xlim: tuple[float, float] = (-3.0, 3.0), ylim: tuple[float, float] = (-2.0, 2.0),
                      colors: Sequence[str] | None = None, alt: str, figsize=(7.0, 2.9),
                      dpi: int = 110) -> Animation:
    """Gradient descent from ``start`` with each learning rate: ``steps`` steps, ``every`` per frame.

    Left: the paths on the contour lines of ``loss_fn``; right: the loss after each step (log
    scale). ``loss_fn(w1, w2)``, ``grad_fn(w)`` and the paths are those of
    :func:`dlkit.descent.gradient_descent_path`.
    """
    if every < 1 or steps % every:
        raise ValueError(f"every must be at least 1 and divide steps ({steps}), got {every}.")
    colors = list(colors or [COLORS["vermillion"], COLORS["blue"], COLORS["purple"], COLORS["green"]])
    paths = [gradient_descent_path(grad_fn, start, lr, steps) for lr in learning_rates]
    losses = [np.asarray(loss_fn(path[:, 0], path[:, 1]), dtype=np.float64) for path in paths]

    fig, (surface_ax, loss_ax) = plt.subplots(1, 2, figsize=figsize, dpi=dpi)
    draw_loss_contours(surface_ax, loss_fn, xlim, ylim, levels=10, resolution=120)
    surface_ax.plot(0, 0, "*", color=COLORS["black"], markersize=10)
    surface_ax.set(xlim=xlim, ylim=ylim, xlabel="weight $w_1$", ylabel="weight $w_2$")
    loss_ax.set(yscale="log", xlim=(0, steps), xlabel="step", ylabel="loss",
                ylim=(min(loss.min() for loss in losses) / 2, max(loss.max() for loss in losses) * 2),
                title="Loss after each step")
    path_lines, loss_lines = [], []
    for lr, color in zip(learning_rates, colors):
        path_lines.append(surface_ax.plot([], [], "-o", color=color, markersize=3, linewidth=1.2)[0])
        loss_lines.append(loss_ax.plot([], [], color=color, linewidth=2, label=f"lr = {lr}")[0])
    loss_ax.legend(loc="lower left", fontsize="small")
    surface_ax.set_title(f"Gradient descent: step {steps} of {steps}")  # room for the title
    fig.tight_layout()

    def draw(frame: int):
        k = frame * every  # steps taken so far
        surface_ax.set_title(f"Gradient descent: step {k} of {steps}")
        for path, loss, path_line, loss_line in zip(paths, losses, path_lines, loss_lines):
            shown = min(k + 1, len(path))  # a diverging path ends early
            path_line.set_data(path[:shown, 0], path[:shown, 1])
            loss_line.set_data(np.arange(shown), loss[:shown])

    return animate(fig, draw, steps // every + 1, alt=alt)


def boundary_animation(snapshots: Sequence[tuple[str, Callable[[np.ndarray], np.ndarray]]],
                       X: np.ndarray, y: np.ndarray, *, alt: str, resolution: int = 80,
                       padding: float = 0.5, figsize=(4.6, 3.9), dpi: int = 110,
                       interval: int = 300) -> Animation:
    """A decision boundary taking shape: one frame per ``(title, predict)`` snapshot.

    Each ``predict`` maps points ``(n, 2)`` to class scores ``(n, classes)`` (a snapshot of a model
    during training, e.g. ``copy.deepcopy(model).predict``); the plane is shaded by the class it
    picks, with the data ``X: (n, 2)``, ``y: (n,)`` on top, as in
    :func:`dlkit.plots.plot_decision_boundary`.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1).astype(int)
    xx, yy, grid = plane_grid(X, resolution=resolution, padding=padding)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    classes = max(int(y.max()) + 1, 2)
    regions = [np.asarray(predict(grid)).argmax(axis=1).reshape(xx.shape) for _, predict in snapshots]

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    shading = ax.imshow(regions[0], origin="lower", extent=extent, aspect="auto",
                        cmap=ListedColormap(CLASS_COLORS[:classes]), vmin=-0.5, vmax=classes - 0.5,
                        alpha=0.3, interpolation="nearest")
    scatter_classes(ax, X, y, size=14, linewidth=0.4)
    ax.legend(loc="upper right", fontsize="small")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=snapshots[-1][0])  # room for the title
    fig.tight_layout()

    def draw(k: int):
        shading.set_data(regions[k])
        ax.set_title(snapshots[k][0])

    return animate(fig, draw, len(snapshots), alt=alt, interval=interval)
