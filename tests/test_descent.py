"""Tests for the helpers of the chapter "Optimizers and the training loop":
dlkit.plots.gradient_descent_path / plot_descent_paths and dlkit.widgets.descent_explorer."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlkit.descent import gradient_descent_path  # noqa: E402
from dlkit.plots import plot_descent_paths  # noqa: E402

A, B = 1.0, 10.0


def bowl(w1, w2):
    return 0.5 * (A * w1**2 + B * w2**2)


def bowl_grad(w):
    return np.array([A * w[0], B * w[1]])


def test_path_matches_the_closed_form_of_a_quadratic_bowl():
    # On f = 0.5 (a w1² + b w2²) each coordinate is multiplied by (1 - lr·a) resp. (1 - lr·b) per step.
    start, lr, steps = np.array([-2.5, 1.0]), 0.09, 7
    path = gradient_descent_path(bowl_grad, start, lr, steps)
    assert path.shape == (steps + 1, 2)
    np.testing.assert_allclose(path[0], start)
    k = np.arange(steps + 1)[:, None]
    expected = start * np.array([1 - lr * A, 1 - lr * B]) ** k
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_path_one_step_by_hand():
    path = gradient_descent_path(lambda w: 2 * w, [3.0], lr=0.25, steps=1)  # f = w², w ← w - 0.25·2w
    np.testing.assert_allclose(path, [[3.0], [1.5]])


def test_path_with_zero_steps_is_just_the_start():
    path = gradient_descent_path(bowl_grad, (1.0, 2.0), lr=0.1, steps=0)
    np.testing.assert_allclose(path, [[1.0, 2.0]])


def test_path_that_diverges_grows_and_stops_at_the_last_finite_point():
    grows = gradient_descent_path(bowl_grad, (1.0, 1.0), lr=0.25, steps=20)  # 1 - 2.5 = -1.5
    assert len(grows) == 21
    assert abs(grows[-1, 1]) > 1000 * abs(grows[0, 1])
    assert np.all(np.sign(grows[1:, 1]) != np.sign(grows[:-1, 1]))  # it zigzags across the valley
    blown = gradient_descent_path(bowl_grad, (1.0, 1.0), lr=1e10, steps=100)
    assert 1 < len(blown) < 101
    assert np.all(np.isfinite(blown))


@pytest.mark.parametrize("lr, steps", [(0.0, 3), (-0.1, 3), (0.1, -1)])
def test_path_rejects_bad_arguments(lr, steps):
    with pytest.raises(ValueError):
        gradient_descent_path(bowl_grad, (1.0, 1.0), lr=lr, steps=steps)


def test_plot_descent_paths_draws_contours_paths_and_labels():
    paths = {f"lr = {lr}": gradient_descent_path(bowl_grad, (-2.5, 1.0), lr, 10)
             for lr in (0.01, 0.09)}
    fig, ax = plt.subplots()
    returned = plot_descent_paths(bowl, paths, ax=ax, xlim=(-3, 3), ylim=(-1.5, 1.5),
                                  title="Three learning rates")
    assert returned is ax
    assert ax.get_title() == "Three learning rates"
    assert "w_1" in ax.get_xlabel() and "w_2" in ax.get_ylabel()
    assert ax.get_xlim() == (-3.0, 3.0) and ax.get_ylim() == (-1.5, 1.5)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["lr = 0.01", "lr = 0.09", "minimum"]
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["lr = 0.09"].get_xydata(), paths["lr = 0.09"])
    assert len(ax.collections) >= 1  # the contour lines
    plt.close(fig)


def test_plot_descent_paths_without_paths_or_minimum():
    ax = plot_descent_paths(bowl, {}, minimum=None)
    assert ax.get_legend() is None
    assert ax.get_lines() == []
    plt.close(ax.figure)


def test_descent_explorer_has_two_sliders_and_redraws_when_they_move():
    from dlkit.widgets import descent_explorer

    explorer = descent_explorer(bowl, bowl_grad, (-2.5, 1.0), lr=0.05, steps=10,
                                lr_range=(0.005, 0.25))
    assert set(explorer.controls) == {"lr", "steps"}
    assert explorer.controls["lr"].description == "learning rate"
    np.testing.assert_allclose(explorer.path,
                               gradient_descent_path(bowl_grad, (-2.5, 1.0), 0.05, 10))
    first_image = explorer.output.outputs[0]["data"]["image/png"]
    assert "0.050" in explorer.status.value and "10 steps" in explorer.status.value

    explorer.controls["lr"].value = 0.19
    np.testing.assert_allclose(explorer.path,
                               gradient_descent_path(bowl_grad, (-2.5, 1.0), 0.19, 10))
    assert explorer.output.outputs[0]["data"]["image/png"] != first_image
    explorer.controls["steps"].value = 30
    assert explorer.path.shape == (31, 2)

    explorer.controls["lr"].value = 0.25  # factor 1 - 2.5 = -1.5 on w2: it blows up
    assert "diverges" in explorer.status.value
    assert plt.get_fignums() == []  # every figure was closed after being turned into a PNG


def test_path_with_momentum_matches_dlkit_sgd():
    import dlkit

    start, lr, momentum, steps = np.array([-2.5, 1.0]), 0.02, 0.9, 6
    path = gradient_descent_path(bowl_grad, start, lr, steps, momentum=momentum)
    weights = dlkit.Parameter(start.copy())
    optimizer = dlkit.SGD([weights], lr=lr, momentum=momentum)
    expected = [start.copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        weights.grad += bowl_grad(weights.data)
        optimizer.step()
        expected.append(weights.data.copy())
    np.testing.assert_allclose(path, np.array(expected), rtol=1e-12)
    with pytest.raises(ValueError):
        gradient_descent_path(bowl_grad, start, lr, steps, momentum=1.0)


def test_plot_descent_paths_uses_the_given_colors():
    from matplotlib.colors import to_hex

    from dlkit.plots import COLORS

    path = gradient_descent_path(bowl_grad, (-2.5, 1.0), 0.1, 5)
    ax = plot_descent_paths(bowl, {"a": path}, colors=[COLORS["green"]])
    line = next(line for line in ax.get_lines() if line.get_label() == "a")
    assert to_hex(line.get_color()) == COLORS["green"].lower()
    plt.close(ax.figure)
