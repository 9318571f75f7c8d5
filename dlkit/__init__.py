"""dlkit: the small numpy deep-learning package of the course "Deep Learning, Simply".

Read it next to the book: one idea per module.

- :mod:`dlkit.neuron` — one artificial neuron;
- :mod:`dlkit.activations` — activation functions as formulas;
- :mod:`dlkit.parameter` — Parameter, a learnable array and its (accumulating) gradient;
- :mod:`dlkit.layers` — Dense and activation layers, each with forward and backward;
- :mod:`dlkit.conv` — convolution (the loops, then the fast version) and Conv2D, MaxPool2D, Flatten;
- :mod:`dlkit.dropout` — Dropout, switching random outputs off while training;
- :mod:`dlkit.network` — Sequential, a stack of layers, and ``make_mlp``;
- :mod:`dlkit.losses` — how wrong the predictions were;
- :mod:`dlkit.optim` — SGD, RMSProp, Adam, AdamW;
- :mod:`dlkit.descent` — ``gradient_descent_path``, SGD's steps on a function of a few numbers;
- :mod:`dlkit.train` — the training loop (``fit``) and ``accuracy``;
- :mod:`dlkit.gradcheck` — backprop checked against finite differences;
- :mod:`dlkit.autograd` — ``Value``, a number that records its computation and backpropagates;
- :mod:`dlkit.diagnostics` — every layer's outputs for a batch, and their statistics;
- :mod:`dlkit.data` — toy 2-D problems and real handwritten digits;
- :mod:`dlkit.features` — hand-made features of a digit image, and digits moved about a canvas;
- :mod:`dlkit.rng` — randomness in one place: ``seed`` and the ``rng=`` argument;
- :mod:`dlkit.plots` — the chapters' figures, a package with one module per kind of figure;
- :mod:`dlkit.widgets` — the chapters' sliders, a package with one module per widget;
- :mod:`dlkit.animations` — the chapters' animations, which play on the static page (no kernel);
- :mod:`dlkit.quiz` — the chapters' self-check quizzes (shown with jupyterquiz);
- :mod:`dlkit.exercises` — checks for the exercise cells.

Plots, widgets, animations and quizzes are kept out of the numeric core, which needs only numpy.
"""

from dlkit import conv, data
from dlkit.conv import Conv2D, Flatten, MaxPool2D
from dlkit.dropout import Dropout
from dlkit.gradcheck import check_gradients, gradient_errors
from dlkit.layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss
from dlkit.network import Sequential
from dlkit.neuron import Neuron
from dlkit.optim import SGD, Adam, AdamW, RMSProp
from dlkit.parameter import Parameter
from dlkit.rng import seed
from dlkit.train import History, accuracy, fit

__all__ = [
    "Adam", "AdamW", "BinaryCrossEntropy", "Conv2D", "CrossEntropyLoss", "Dense", "Dropout",
    "Flatten", "History", "Identity", "LeakyReLU", "MSELoss", "MaxPool2D", "Neuron", "Parameter",
    "RMSProp", "ReLU", "SGD", "Sequential", "Sigmoid", "Softmax", "Step", "Tanh", "accuracy",
    "check_gradients", "conv", "data", "fit", "gradient_errors", "seed",
]
__version__ = "0.1.0"
