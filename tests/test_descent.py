"""dlkit.descent: gradient_descent_path against closed forms, by hand and against dlkit.SGD."""

from __future__ import annotations

import numpy as np
import pytest

from dlkit.descent import gradient_descent_path

A, B = 1.0, 10.0


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
