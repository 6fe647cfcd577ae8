"""Activation functions, each with its derivative right below it.

Every function is elementwise on an array ``z`` of any shape (``softmax`` works along
``axis``), and every one is numerically stable: no overflow and no RuntimeWarning at
``|z| = 1e4``.

Each derivative takes the *pre-activation* ``z`` and returns ``g'(z)`` with the shape of ``z``.

A float32 ``z`` gives float32 results (float64 gives float64, as do integers): nothing is upcast.
"""

import numpy as np

from ._validation import check_choice

LEAKY_RELU_SLOPE = 0.01  # slope for z < 0; small enough to act like ReLU, non-zero so no unit dies (Keras defaults to 0.3)


def _as_float(z):
    """``z`` as an array of its own float dtype (float32 stays float32), or float64 if it is not a float."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^{-z}).

    Computed with e^{-|z|}, which never overflows: for z >= 0 it is 1 / (1 + e^{-z}), and for
    z < 0 the same value written as e^{z} / (1 + e^{z}).
    """
    z = _as_float(z)
    e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    """sigma'(z) = sigma(z) (1 - sigma(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}) = 2 sigma(2z) - 1 (NumPy's is stable)."""
    return np.tanh(_as_float(z))


def tanh_grad(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    t = np.tanh(_as_float(z))
    return 1 - t * t


def relu(z):
    """relu(z) = max(0, z)."""
    return np.maximum(_as_float(z), 0)


def relu_grad(z):
    """relu'(z) = 1 for z > 0, else 0 (the subgradient at 0 is taken to be 0, as Keras and TF do)."""
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, alpha=LEAKY_RELU_SLOPE):
    """leaky_relu(z) = z for z > 0, alpha * z otherwise."""
    z = _as_float(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=LEAKY_RELU_SLOPE):
    """leaky_relu'(z) = 1 for z > 0, alpha otherwise."""
    z = _as_float(z)
    one, slope = z.dtype.type(1), z.dtype.type(alpha)  # scalars of z's dtype: a float32 z stays float32
    return np.where(z > 0, one, slope)


def softmax(z, axis=-1):
    """softmax(z)_k = e^{z_k} / sum_j e^{z_j}, along ``axis``.

    Subtracting max_j z_j first leaves the result unchanged and keeps every exponent <= 0.
    The derivative is a Jacobian, diag(s) - s s^T; in practice it is always fused with the
    cross-entropy loss (see ``losses.softmax_cross_entropy_grad``).
    """
    z = _as_float(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log softmax(z)_k = z_k - logsumexp(z), computed without forming softmax (stable for any z)."""
    z = _as_float(z)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


#: name -> (g, g'); the hidden activations a model can use.
HIDDEN_ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "tanh": (tanh, tanh_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
}


def get(name):
    """Return ``(g, g_grad)`` for a hidden activation name such as ``"relu"``."""
    check_choice(name, "activation", HIDDEN_ACTIVATIONS)
    return HIDDEN_ACTIVATIONS[name]
