"""dlkit.features: hand-made digit features, and digits shifted around a canvas and aligned back."""

from __future__ import annotations

import numpy as np
import pytest

from dlkit import features

FEATURE_NAMES_INDEX = {name: k for k, name in enumerate(features.FEATURE_NAMES)}


def ring_digit() -> np.ndarray:
    """An 8×8 "0": a ring of full ink (16) around a 2 × 3 blank inside, as one row of 64 pixels."""
    image = np.zeros((8, 8))
    image[1:5, 2:7] = 16.0
    image[2:4, 3:6] = 0.0                                  # the blank inside: 6 pixels
    return image.reshape(1, 64)


def test_enclosed_pixels_counts_the_inside_of_a_loop_only():
    image = ring_digit().reshape(1, 8, 8) / 16.0
    enclosed = features.enclosed_pixels(image)[0]
    expected = np.zeros((8, 8), dtype=bool)
    expected[2:4, 3:6] = True
    np.testing.assert_array_equal(enclosed, expected)
    opened = image.copy()
    opened[0, 2, 2] = 0.0                                  # a gap in the wall lets "outside" in
    assert not features.enclosed_pixels(opened)[0].any()


def test_hand_features_match_a_count_by_hand():
    digit = ring_digit()
    f = features.hand_features(digit)
    assert f.shape == (1, len(features.FEATURE_NAMES)) == (1, 17)
    ink = 14.0                                             # 20 inked pixels minus 6 blank ones
    assert f[0, 0] == pytest.approx(ink / 64)
    # rows 1-2 (index 0, 1): row 1 holds 5 inked pixels, row 0 none
    assert f[0, 1] == pytest.approx(5 / ink)
    # centre of mass: rows 1..4 hold 5, 2, 2, 5 inked pixels -> mean row 2.5
    assert f[0, 9] == pytest.approx(2.5)
    assert f[0, FEATURE_NAMES_INDEX["enclosed pixels"]] == 6
    # row crossings: rows 3 and 4 (index 3, 4) meet 2 and 1 strokes -> (4 + 2) changes / 4
    assert f[0, FEATURE_NAMES_INDEX["row crossings"]] == pytest.approx(6 / 4)


def test_shift_digits_pastes_each_digit_at_its_offset_on_a_blank_canvas():
    rng = np.random.default_rng(0)
    digits = rng.integers(0, 17, size=(30, 64)).astype(float)
    shifted, offsets = features.shift_digits(digits, canvas=12, rng=1)
    assert shifted.shape == (30, 144) and offsets.shape == (30, 2)
    assert offsets.min() >= 0 and offsets.max() <= 4
    assert len(np.unique(offsets, axis=0)) > 10            # the places really vary
    canvases = shifted.reshape(30, 12, 12)
    for k, (r, c) in enumerate(offsets):
        np.testing.assert_array_equal(canvases[k, r:r + 8, c:c + 8], digits[k].reshape(8, 8))
        assert canvases[k].sum() == pytest.approx(digits[k].sum())   # nothing else on the canvas
    again, _ = features.shift_digits(digits, canvas=12, rng=1)
    np.testing.assert_array_equal(shifted, again)


def test_align_digits_gives_the_same_window_wherever_the_digit_sits():
    from sklearn.datasets import load_digits

    real = load_digits().data[:100]
    first, offsets_1 = features.shift_digits(real, canvas=12, rng=1)
    second, offsets_2 = features.shift_digits(real, canvas=12, rng=2)
    assert np.any(offsets_1 != offsets_2)
    aligned = features.align_digits(first, canvas=12)
    assert aligned.shape == (100, 64)
    np.testing.assert_array_equal(aligned, features.align_digits(second, canvas=12))
    # a digit whose ink touches the top-left corner, pasted at (0, 0), comes back unchanged
    digit = ring_digit()
    digit[0, 0] = 16.0
    on_canvas = np.zeros((1, 12, 12))
    on_canvas[0, :8, :8] = digit.reshape(8, 8)
    np.testing.assert_array_equal(features.align_digits(on_canvas.reshape(1, 144), 12), digit)


def test_bad_shapes_and_canvases_fail_with_a_clear_message():
    with pytest.raises(ValueError, match=r"rows of 64 pixels"):
        features.hand_features(np.zeros((3, 8, 8)))
    with pytest.raises(ValueError, match=r"at least 8"):
        features.shift_digits(np.zeros((3, 64)), canvas=6)
    with pytest.raises(ValueError, match=r"rows of 144 pixels"):
        features.align_digits(np.zeros((3, 64)), canvas=12)
