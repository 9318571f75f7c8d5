"""Scalar automatic differentiation: a number that remembers how it was computed.

``Value`` wraps one float. Every operation on Values makes a new Value that records its inputs
(``_parents``) and a small function (``_backward``) that knows the operation's local slopes. After
the forward computation, ``loss.backward()`` visits the graph in reverse topological order and
applies the chain rule at each node::

    >>> w, x = Value(0.5), Value(3.0)
    >>> loss = (w * x - 1) ** 2
    >>> loss.backward()
    >>> w               # dL/dw = 2 (w x - 1) x = 2 * 0.5 * 3
    Value(data=0.5, grad=3)

Gradients *accumulate* (``+=``): a Value used twice gets the sum of the blame from both uses, and
a second ``backward()`` adds to the leaves' ``grad`` again (call :meth:`Value.zero_grad` to start
afresh), just like ``Parameter.grad`` in the layers and ``.grad`` in PyTorch. The layers do the
same chain rule a whole matrix at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real


class Value:
    """One number (``data``) and the gradient of the final result with respect to it (``grad``)."""

    def __init__(self, data: float, _parents: tuple[Value, ...] = (), _op: str = "") -> None:
        if isinstance(data, Value) or not isinstance(data, Real):
            raise TypeError(f"Value holds one plain number, got {type(data).__name__} {data!r}.")
        self.data = float(data)
        self.grad = 0.0
        self._parents = _parents
        self._op = _op  # what made this Value ("+", "*", "tanh", ...), for drawing the graph
        self._backward: Callable[[], None] = lambda: None

    @staticmethod
    def _wrap(other) -> Value:
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other) -> Value:
        other = self._wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other) -> Value:
        other = self._wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # d(a b)/da = b, d(a b)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    _POW_HELP = ("Value ** needs a plain number as the exponent (x ** 2, x ** -1); for a Value "
                 "exponent y, write (y * x.log()).exp() instead.")

    def __pow__(self, exponent) -> Value:
        if isinstance(exponent, Value) or not isinstance(exponent, Real):
            raise TypeError(self._POW_HELP)
        if self.data == 0 and exponent < 1:
            raise ValueError(f"0 ** {exponent} has no finite slope at 0; keep the base away from 0.")
        if self.data < 0 and exponent != int(exponent):
            raise ValueError(f"({self.data}) ** {exponent} is not a real number: a negative base "
                             "needs a whole-number exponent.")
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def _backward():  # d(a^n)/da = n a^(n-1)
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def _unary(self, value: float, slope: float, op: str) -> Value:
        """A one-input operation whose local slope ``d out / d self`` is ``slope``."""
        out = Value(value, (self,), op)

        def _backward():
            self.grad += slope * out.grad
        out._backward = _backward
        return out

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._unary(t, 1 - t * t, "tanh")

    def relu(self) -> Value:
        return self._unary(max(self.data, 0.0), float(self.data > 0), "relu")

    def exp(self) -> Value:
        e = math.exp(self.data)
        return self._unary(e, e, "exp")

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data}; "
                             "the logarithm is only defined above 0.")
        return self._unary(math.log(self.data), 1 / self.data, "log")

    def sigmoid(self) -> Value:
        s = 0.5 * (1 + math.tanh(0.5 * self.data))  # = 1 / (1 + e^-x), without overflow
        return self._unary(s, s * (1 - s), "sigmoid")

    def __neg__(self) -> Value:
        return self._unary(-self.data, -1.0, "neg")

    def __sub__(self, other) -> Value:
        other = self._wrap(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():  # d(a - b)/da = 1, d(a - b)/db = -1
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def __truediv__(self, other) -> Value:
        return self * self._wrap(other) ** -1

    def __radd__(self, other) -> Value:  # 2 + x
        return self + other

    def __rmul__(self, other) -> Value:  # 2 * x
        return self * other

    def __rsub__(self, other) -> Value:  # 2 - x
        return self._wrap(other) - self

    def __rtruediv__(self, other) -> Value:  # 2 / x
        return self._wrap(other) / self

    def __rpow__(self, base):  # 2 ** x
        raise TypeError(self._POW_HELP)

    def topological_order(self) -> list[Value]:
        """Every Value this one depends on, each listed after all of its inputs (self is last)."""
        order, seen = [], set()

        def visit(node: Value) -> None:
            if node not in seen:
                seen.add(node)
                for parent in node._parents:
                    visit(parent)
                order.append(node)
        visit(self)
        return order

    def backward(self) -> None:
        """Add d(self)/d(leaf) to the ``grad`` of every leaf (a Value you made, not computed).

        Computed Values get this pass's gradient only (they start again from 0), so the blame is
        counted once per pass; the leaves keep adding, pass after pass, until ``zero_grad()``.
        """
        order = self.topological_order()
        for node in order:
            if node._parents:
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self)
        for node in reversed(order):  # each node after everything that uses it
            node._backward()

    def zero_grad(self) -> None:
        """Set ``grad`` back to 0 on this Value and everything it was computed from."""
        for node in self.topological_order():
            node.grad = 0.0

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"
