"""dlkit.animations: self-contained HTML players (FuncAnimation -> to_jshtml) for the static book."""

from __future__ import annotations

import base64
import copy
import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

import dlkit
from dlkit.animations import Animation, animate, boundary_animation, descent_animation

FRAME = re.compile(r'"data:image/png;base64,([^"]+)"')


def tiny_animation(frames: int = 3, alt: str = "A dot moving right.") -> Animation:
    fig, ax = plt.subplots(figsize=(1.5, 1), dpi=30)
    (dot,) = ax.plot([0], [0], "o")
    ax.set_xlim(0, frames)
    return animate(fig, lambda i: dot.set_data([i], [0]), frames, alt=alt)


def frames_of(animation: Animation) -> list[Image.Image]:
    return [Image.open(io.BytesIO(base64.b64decode(data))) for data in FRAME.findall(animation.html)]


def test_animate_embeds_one_png_per_frame():
    animation = tiny_animation(frames=4)
    assert animation.frames == 4
    images = frames_of(animation)
    assert len(images) == 4
    assert all(image.format == "PNG" and image.mode == "P" for image in images)  # a colour palette
    assert images[0].tobytes() != images[-1].tobytes()  # the dot moved


def test_animate_is_self_contained_and_works_offline():
    html = tiny_animation().html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "loads something from the web"
    assert "font-awesome" not in html and 'class="fa ' not in html
    for label in ["Play", "Pause", "First frame", "Next frame"]:  # the controls the book test uses
        assert f'title="{label}"' in html


def test_animate_gives_alt_text_and_a_labelled_slider():
    html = tiny_animation(alt='A "quoted" <dot> & more.').html
    escaped = 'alt="A &quot;quoted&quot; &lt;dot> &amp; more."'
    assert re.search(rf'<img id="_anim_img[0-9a-f]{{16}}" {escaped}>', html)
    assert 'class="anim-slider" aria-label="Frame"' in html


def test_animate_gives_the_same_html_twice():
    """No random ids: re-executing a notebook changes nothing (and nbval can compare it)."""
    assert tiny_animation().html == tiny_animation().html
    assert tiny_animation(alt="One.").html != tiny_animation(alt="Two.").html


def test_animate_closes_its_figure_and_has_a_teaching_repr():
    before = plt.get_fignums()
    animation = tiny_animation(frames=2, alt="Two frames.")
    assert plt.get_fignums() == before
    assert repr(animation) == "Animation(2 frames, 'Two frames.')"
    assert animation._repr_html_() == animation.html


@pytest.mark.parametrize(("frames", "alt"), [(0, "x"), (2, "  ")])
def test_animate_rejects_no_frames_and_no_alt(frames, alt):
    fig = plt.figure()
    with pytest.raises(ValueError):
        animate(fig, lambda i: None, frames, alt=alt)
    plt.close(fig)


def bowl(w1, w2):
    return 0.5 * (w1**2 + 10 * w2**2)


def bowl_grad(w):
    return np.array([w[0], 10 * w[1]])


def test_descent_animation_has_a_frame_per_every_steps():
    animation = descent_animation(bowl, bowl_grad, [-2.5, 1.2], [0.01, 0.12], steps=6, every=2,
                                  alt="Two paths.", figsize=(3, 1.5), dpi=30)
    assert animation.frames == 4  # steps 0, 2, 4, 6
    assert len(frames_of(animation)) == 4


def test_descent_animation_survives_a_diverging_path():
    animation = descent_animation(bowl, bowl_grad, [-2.5, 1.2], [0.5], steps=4, alt="Diverges.",
                                  figsize=(3, 1.5), dpi=30)
    assert animation.frames == 5


def test_descent_animation_rejects_an_every_that_does_not_divide_steps():
    with pytest.raises(ValueError, match="every"):
        descent_animation(bowl, bowl_grad, [1.0, 1.0], [0.1], steps=5, every=2, alt="x")


def test_boundary_animation_has_a_frame_per_snapshot_and_shows_training():
    X, y = dlkit.data.xor()
    rng = np.random.default_rng(0)
    model = dlkit.Sequential(dlkit.Dense(2, 8, rng=rng), dlkit.ReLU(), dlkit.Dense(8, 2, rng=rng))
    optimizer = dlkit.Adam(model.parameters(), lr=0.05)
    snapshots = [("before", copy.deepcopy(model).predict)]
    dlkit.fit(model, dlkit.CrossEntropyLoss(), optimizer, X, y, epochs=200, progress=False)
    snapshots.append(("after", copy.deepcopy(model).predict))
    animation = boundary_animation(snapshots, X, y, alt="XOR learned.", resolution=20,
                                   figsize=(2, 2), dpi=30)
    assert animation.frames == 2
    first, last = frames_of(animation)
    assert first.tobytes() != last.tobytes()
