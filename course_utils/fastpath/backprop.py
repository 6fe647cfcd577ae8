"""The training step of ``model.MLP``, fused for speed: ``model.forward`` + loss + ``model.backward`` in one pass.

``model.forward`` and ``model.backward`` are the readable version, the one the notebooks teach and the
gradient checks test. This module computes the same cost and gradients (tests/test_fastpath_backprop.py
checks it against them, to 1e-10 in float64) with fewer NumPy calls and temporaries, which is what
matters on small nets, where each call's fixed cost of about a microsecond outweighs its arithmetic:

* the gradients are written with ``out=`` straight into one flat buffer (a ``packing.PackedArrays``
  laid out like ``params``), which an optimizer then updates with one NumPy call per operation;
* ``Z_l = A_{l-1} @ W_l`` then ``Z_l += b_l`` in place, ``dA *= g'(Z)`` in place; ReLU overwrites Z
  with A = max(Z, 0) (A > 0 exactly where Z > 0), and relu'(Z) is multiplied in as the boolean mask
  ``A > 0``;
* the labels are checked once, by the caller, and for one sigmoid unit ``dz = (expit(z) - y) / m``
  uses SciPy's stable ``expit``.

Only the losses change the order of the arithmetic, so the two versions differ by rounding only. The
bias gradient stays NumPy's ``dZ.sum(axis=0)``: the product ``1^T dZ`` (one BLAS call) is faster on small
arrays (1.0 against 4.1 microseconds on a (300, 5) float64 array), but it sums in another order, and the
Initialization notebook's zero-init nets keep their output bias at exactly 0 only with NumPy's order (their
gradient is a sum of +-1/600). Dropout draws its masks with ``regularization.dropout_mask`` in the same
order as ``model.forward``, so a net draws the same masks on either path. Every array keeps the dtype of
``params`` and ``X``.

(Writing the bias as one more row of W, with a column of ones appended to A, would fold the bias into the
products, but makes each activation a strided write; on the [2, 10, 5, 1] net it was no faster.)
"""

import numpy as np
from scipy.special import expit

from .. import activations, regularization
from .packing import PackedArrays


def loss_and_grads(params, X, y, hidden_activation="relu", keep_prob=1.0, rng=None, l2=0.0, out=None):
    """The training cost J and its gradients, as ``model.MLP.loss_and_grads`` defines them.

    Args:
        params: ``{"W1": (n_0, n_1), "b1": (n_1,), ...}``, a ``PackedArrays`` (as an ``MLP`` keeps them)
            or a plain dict.
        X: (m, n_0) inputs, already checked, in the dtype of ``params``.
        y: (m,) int64 labels, already checked: {0, 1} for one output unit, 0..K-1 for K units.
        hidden_activation, keep_prob, rng, l2: as for ``model.forward`` and ``model.backward``.
        out: where to write the gradients: a ``PackedArrays`` laid out like ``params`` (the grads of an
            earlier call, which a training loop reuses), or None for a new one.
    Returns:
        ``(loss, grads)``: a float (L2 penalty included) and gradients with the keys, shapes and dtype
        of ``params`` (a ``PackedArrays`` of the same layout when ``params`` is one); ``grads`` is ``out``
        when it is given.
    """
    relu = hidden_activation == "relu"
    g, g_grad = (None, None) if relu else activations.get(hidden_activation)  # ReLU is written out below
    L = len(params) // 2
    m = X.shape[0]
    inputs, pre_activations, masks = [], [], []  # A_{l-1} and Z_l of every layer, D_l of the hidden ones
    A = X
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"]
        Z += params[f"b{l}"]
        inputs.append(A)
        pre_activations.append(Z)
        if l == L:
            break
        A = np.maximum(Z, 0, out=Z) if relu else g(Z)  # ReLU in place: Z > 0 exactly where A > 0
        if keep_prob < 1.0:
            mask = regularization.dropout_mask(Z.shape, keep_prob, rng)
            A *= mask
            A /= keep_prob  # the same rounding as A * mask / keep_prob
            masks.append(mask)
    loss, dZ = _sigmoid_loss_and_grad(Z, y) if Z.shape[1] == 1 else _softmax_loss_and_grad(Z, y)

    if out is not None:
        grads = out
    elif isinstance(params, PackedArrays):
        grads = PackedArrays.empty_like(params)
    else:
        grads = {key: np.empty_like(value) for key, value in params.items()}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        np.matmul(inputs[l - 1].T, dZ, out=grads[f"W{l}"])  # dW_l = A_{l-1}^T dZ_l
        if l2:
            grads[f"W{l}"] += regularization.l2_gradient(W, l2, m)
        np.add.reduce(dZ, axis=0, out=grads[f"b{l}"])  # db_l = dZ_l.sum(axis=0), the column sums
        if l > 1:
            dZ = dZ @ W.T  # dA_{l-1}, (m, n_{l-1})
            if keep_prob < 1.0:
                dZ *= masks[l - 2]
                dZ /= keep_prob
            if relu:
                dZ *= pre_activations[l - 2] > 0  # relu'(Z) as booleans; for ReLU this array holds A, > 0 where Z is
            else:
                dZ *= g_grad(pre_activations[l - 2])  # dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})
    if l2:
        loss += regularization.l2_penalty(params, l2, m)
    return loss, grads


def _sigmoid_loss_and_grad(Z, y):
    """Mean binary cross-entropy of logits Z (m, 1) and labels y (m,), and dJ/dZ = (sigma(Z) - y) / m."""
    m = Z.shape[0]
    z, y = Z[:, 0], y.astype(Z.dtype)
    e = np.exp(-np.abs(z))
    loss = (np.maximum(z, 0) - z * y + np.log1p(e)).sum() / m  # softplus(z) - z y, summed row by row: stable
    dz = expit(z)
    dz -= y
    dz /= m
    return float(loss), dz[:, None]


def _softmax_loss_and_grad(Z, y):
    """Mean softmax cross-entropy of logits Z (m, K) and labels y (m,), and dJ/dZ = (softmax(Z) - onehot(y)) / m."""
    m, K = Z.shape
    true_class = np.arange(0, m * K, K) + y  # where Z[i, y_i] lies in Z.ravel(): 1-D indexing is the cheaper kind
    shifted = Z - np.maximum.reduce(Z, axis=1, keepdims=True)  # every exponent <= 0
    P = np.exp(shifted)
    sums = np.add.reduce(P, axis=1, keepdims=True)  # >= 1
    loss = (np.log(sums).sum() - shifted.ravel()[true_class].sum()) / m  # log sum_k e^{z_k} - z_y, averaged
    P /= sums
    P.ravel()[true_class] -= 1
    P /= m
    return float(loss), P
