"""dlkit.exercises: the checks of the exercise cells pass a right answer silently and fail a wrong
one with an AssertionError that says what was expected, what was found and the hint."""

from __future__ import annotations

import numpy as np
import pytest

from dlkit.exercises import check_close, check_shape, check_true


def test_check_close_passes_equal_numbers_and_arrays_up_to_rounding():
    check_close(0.7 + 1e-9, 0.7)
    check_close([[1.0, 2.0]], np.array([[1.0, 2.0 + 1e-8]]))
    check_close(np.float32(0.1), 0.1)


def test_check_close_says_what_was_found_and_expected_with_the_hint():
    with pytest.raises(AssertionError) as info:
        check_close(0.5, 0.7, name="z", hint="Did you add the bias?")
    message = str(info.value)
    assert message.startswith("Not yet: z is 0.5")
    assert "0.7 was expected" in message
    assert message.endswith("Hint: Did you add the bias?")


def test_check_close_without_a_hint_has_no_hint_line():
    with pytest.raises(AssertionError) as info:
        check_close(1.0, 2.0)
    assert "Hint" not in str(info.value)
    assert "your answer" in str(info.value)


def test_check_close_names_a_missing_return():
    with pytest.raises(AssertionError, match="is None.*return"):
        check_close(None, 1.0, name="forward(x)")


def test_check_close_names_a_shape_mismatch():
    with pytest.raises(AssertionError, match=r"has shape \(3,\), but shape \(3, 1\) was expected"):
        check_close(np.zeros(3), np.zeros((3, 1)), name="y")


def test_check_close_refuses_something_that_is_not_a_number():
    with pytest.raises(AssertionError, match="'seven'.*not a number"):
        check_close("seven", 7.0, name="n")


def test_check_close_tolerances():
    check_close(1.05, 1.0, atol=0.1)
    with pytest.raises(AssertionError):
        check_close(1.05, 1.0)


def test_check_shape_passes_the_right_shape_and_names_the_wrong_one():
    check_shape(np.zeros((2, 3)), (2, 3))
    check_shape([[1, 2, 3]], [1, 3])
    with pytest.raises(AssertionError, match=r"W has shape \(3, 2\), but shape \(2, 3\) was expected"):
        check_shape(np.zeros((3, 2)), (2, 3), name="W", hint="Transpose?")


def test_check_true_passes_a_true_condition_and_fails_a_false_one_with_its_message():
    check_true(True, "never shown")
    with pytest.raises(AssertionError, match="the loss falls") as info:
        check_true(False, "the loss falls", hint="lower the learning rate")
    assert "Hint: lower the learning rate" in str(info.value)
