"""dlkit.autograd.Value: values and gradients against finite differences and torch's autograd."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlkit import Dense, MSELoss, Sequential, Sigmoid
from dlkit.autograd import Value


# --- random expressions, run on three "backends" --------------------------------------------------
# Each operation is written once, for any backend F that supplies tanh, relu, exp, log and sigmoid;
# the arithmetic (+ - * / **, unary minus, plain numbers on either side) is Python's own operators.
class FloatOps:
    tanh = staticmethod(math.tanh)
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)

    @staticmethod
    def relu(a):
        return max(a, 0.0)

    @staticmethod
    def sigmoid(a):
        return 1 / (1 + math.exp(-a))


class ValueOps:
    @staticmethod
    def tanh(a):
        return a.tanh()

    @staticmethod
    def relu(a):
        return a.relu()

    @staticmethod
    def exp(a):
        return a.exp()

    @staticmethod
    def log(a):
        return a.log()

    @staticmethod
    def sigmoid(a):
        return a.sigmoid()


# Denominators, logarithms and fractional powers get inputs of the form b*b + 0.5 (always > 0),
# which also uses b twice inside one operation.
OPS = {
    "add": lambda F, a, b: a + b,
    "sub": lambda F, a, b: a - b,
    "mul": lambda F, a, b: a * b,
    "div": lambda F, a, b: a / (b * b + 0.5),
    "neg": lambda F, a, b: -a,
    "square": lambda F, a, b: a ** 2,
    "cube": lambda F, a, b: a ** 3,
    "inverse": lambda F, a, b: (a * a + 0.5) ** -1,
    "sqrt": lambda F, a, b: (b * b + 0.5) ** 0.5,
    "number_left": lambda F, a, b: 1.5 - 2 * a + 0.5 / (b * b + 0.5),
    "number_right": lambda F, a, b: (a - 1.5) * 0.7 + a / 4,
    "tanh": lambda F, a, b: F.tanh(a),
    "relu": lambda F, a, b: F.relu(a),
    "exp": lambda F, a, b: F.exp(a),
    "log": lambda F, a, b: F.log(a * a + 0.5),
    "sigmoid": lambda F, a, b: F.sigmoid(a),
}


def run(program, leaves, F):
    """Apply ``program`` (a list of (op, i, j) picking earlier nodes) and sum every result."""
    nodes = list(leaves)
    for op, i, j in program:
        nodes.append(OPS[op](F, nodes[i % len(nodes)], nodes[j % len(nodes)]))
    total = nodes[len(leaves)]
    for node in nodes[len(leaves) + 1:]:  # every result feeds the total: nodes are reused
        total = total + node
    return total, nodes


def usable(program, leaves):
    """Keep programs away from ReLU's kink and from huge numbers (finite differences need both)."""
    nodes = list(leaves)
    for op, i, j in program:
        a = nodes[i % len(nodes)]
        if op == "relu" and abs(a) < 1e-3:
            return False
        if op == "exp" and a > 5:
            return False
        nodes.append(OPS[op](FloatOps, a, nodes[j % len(nodes)]))
        if abs(nodes[-1]) > 1e3:
            return False
    return True


leaves_strategy = st.lists(st.floats(-2, 2), min_size=1, max_size=4)
program_strategy = st.lists(
    st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 50), st.integers(0, 50)),
    min_size=1, max_size=8)


def value_gradients(program, leaves):
    values = [Value(x) for x in leaves]
    total, _ = run(program, values, ValueOps)
    total.backward()
    return total.data, [v.grad for v in values]


@settings(max_examples=150, deadline=None)
@given(leaves=leaves_strategy, program=program_strategy)
def test_random_expressions_match_finite_differences(leaves, program):
    assume(usable(program, leaves))
    data, grads = value_gradients(program, leaves)
    assert data == pytest.approx(run(program, leaves, FloatOps)[0], rel=1e-12, abs=1e-12)
    h = 1e-6
    for k in range(len(leaves)):
        up, down = list(leaves), list(leaves)
        up[k] += h
        down[k] -= h
        assume(usable(program, up) and usable(program, down))
        numeric = (run(program, up, FloatOps)[0] - run(program, down, FloatOps)[0]) / (2 * h)
        assert grads[k] == pytest.approx(numeric, rel=1e-5, abs=1e-5)


@settings(max_examples=150, deadline=None)
@given(leaves=leaves_strategy, program=program_strategy)
def test_random_expressions_match_torch_autograd(leaves, program):
    torch = pytest.importorskip("torch")
    assume(usable(program, leaves))
    data, grads = value_gradients(program, leaves)
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in leaves]
    total, _ = run(program, tensors, torch)
    total.backward()
    assert data == pytest.approx(total.item(), rel=1e-10, abs=1e-10)
    for mine, tensor in zip(grads, tensors):
        reference = 0.0 if tensor.grad is None else tensor.grad.item()
        assert mine == pytest.approx(reference, rel=1e-10, abs=1e-10)


# --- accumulation: the reason for += --------------------------------------------------------------
def test_a_value_used_twice_gets_the_sum_of_both_gradients():
    a = Value(3.0)
    (a * a).backward()          # d(a²)/da = 2a
    assert a.grad == 6.0
    b = Value(3.0)
    (b + b).backward()
    assert b.grad == 2.0


def test_a_second_backward_adds_to_the_leaves_and_zero_grad_clears_them():
    m, b, c = Value(2.0), Value(3.0), Value(4.0)
    loss = (m * b) * c          # the product m*b is an inner node the second pass must not recount
    loss.backward()
    assert (m.grad, b.grad, c.grad) == (12.0, 8.0, 6.0)
    loss.backward()
    assert (m.grad, b.grad, c.grad) == (24.0, 16.0, 12.0)
    loss.zero_grad()
    assert (m.grad, b.grad, c.grad, loss.grad) == (0.0, 0.0, 0.0, 0.0)
    loss.backward()
    assert (m.grad, b.grad, c.grad) == (12.0, 8.0, 6.0)


def test_topological_order_lists_every_node_after_its_inputs():
    x = Value(1.0)
    y = x * 2
    z = (y + x).tanh() * y
    order = z.topological_order()
    assert order[-1] is z and len(order) == len(set(order))
    position = {node: k for k, node in enumerate(order)}
    for node in order:
        assert all(position[parent] < position[node] for parent in node._parents)


# --- plain numbers on either side, each operation's slope -----------------------------------------
@pytest.mark.parametrize("expression, value, slope", [
    (lambda x: x + 2, 5.0, 1.0), (lambda x: 2 + x, 5.0, 1.0),
    (lambda x: x - 2, 1.0, 1.0), (lambda x: 2 - x, -1.0, -1.0),
    (lambda x: x * 2, 6.0, 2.0), (lambda x: 2 * x, 6.0, 2.0),
    (lambda x: x / 2, 1.5, 0.5), (lambda x: 2 / x, 2 / 3, -2 / 9),
    (lambda x: -x, -3.0, -1.0), (lambda x: x ** 2, 9.0, 6.0),
    (lambda x: x ** -1, 1 / 3, -1 / 9), (lambda x: x ** 0.5, math.sqrt(3), 0.5 / math.sqrt(3)),
    (lambda x: x.tanh(), math.tanh(3), 1 - math.tanh(3) ** 2),
    (lambda x: x.relu(), 3.0, 1.0), (lambda x: (-x).relu(), 0.0, 0.0),
    (lambda x: x.exp(), math.exp(3), math.exp(3)), (lambda x: x.log(), math.log(3), 1 / 3),
    (lambda x: x.sigmoid(), 1 / (1 + math.exp(-3)),
     math.exp(-3) / (1 + math.exp(-3)) ** 2),
])
def test_each_operation_has_the_textbook_value_and_slope(expression, value, slope):
    x = Value(3.0)
    out = expression(x)
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-12)
    assert x.grad == pytest.approx(slope, rel=1e-12, abs=1e-15)


def test_sigmoid_of_a_very_negative_number_does_not_overflow():
    x = Value(-1000.0)
    out = x.sigmoid()
    out.backward()
    assert out.data == 0.0 and x.grad == 0.0


# --- the same chain rule as the layers ------------------------------------------------------------
def test_a_neuron_built_from_values_matches_dense_and_sigmoid():
    x, w, b, t = 2.0, 0.5, -0.5, 0.2
    wv, bv = Value(w), Value(b)
    loss = ((wv * x + bv).sigmoid() - t) ** 2
    loss.backward()

    model = Sequential(Dense.from_arrays([[w]], [b]), Sigmoid())
    mse = MSELoss()
    assert loss.data == pytest.approx(mse(model(np.array([[x]])), np.array([[t]])), rel=1e-12)
    model.backward(mse.backward())
    assert wv.grad == pytest.approx(model[0].weight.grad[0, 0], rel=1e-12)
    assert bv.grad == pytest.approx(model[0].bias.grad[0], rel=1e-12)


def test_a_dense_layer_built_from_values_matches_dense_backward():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    Wv = [[Value(W[i, j]) for j in range(2)] for i in range(3)]
    bv = [Value(b[j]) for j in range(2)]
    loss = 0
    for n in range(4):                          # loss = sum of all outputs, squared
        for j in range(2):
            y = sum((x[n, i] * Wv[i][j] for i in range(3)), bv[j])
            loss = loss + y ** 2
    loss.backward()

    layer = Dense.from_arrays(W, b)
    y = layer(x)
    layer.backward(2 * y)                       # d(sum y²)/dy = 2y
    assert np.allclose([[v.grad for v in row] for row in Wv], layer.weight.grad, rtol=1e-12)
    assert np.allclose([v.grad for v in bv], layer.bias.grad, rtol=1e-12)


# --- clear errors and a repr that shows what it holds ---------------------------------------------
@pytest.mark.parametrize("make, error, words", [
    (lambda: Value(2.0) ** Value(2.0), TypeError, "plain number as the exponent"),
    (lambda: 2 ** Value(2.0), TypeError, "plain number as the exponent"),
    (lambda: Value(0.0).log(), ValueError, "positive number"),
    (lambda: Value(-1.0).log(), ValueError, "positive number"),
    (lambda: Value(-2.0) ** 0.5, ValueError, "whole-number exponent"),
    (lambda: Value(0.0) ** -1, ValueError, "no finite slope"),
    (lambda: Value("3"), TypeError, "one plain number"),
    (lambda: Value(Value(3.0)), TypeError, "one plain number"),
    (lambda: Value(np.array([1.0, 2.0])), TypeError, "one plain number"),
])
def test_mistakes_get_a_sentence_that_says_what_to_do(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_repr_shows_the_number_and_its_gradient():
    w = Value(0.5)
    loss = (w * 3.0 - 1) ** 2
    assert repr(w) == "Value(data=0.5, grad=0)"
    loss.backward()
    assert repr(w) == "Value(data=0.5, grad=3)"
    assert repr(loss) == "Value(data=0.25, grad=1)"
