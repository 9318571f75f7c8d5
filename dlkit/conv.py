"""Convolution: one small filter slid over every position of an image, and the layers built on it.

Images come in PyTorch's layout, ``(batch, channels, height, width)``: a grey 8×8 digit is
``(1, 8, 8)`` (one channel), a colour photo has three (red, green, blue). A filter (kernel) has one
``k × k`` patch of weights per input channel; its weighted sum at every position of the image is its
*feature map*. Deep-learning libraries call this a convolution; strictly it is a cross-correlation
(the kernel is not flipped), and so it is here.

Read the plain version first:

- :func:`conv2d_reference` — the definition as loops, one output number at a time;
- :func:`conv2d` — the same numbers, computed at once (what :class:`Conv2D` uses);
- :func:`slide_filter` — the one-image, one-filter case the chapter starts with, and
  :func:`edge_kernel`, a hand-made filter for it;
- :class:`Conv2D`, :class:`MaxPool2D`, :class:`Flatten` — layers with forward and backward.

Output size along each side: ``(size + 2 * padding - k) // stride + 1``.
"""

from __future__ import annotations

import numpy as np

from dlkit.layers import Dense, Layer
from dlkit.parameter import Parameter
from dlkit.rng import RngLike, as_generator

_windows_view = np.lib.stride_tricks.sliding_window_view


def output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    """How many positions a ``kernel_size`` window takes along a side of ``size`` pixels."""
    return (size + 2 * padding - kernel_size) // stride + 1


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    """``x: (batch, channels, H, W)`` with ``padding`` rows/columns of zeros added on every side."""
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def conv2d_reference(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, *,
                     stride: int = 1, padding: int = 0) -> np.ndarray:
    """A convolution written as its definition: plain loops over every output number (slow).

    Shapes: ``x: (batch, in_channels, H, W)``, ``weight: (out_channels, in_channels, kh, kw)``,
    ``bias: (out_channels,)`` or None → ``(batch, out_channels, H_out, W_out)`` with
    ``H_out = (H + 2 * padding - kh) // stride + 1`` (the same for the width).

    ``out[n, o, i, j]`` is the weighted sum of the window whose top-left corner sits at row
    ``i * stride``, column ``j * stride`` of the zero-padded image, over all input channels, plus
    ``bias[o]``.
    """
    x, weight = np.asarray(x), np.asarray(weight)
    xp = _pad(x, padding)
    batch, out_channels = x.shape[0], weight.shape[0]
    kh, kw = weight.shape[2:]
    h_out = (xp.shape[2] - kh) // stride + 1
    w_out = (xp.shape[3] - kw) // stride + 1
    out = np.zeros((batch, out_channels, h_out, w_out), dtype=np.result_type(x, weight))
    for n in range(batch):                      # every image
        for o in range(out_channels):           # every filter
            for i in range(h_out):              # every window position: row ...
                for j in range(w_out):          # ... and column
                    top, left = i * stride, j * stride
                    window = xp[n, :, top:top + kh, left:left + kw]     # (in_channels, kh, kw)
                    out[n, o, i, j] = np.sum(window * weight[o])
            if bias is not None:
                out[n, o] += bias[o]
    return out


def _windows(x: np.ndarray, kh: int, kw: int, stride: int, padding: int) -> np.ndarray:
    """Every window of the padded ``x`` at once, without copying:
    ``(batch, channels, H, W)`` → ``(batch, channels, H_out, W_out, kh, kw)``."""
    return _windows_view(_pad(x, padding), (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, *,
           stride: int = 1, padding: int = 0) -> np.ndarray:
    """The same numbers as :func:`conv2d_reference`, vectorised.

    All windows are viewed at once (``sliding_window_view``, no copy), and one matrix product takes
    the weighted sum of every window with every filter (the "im2col" trick):
    ``out[n, o, i, j] = sum over c, a, b of windows[n, c, i, j, a, b] * weight[o, c, a, b]``.
    Shapes as in :func:`conv2d_reference`.
    """
    x, weight = np.asarray(x), np.asarray(weight)
    windows = _windows(x, *weight.shape[2:], stride, padding)     # (batch, in, H_out, W_out, kh, kw)
    out = np.tensordot(windows, weight, axes=([1, 4, 5], [1, 2, 3]))   # (batch, H_out, W_out, out)
    if bias is not None:
        out += bias
    return np.ascontiguousarray(out.transpose(0, 3, 1, 2))


def slide_filter(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` and take the weighted sum at every position ("valid" mode).

    The one-image, one-filter convolution: :func:`conv2d` with a batch of one image of one channel,
    stride 1 and no padding.

    Args:
        image: ``(H, W)`` numbers.
        kernel: ``(h, w)`` weights, at most as large as the image.

    Returns:
        ``(H - h + 1, W - w + 1)``, where entry ``[i, j]`` is
        ``(image[i:i + h, j:j + w] * kernel).sum()``.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"image and kernel must be 2-D, got shapes {image.shape} and {kernel.shape}.")
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"kernel {kernel.shape} is larger than the image {image.shape}.")
    return conv2d(image[None, None], kernel[None, None])[0, 0]


def edge_kernel(angle: float) -> np.ndarray:
    """A ``(3, 3)`` edge detector that responds where the ink grows in the direction ``angle``.

    ``angle`` is in degrees: 0 means "more ink to the right" (the left side of a stroke), 90 "more
    ink above" (the bottom side of a stroke), 180 "more ink to the left". The kernel is
    ``cos(angle) * right + sin(angle) * up`` with the Prewitt detectors
    ``right = [[-1, 0, 1]] * 3`` and ``up = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]``.
    """
    right = np.array([[-1.0, 0.0, 1.0]] * 3)
    up = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])
    radians = np.deg2rad(angle)
    kernel = np.cos(radians) * right + np.sin(radians) * up
    return np.round(kernel, 12) + 0.0   # exact zeros at multiples of 90 degrees, no "-0"


def _check_size(name: str, value, minimum: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}.")
    return int(value)


def _check_images(layer: Layer, x: np.ndarray, channels: int | None, kernel_size: int,
                  padding: int = 0) -> np.ndarray:
    """``x`` (already an array of floats) as ``(batch, channels, H, W)``, or an error that says how
    to get there."""
    wanted = f"(batch, {channels}, height, width)" if channels else "(batch, channels, height, width)"
    if x.ndim != 4:
        hint = ""
        side = int(round(np.sqrt(x.shape[-1] / (channels or 1)))) if x.ndim == 2 else 0
        if x.ndim == 2 and side > 0 and (channels or 1) * side * side == x.shape[1]:
            hint = (f" Rows of {x.shape[1]} pixels are images of {side}×{side}: reshape them to "
                    f"(batch, {channels or 1}, {side}, {side}) with "
                    f"x.reshape(-1, {channels or 1}, {side}, {side}).")
        elif x.ndim == 3 and channels is not None and x.shape[0] == channels:
            hint = f" For a single image, use x[np.newaxis] (shape (1, {', '.join(map(str, x.shape))}))."
        elif x.ndim == 3 and channels in (None, 1):
            hint = " For a batch of grey images (batch, height, width), use x[:, np.newaxis]."
        raise ValueError(f"{layer!r} expects images of shape {wanted} but got {x.shape}.{hint}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            f"{layer!r} expects {channels} channel(s) (axis 1 of {wanted}) but got {x.shape[1]} "
            f"in an input of shape {x.shape}."
        )
    if min(x.shape[2:]) + 2 * padding < kernel_size:
        raise ValueError(
            f"{layer!r}: the {x.shape[2]}×{x.shape[3]} images (padding {padding}) are smaller than "
            f"the {kernel_size}×{kernel_size} window; use a smaller kernel_size or more padding."
        )
    return x


class Conv2D(Layer):
    """A convolutional layer: ``out_channels`` filters of ``in_channels × k × k`` weights each.

    Shapes: ``x: (batch, in_channels, H, W)`` → ``(batch, out_channels, H_out, W_out)`` with
    ``H_out = (H + 2 * padding - k) // stride + 1``; ``weight: (out_channels, in_channels, k, k)``,
    ``bias: (out_channels,)``. Filter ``o`` slides over the image in steps of ``stride`` pixels,
    after ``padding`` rows and columns of zeros are added around it, and its weighted sums (plus
    ``bias[o]``) are feature map ``o``. The same as ``torch.nn.Conv2d`` (a cross-correlation).

    Args:
        init: ``"he"``, ``"xavier"`` or ``"normal"``, as for :class:`dlkit.Dense`, with one filter's
            ``in_channels * k * k`` weights as its inputs (and ``out_channels * k * k`` as outputs).
            Biases start at 0.
        rng: where the random weights come from (see :mod:`dlkit.rng`).
        dtype: ``np.float64`` (default) or ``np.float32``; inputs are converted to it.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, *, stride: int = 1,
                 padding: int = 0, init: str = "he", rng: RngLike = None, dtype=np.float64) -> None:
        self.in_channels = _check_size("in_channels", in_channels, 1)
        self.out_channels = _check_size("out_channels", out_channels, 1)
        self.kernel_size = _check_size("kernel_size", kernel_size, 1)
        self.stride = _check_size("stride", stride, 1)
        self.padding = _check_size("padding", padding, 0)
        if init not in Dense._INIT_STD:
            raise ValueError(f"Unknown init {init!r}; choose one of {sorted(Dense._INIT_STD)}.")
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Conv2D needs a floating-point dtype (float64 or float32), got {dtype}.")
        k = self.kernel_size
        std = Dense._INIT_STD[init](self.in_channels * k * k, self.out_channels * k * k)
        weight = as_generator(rng).normal(0.0, std, size=(self.out_channels, self.in_channels, k, k))
        self.weight = Parameter(weight.astype(dtype), name="weight")
        self.bias = Parameter(np.zeros(self.out_channels, dtype=dtype), name="bias")

    @property
    def dtype(self) -> np.dtype:
        """The dtype of the weights, the outputs and the gradients; inputs are converted to it."""
        return self.weight.data.dtype

    def _check_input(self, x) -> np.ndarray:
        """``x: (batch, in_channels, H, W)`` in the layer's dtype, or a clear error."""
        x = super()._check_input(x)                   # numbers, converted to the layer's dtype
        return _check_images(self, x, self.in_channels, self.kernel_size, self.padding)

    def compute(self, x: np.ndarray) -> np.ndarray:
        return conv2d(x, self.weight.data, self.bias.data, stride=self.stride, padding=self.padding)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``grad_out: (batch, out_channels, H_out, W_out)`` → dL/dx ``(batch, in_channels, H, W)``.

        Every output number is a weighted sum of one window, so:

        - the weight's gradient adds, over all windows, ``grad_out`` times the window it saw;
        - the bias's gradient is ``grad_out`` summed over batch and positions;
        - each input pixel gets ``grad_out`` times the weight it was multiplied by, summed over
          every window it was part of (computed as one shifted slice per weight position).
        """
        self.backward_parameters(grad_out)
        x, _ = self._saved()
        k, s, p = self.kernel_size, self.stride, self.padding
        # What every pixel of every window receives: (batch, H_out, W_out, in, k, k) ...
        grad_windows = np.tensordot(grad_out, self.weight.data, axes=(1, 0))
        # ... added back where the window came from: position (a, b) of window (i, j) is the padded
        # pixel (i * s + a, j * s + b).
        h_out, w_out = grad_out.shape[2:]
        grad_padded = np.zeros((x.shape[0], x.shape[1], x.shape[2] + 2 * p, x.shape[3] + 2 * p),
                               dtype=grad_out.dtype)
        for a in range(k):
            for b in range(k):
                grad_padded[:, :, a:a + s * h_out:s, b:b + s * w_out:s] += \
                    grad_windows[..., a, b].transpose(0, 3, 1, 2)
        return grad_padded[:, :, p:p + x.shape[2], p:p + x.shape[3]]

    def backward_parameters(self, grad_out: np.ndarray) -> None:
        """Only the weight's and the bias's gradients (a first layer's input is data, whose
        gradient nobody needs: :class:`dlkit.Sequential` then skips the input gradient's loop)."""
        x, _ = self._saved()
        windows = _windows(x, self.kernel_size, self.kernel_size, self.stride, self.padding)
        # dL/dweight[o, c, a, b] = sum over n, i, j of grad_out[n, o, i, j] * windows[n, c, i, j, a, b]
        self.weight.grad += np.tensordot(grad_out, windows, axes=([0, 2, 3], [0, 2, 3]))
        self.bias.grad += grad_out.sum(axis=(0, 2, 3))

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def __repr__(self) -> str:
        extra = "".join(f", {name}={value}" for name, value, default in
                        [("stride", self.stride, 1), ("padding", self.padding, 0)] if value != default)
        return (f"Conv2D({self.in_channels} → {self.out_channels}, "
                f"{self.kernel_size}×{self.kernel_size}{extra})")


class MaxPool2D(Layer):
    """Max pooling: keep the largest number of every ``k × k`` window of each feature map.

    Shapes: ``x: (batch, channels, H, W)`` → ``(batch, channels, H_out, W_out)`` with
    ``H_out = (H - k) // stride + 1``; ``stride`` defaults to ``kernel_size`` (windows side by side,
    no overlap, so a 2×2 pool halves height and width; leftover rows or columns are dropped, as in
    ``torch.nn.MaxPool2d``). No parameters.

    Gradient: each window passes ``grad_out`` to the position of its maximum, zero elsewhere (where
    windows overlap, a pixel collects the sum).
    """

    def __init__(self, kernel_size: int, stride: int | None = None) -> None:
        self.kernel_size = _check_size("kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else _check_size("stride", stride, 1)

    def _check_input(self, x) -> np.ndarray:
        """``x: (batch, channels, H, W)`` as floats, or a clear error."""
        return _check_images(self, super()._check_input(x), None, self.kernel_size)

    def _positions(self, x: np.ndarray) -> list[np.ndarray]:
        """For each of the ``k * k`` places (a, b) inside a window, the pixel at that place in every
        window: ``k * k`` arrays of shape ``(batch, channels, H_out, W_out)``."""
        k, s = self.kernel_size, self.stride
        h_out, w_out = output_size(x.shape[2], k, s), output_size(x.shape[3], k, s)
        return [x[:, :, a:a + s * h_out:s, b:b + s * w_out:s] for a in range(k) for b in range(k)]

    def compute(self, x: np.ndarray) -> np.ndarray:
        return np.max(self._positions(x), axis=0)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """``grad_out: (batch, channels, H_out, W_out)`` → dL/dx ``(batch, channels, H, W)``."""
        x, _ = self._saved()
        k, s = self.kernel_size, self.stride
        winner = np.argmax(self._positions(x), axis=0)       # the place of each window's maximum
        h_out, w_out = grad_out.shape[2:]
        grad_in = np.zeros_like(x, dtype=grad_out.dtype)
        for a in range(k):
            for b in range(k):
                grad_in[:, :, a:a + s * h_out:s, b:b + s * w_out:s] += grad_out * (winner == a * k + b)
        return grad_in

    def __repr__(self) -> str:
        stride = "" if self.stride == self.kernel_size else f", stride={self.stride}"
        return f"MaxPool2D({self.kernel_size}×{self.kernel_size}{stride})"


class Flatten(Layer):
    """Lay every example out as one row: ``(batch, d1, d2, ...)`` → ``(batch, d1 * d2 * ...)``.

    The bridge from feature maps to :class:`dlkit.Dense`: ``(batch, channels, H, W)`` becomes
    ``(batch, channels * H * W)``, channel by channel, row by row (as ``torch.nn.Flatten``).
    Gradient: the same numbers, reshaped back.
    """

    def _check_input(self, x) -> np.ndarray:
        x = super()._check_input(x)
        if x.ndim < 2:
            raise ValueError(
                f"Flatten expects a batch (batch, ...) of at least 2 dimensions, got shape {x.shape}. "
                "For a single example, use x[np.newaxis]."
            )
        return x

    def compute(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(len(x), -1)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        x, _ = self._saved()
        return grad_out.reshape(x.shape)
