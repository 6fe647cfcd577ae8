"""Cross-entropy losses and their gradients, computed from logits so they never take log(0).

Shapes: ``m`` examples, ``K`` classes. Labels ``y`` are integers of shape ``(m,)``.

Binary (sigmoid output), with logit ``z`` and ``p = sigma(z)``::

    L = -(1/m) sum_i [ y_i log p_i + (1 - y_i) log(1 - p_i) ]
      =  (1/m) sum_i [ max(z_i, 0) - z_i y_i + log(1 + e^{-|z_i|}) ]      (stable form)
    dL/dz_i = (p_i - y_i) / m

Softmax (K outputs), with logits ``Z`` of shape ``(m, K)``::

    L = -(1/m) sum_i log softmax(Z_i)_{y_i} = (1/m) sum_i [ logsumexp(Z_i) - Z_{i, y_i} ]
    dL/dZ = (softmax(Z) - onehot(y)) / m

The ``*_from_probs`` versions take probabilities instead, for code that already has them;
they clip to ``[eps, 1 - eps]``, like Keras, so ``p = 0`` or ``p = 1`` gives a large finite loss.

Gradients keep the logits' float dtype (float32 logits give a float32 gradient); losses are Python floats.
"""

import numpy as np

from ._validation import as_labels
from .activations import _as_float, log_softmax

PROB_EPSILON = 1e-7  # the clip used for probabilities; Keras's backend epsilon


def _labels_like(y, m, n_classes):
    """``y`` as int64 labels of shape (m,) in [0, n_classes), or a ValueError naming `y`."""
    return as_labels(y, "y", m, n_classes)


def _binary_logits(z):
    z = _as_float(z)
    if z.ndim == 2 and z.shape[1] == 1:
        return z[:, 0]
    if z.ndim != 1:
        raise ValueError(f"`logits` must have shape (m,) or (m, 1) for a binary loss; received shape {z.shape}.")
    return z


def _softmax_logits(Z):
    Z = _as_float(Z)
    if Z.ndim != 2:
        raise ValueError(f"`logits` must have shape (m, K); received shape {Z.shape}.")
    return Z


def sigmoid_cross_entropy_with_grad(logits, y):
    """Mean binary cross-entropy of labels ``y`` in {0, 1} given logits of shape (m,) or (m, 1), and dL/dz.

    Returns ``(loss, grad)``; ``grad = (sigma(z) - y) / m`` has the shape and dtype of ``logits``.
    """
    logits = _as_float(logits)
    z = _binary_logits(logits)
    y = _labels_like(y, z.shape[0], 2).astype(z.dtype)  # labels in z's dtype: a float32 z stays float32
    m = z.shape[0]
    e = np.exp(-np.abs(z))  # shared by the loss and by sigma(z)
    loss = float((np.maximum(z, 0) - z * y + np.log1p(e)).sum() / m)
    p = np.where(z >= 0, 1, e) / (1 + e)  # sigma(z), stable form
    return loss, ((p - y) / m).reshape(logits.shape)


def softmax_cross_entropy_with_grad(logits, y):
    """Mean softmax cross-entropy of labels ``y`` in [0, K) given logits of shape (m, K), and dL/dZ.

    Returns ``(loss, grad)``; ``grad = (softmax(Z) - onehot(y)) / m`` has the shape and dtype of ``logits``.
    """
    Z = _softmax_logits(logits)
    y = _labels_like(y, Z.shape[0], Z.shape[1])
    m = Z.shape[0]
    rows = np.arange(m)
    log_p = log_softmax(Z)
    loss = float(-log_p[rows, y].sum() / m)
    dZ = np.exp(log_p)  # softmax(Z)
    dZ[rows, y] -= 1
    return loss, dZ / m


def sigmoid_cross_entropy(logits, y):
    """The loss of ``sigmoid_cross_entropy_with_grad``."""
    return sigmoid_cross_entropy_with_grad(logits, y)[0]


def sigmoid_cross_entropy_grad(logits, y):
    """dL/dz = (sigma(z) - y) / m, with the shape of ``logits``."""
    return sigmoid_cross_entropy_with_grad(logits, y)[1]


def softmax_cross_entropy(logits, y):
    """The loss of ``softmax_cross_entropy_with_grad``."""
    return softmax_cross_entropy_with_grad(logits, y)[0]


def softmax_cross_entropy_grad(logits, y):
    """dL/dZ = (softmax(Z) - onehot(y)) / m, shape (m, K)."""
    return softmax_cross_entropy_with_grad(logits, y)[1]


def _probabilities(p, name):
    p = np.asarray(p, dtype=np.float64)
    outside = p[~((p >= 0.0) & (p <= 1.0))]  # NaN counts as outside
    if outside.size:
        raise ValueError(f"`{name}` must hold probabilities in [0, 1]; received {outside.size} value(s) "
                         f"outside it, such as {float(outside[0])}.")
    return p


def binary_cross_entropy_from_probs(p, y, eps=PROB_EPSILON):
    """Mean binary cross-entropy from probabilities p of shape (m,), clipped to [eps, 1 - eps]."""
    p = np.clip(_probabilities(p, "p").reshape(-1), eps, 1.0 - eps)
    y = _labels_like(y, p.shape[0], 2)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def categorical_cross_entropy_from_probs(P, y, eps=PROB_EPSILON):
    """Mean cross-entropy from class probabilities P of shape (m, K), clipped to [eps, 1]."""
    P = _probabilities(P, "P")
    if P.ndim != 2:
        raise ValueError(f"`P` must have shape (m, K); received shape {P.shape}.")
    y = _labels_like(y, P.shape[0], P.shape[1])
    return float(-np.mean(np.log(np.clip(P[np.arange(P.shape[0]), y], eps, 1.0))))
