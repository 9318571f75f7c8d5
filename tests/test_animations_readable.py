"""dlkit.animations' default frame sizes: large enough to read on a page, small enough to store."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
from PIL import Image

import dlkit
from dlkit.animations import PALETTE_COLOURS, boundary_animation, descent_animation

FRAME = re.compile(r'"data:image/png;base64,([^"]+)"')


def first_frame(html: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(FRAME.search(html).group(1))))


def test_descent_animation_frames_are_large_enough_to_read_by_default():
    animation = descent_animation(lambda a, b: a**2 + b**2, lambda w: 2 * w, [2.0, 1.0], [0.1],
                                  steps=2, alt="One path.")
    frame = first_frame(animation.html)
    assert frame.size[0] >= 700 and frame.size[1] >= 280  # 10-point text at about 15 pixels


def test_boundary_animation_frames_are_large_by_default():
    X, y = dlkit.data.xor()
    animation = boundary_animation([("start", lambda p: np.column_stack([p[:, 0], -p[:, 0]]))], X, y,
                                   alt="A boundary.", resolution=10)
    frame = first_frame(animation.html)
    assert frame.size[0] >= 480 and frame.size[1] >= 400


def test_frames_keep_a_small_palette():
    animation = descent_animation(lambda a, b: a**2 + b**2, lambda w: 2 * w, [2.0, 1.0], [0.1],
                                  steps=2, alt="One path.")
    frame = first_frame(animation.html)
    assert frame.mode == "P" and len(frame.getcolors()) <= PALETTE_COLOURS
