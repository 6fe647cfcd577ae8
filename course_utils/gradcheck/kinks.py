"""Which entries' perturbations cross a ReLU kink: the rule |z| < eps |dz/dtheta|.

A step of +-eps in one parameter theta moves every hidden pre-activation z by about eps * dz/dtheta. For
theta = b_l[j] that is eps on column j of Z_l; for theta = W_l[i, j] it is eps * A_{l-1}[r, i] on example r,
so an input above 1 carries the step further than eps; and the change of Z_l moves the deeper layers'
pre-activations through their weights. The centered difference of theta straddles a kink when some z, on
some example, changes sign::

    crossed  <=>  |z| < eps |dz/dtheta|     (z > 0 crosses at |z| <= eps |dz/dtheta|)

``check_model`` detects a crossing by comparing sign patterns in every perturbed evaluation;
``kink_crossings`` predicts the same entries from one forward pass, by propagating dz/dtheta (a
forward-mode derivative) through the layers. The rule is exact, not only to first order: ReLU is piecewise
linear, so until some pre-activation changes sign, every z moves linearly with theta. No dropout.
"""

import numpy as np

from .. import activations, model

_CORNERED = ("relu", "leaky_relu")  # hidden activations with a kink at z = 0


def kink_crossings(params, X, epsilon, hidden_activation="relu"):
    """``{name: bool array of params[name]'s shape}``: True where a step of +-``epsilon`` in that entry moves a
    hidden pre-activation across 0, by the rule |z| < epsilon |dz/dtheta| (on any example of ``X``).

    For a ReLU-type net without dropout these are the entries ``check_model(..., epsilon)`` sets aside, its
    reports' ``arrays[name].kinked`` (up to rounding, for a z that lies exactly epsilon |dz/dtheta| from 0). The output layer's parameters move no hidden
    pre-activation: never crossed. An activation without a kink (tanh, sigmoid): nothing is crossed.
    """
    X = np.asarray(X, dtype=np.float64)
    _, caches = model.forward(params, X, hidden_activation)
    hidden = caches[:-1]
    crossed = {name: np.zeros(np.shape(value), bool) for name, value in params.items()}
    if hidden_activation not in _CORNERED:
        return crossed
    _, g_grad = activations.get(hidden_activation)
    slopes = [g_grad(c.Z) for c in hidden]
    for l, cache in enumerate(hidden, start=1):
        m, n = cache.Z.shape
        for j in range(n):  # the entries of column j of W_l, and b_l[j], move column j of Z_l
            for name, inputs in ((f"W{l}", cache.A_prev), (f"b{l}", np.ones((m, 1)))):
                T = np.zeros((inputs.shape[1], m, n))  # T[i] = dZ_l / d(entry i of this column), (m, n)
                T[:, :, j] = inputs.T
                hit = np.zeros(inputs.shape[1], bool)
                for k in range(l, len(hidden) + 1):  # layers k = l, l+1, ... down to the last hidden one
                    Z = hidden[k - 1].Z
                    step = epsilon * np.abs(T)
                    hit |= np.any(np.where(Z > 0, step >= Z, step > -Z), axis=(1, 2))
                    if k < len(hidden):
                        T = (T * slopes[k - 1]) @ params[f"W{k + 1}"]
                if name[0] == "W":
                    crossed[name][:, j] = hit
                else:
                    crossed[name][j] = hit[0]
    return crossed


__all__ = ["kink_crossings"]
