"""Every optimizer checks all of its arguments once, when it is built, with a message naming the fix."""

from __future__ import annotations

import numpy as np
import pytest

from dlkit import SGD, Adam, AdamW, Dense, Parameter, ReLU, RMSProp, Sequential

ALL = [SGD, RMSProp, Adam, AdamW]


def params():
    return [Parameter(np.ones(3))]


def model():
    return Sequential(Dense(2, 3, rng=0), ReLU(), Dense(3, 1, rng=0))


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_lr_must_be_a_positive_finite_number(cls, lr):
    with pytest.raises(ValueError, match=r"lr must be a (positive|finite) number.*e\.g\. lr="):
        cls(params(), lr=lr)


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("lr", ["0.1", None, [0.1], True])
def test_lr_that_is_not_a_number_is_a_type_error(cls, lr):
    with pytest.raises(TypeError, match=r"lr must be a number, got .*e\.g\. lr=0\.1"):
        cls(params(), lr=lr)


def test_setting_a_bad_lr_later_is_refused_too():
    optimizer = SGD(params(), lr=0.1)
    with pytest.raises(ValueError, match="positive"):
        optimizer.lr = -1
    assert optimizer.lr == 0.1


@pytest.mark.parametrize("momentum", [-0.1, 1.0, 1.5])
def test_momentum_in_zero_one(momentum):
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\).*Try"):
        SGD(params(), lr=0.1, momentum=momentum)


def test_momentum_string_is_a_type_error():
    with pytest.raises(TypeError, match="momentum must be a number"):
        SGD(params(), lr=0.1, momentum="0.9")


@pytest.mark.parametrize("cls", [Adam, AdamW])
@pytest.mark.parametrize("betas", [(0.9, 1.0), (-0.1, 0.999), (1.0, 0.5)])
def test_betas_each_in_zero_one(cls, betas):
    with pytest.raises(ValueError, match=r"betas\[[01]\] must be in \[0, 1\).*\(0\.9, 0\.999\)"):
        cls(params(), betas=betas)


@pytest.mark.parametrize("cls", [Adam, AdamW])
@pytest.mark.parametrize("betas", [0.9, (0.9,), (0.9, 0.99, 0.999), "ab"])
def test_betas_must_be_a_pair(cls, betas):
    with pytest.raises(TypeError, match="betas must be a pair of numbers"):
        cls(params(), betas=betas)


@pytest.mark.parametrize("cls", [RMSProp, Adam, AdamW])
@pytest.mark.parametrize("eps", [0, -1, -1e-8])
def test_eps_positive(cls, eps):
    with pytest.raises(ValueError, match=r"eps must be a positive number.*1e-8"):
        cls(params(), eps=eps)


@pytest.mark.parametrize("alpha", [-0.5, 1.0, 2])
def test_rmsprop_alpha_in_zero_one(alpha):
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\).*0\.99"):
        RMSProp(params(), alpha=alpha)


@pytest.mark.parametrize("make", [
    lambda wd: SGD(params(), lr=0.1, weight_decay=wd),
    lambda wd: Adam(params(), weight_decay=wd),
    lambda wd: AdamW(params(), weight_decay=wd),
])
def test_weight_decay_not_negative(make):
    with pytest.raises(ValueError, match=r"weight_decay must be 0 or more.*Use 0 for none"):
        make(-0.01)
    with pytest.raises(TypeError, match="weight_decay must be a number"):
        make("0.01")
    assert make(0).weight_decay == 0.0


@pytest.mark.parametrize("cls", ALL)
def test_the_parameters_method_without_calling_it(cls):
    net = model()
    with pytest.raises(TypeError, match=r"call it: model\.parameters\(\)"):
        cls(net.parameters, lr=0.1)


@pytest.mark.parametrize("cls", ALL)
def test_the_model_itself(cls):
    with pytest.raises(TypeError, match=r"model\.parameters\(\)"):
        cls(model(), lr=0.1)


@pytest.mark.parametrize("cls", ALL)
def test_empty_parameter_list_is_refused(cls):
    with pytest.raises(ValueError, match="no parameters"):
        cls([], lr=0.1)
    with pytest.raises(ValueError, match="no parameters"):
        cls(Sequential(ReLU()).parameters(), lr=0.1)


@pytest.mark.parametrize("cls", ALL)
def test_something_else_than_parameters(cls):
    with pytest.raises(TypeError, match="expects"):
        cls([np.ones(3)], lr=0.1)
    with pytest.raises(TypeError, match="expects"):
        cls(3, lr=0.1)


def test_valid_arguments_are_kept_as_floats():
    optimizer = Adam(params(), lr=1, betas=(0, 0.5), eps=1, weight_decay=1)
    assert (optimizer.lr, optimizer.betas, optimizer.eps, optimizer.weight_decay) == (
        1.0, (0.0, 0.5), 1.0, 1.0)
    assert isinstance(optimizer.lr, float)
    SGD(params(), lr=np.float32(0.1), momentum=np.float64(0.5))  # numpy numbers are numbers
