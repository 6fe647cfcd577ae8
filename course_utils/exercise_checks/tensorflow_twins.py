"""NumPy twins of the Tensorflow_introduction exercises: the values and gradients the TensorFlow checks expect.

Kept apart from ``tensorflow_intro`` (the only checks module that imports TensorFlow) so that the
expected numbers come from plain NumPy, with the variations of the usual mistakes.
"""

import numpy as np


def log_softmax(logits):
    """log softmax of each row, shifted by the row's maximum (finite for any logits)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def network(X, params, hidden=lambda z: np.maximum(z, 0), output=lambda z: z, skip=(), bias_after=False):
    """The three-layer net's logits: ``hidden`` after layers 1 and 2, ``output`` after 3; ``skip`` leaves out
    biases, ``bias_after`` adds each bias after the activation instead of before."""
    A = X
    for l in (1, 2, 3):
        b = 0 if f"b{l}" in skip else params[f"b{l}"]
        Z = A @ params[f"W{l}"] + (0 if bias_after else b)
        A = (hidden(Z) if l < 3 else output(Z)) + (b if bias_after else 0)
    return A


def network_gradients(X, params, C):
    """The gradients of sum(logits * C) with respect to every array of ``params`` (ReLU, ReLU, linear)."""
    A, caches = X, []
    for l in (1, 2):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        caches.append((A, Z))
        A = np.maximum(Z, 0)
    grads, dA = {"W3": A.T @ C, "b3": C.sum(axis=0)}, C @ params["W3"].T
    for l in (2, 1):
        A_prev, Z = caches[l - 1]
        dZ = dA * (Z > 0)
        grads[f"W{l}"], grads[f"b{l}"] = A_prev.T @ dZ, dZ.sum(axis=0)
        dA = dZ @ params[f"W{l}"].T
    return grads
