"""dlkit.rng: the module generator reset by dlkit.seed, and the three things rng= accepts."""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
from dlkit.rng import as_generator


def test_seed_resets_the_module_generator_that_rng_none_uses():
    dlkit.seed(4)
    first = as_generator(None).normal(size=3)
    dlkit.seed(4)
    np.testing.assert_array_equal(as_generator(None).normal(size=3), first)
    np.testing.assert_array_equal(first, np.random.default_rng(4).normal(size=3))


def test_an_int_gives_a_fresh_generator_and_leaves_the_module_one_alone():
    dlkit.seed(0)
    expected_next = np.random.default_rng(0).normal()
    np.testing.assert_array_equal(as_generator(7).normal(size=2),
                                  np.random.default_rng(7).normal(size=2))
    assert as_generator(np.int64(7)).normal() == np.random.default_rng(7).normal()
    assert as_generator(None).normal() == expected_next


def test_a_generator_is_used_as_it_is():
    generator = np.random.default_rng(1)
    assert as_generator(generator) is generator


@pytest.mark.parametrize("bad", [True, 1.5, "0", [0]], ids=["bool", "float", "str", "list"])
def test_anything_else_is_refused_with_what_rng_accepts(bad):
    with pytest.raises(TypeError, match="None, an int seed or a numpy.random.Generator"):
        as_generator(bad)
