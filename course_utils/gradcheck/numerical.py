"""Numerical gradients by finite differences, the relative error used to compare them, params <-> vector.

For f: R^n -> R, the centered difference along coordinate i is::

    df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)   error  eps^2 f''' / 6 + u (|f| + |x f'|) / eps

against ``(f(x + eps e_i) - f(x)) / eps`` for the one-sided difference (error eps f'' / 2 + 2 u |f| / eps plus
the same step-rounding term), where u ~ 1.1e-16 is float64's rounding unit: u |f| / eps from rounding f's values,
u |x f'| / eps from rounding x + eps (the step actually taken differs from eps by about u |x|). The truncation term
shrinks with eps and the rounding terms grow, so the total error is U-shaped in eps: for centered differences in
float64 it is smallest near eps ~ u^(1/3) ~ 1e-5 for parameters of order 1, which is why the
model checks default to ``epsilon=1e-5``; ``numerical_gradient(s)`` keep the course's documented default
of 1e-7 (a public signature). That step suits a smooth float64 loss whose gradient is not small; on a trained
net, whose gradients are small, rounding at 1e-7 can exceed the 1e-7 threshold on a correct gradient, so pass a
step (the Gradient_Checking lesson uses 1e-6). Near a kink
(ReLU at z = 0) the difference quotient is meaningless; ``model_check`` detects that case.

This is the bottom layer of the gradient checker: it imports nothing else of the package.
"""

import numbers

import numpy as np


def _check_epsilon(epsilon):
    if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real):
        raise TypeError(f"`epsilon` must be a number; received {epsilon!r}.")
    if not (np.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"`epsilon` must be a finite number > 0 (the finite-difference step, e.g. 1e-5); "
                         f"received epsilon={epsilon!r}.")
    return float(epsilon)


def scalar_value(value, name="f"):
    """``value`` as a Python float, or a clear error if ``name`` did not return one finite scalar."""
    if np.ndim(value) != 0:
        raise ValueError(f"`{name}` must return a scalar (the loss, e.g. a mean over examples); received an "
                         f"array of shape {np.shape(value)}.")
    try:
        value = float(value)
    except (TypeError, ValueError) as err:
        raise TypeError(f"`{name}` must return a number; received {type(value).__name__}.") from err
    if not np.isfinite(value):
        raise ValueError(f"`{name}` returned {value}; a gradient check needs a finite loss.")
    return value


def numerical_gradient(f, x, epsilon=1e-7):
    """Centered-difference gradient of ``f`` at ``x``: 2 x.size evaluations of ``f``.

    Args:
        f: a function of one array (the shape of ``x``) returning a scalar.
        x: the point, a float64 array; it is perturbed in place (so ``f`` may also read it from
            elsewhere) and restored exactly, even if ``f`` raises.
        epsilon: the step, > 0 (1e-5 is near the best centered step in float64 for x of order 1).
    Returns:
        An array with the shape of ``x``.
    """
    epsilon = _check_epsilon(epsilon)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        # x is perturbed in place, so it must be an array; and a step of 1e-7 is below float32's resolution.
        raise TypeError(f"`x` must be a float64 array (it is perturbed in place by epsilon={epsilon}); "
                        f"received {type(x).__name__} of dtype {np.asarray(x).dtype}.")
    if not np.isfinite(x).all():
        n_bad = int(x.size - np.isfinite(x).sum())
        raise ValueError(f"`x` must be finite; received {n_bad} NaN or inf value(s).")
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        if old + epsilon == old:
            raise ValueError(f"`epsilon`={epsilon!r} is below the float64 resolution of x{list(idx)}={float(old)!r}: "
                             f"x + epsilon == x. Use a larger epsilon.")
        try:
            x[idx] = old + epsilon
            f_plus = scalar_value(f(x))
            x[idx] = old - epsilon
            f_minus = scalar_value(f(x))
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2.0 * epsilon)
    return grad


def numerical_gradients(loss_fn, params, epsilon=1e-7):
    """Numerical gradients of ``loss_fn()`` with respect to every array of the dict ``params``.

    ``loss_fn`` takes no argument and reads ``params`` (which are perturbed in place and restored).
    Returns a dict with the keys and shapes of ``params``.
    """
    return {name: numerical_gradient(lambda _: loss_fn(), value, epsilon) for name, value in params.items()}


def difference_quotient(f, theta, epsilon, kind="centered"):
    """The derivative of a function of one number, estimated in the precision of ``theta``.

    ``kind="forward"``: (f(theta + eps) - f(theta)) / eps, error O(eps).
    ``kind="centered"``: (f(theta + eps) - f(theta - eps)) / (2 eps), error O(eps^2).
    ``theta`` and ``epsilon`` are cast to ``theta``'s dtype (a NumPy float32 stays float32), so
    rounding happens where it would in that precision.
    """
    dtype = np.asarray(theta).dtype if isinstance(theta, np.floating) else np.dtype(np.float64)
    theta, eps = dtype.type(theta), dtype.type(_check_epsilon(epsilon))
    if kind == "forward":
        return (f(theta + eps) - f(theta)) / eps
    if kind == "centered":
        return (f(theta + eps) - f(theta - eps)) / (dtype.type(2) * eps)
    raise ValueError(f"Unknown kind {kind!r}; expected one of ['centered', 'forward'].")


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||): about 1e-7 or less for a correct gradient, 0 when both are 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"`a` and `b` must have the same shape; received {a.shape} and {b.shape}.")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


def _check_params(params, name="params"):
    if not isinstance(params, dict) or not params:
        raise TypeError(f"`{name}` must be a non-empty dict of arrays such as {{'W1': ..., 'b1': ...}}; "
                        f"received {type(params).__name__}.")


def params_to_vector(params):
    """Concatenate the arrays of ``params`` (in the dict's key order, each raveled row-major) into one vector.

    ``{"W1": (2, 3), "b1": (3,)}`` gives a float64 vector of shape (9,): W1's 6 entries, then b1's 3.
    """
    _check_params(params)
    return np.concatenate([np.asarray(value, dtype=np.float64).ravel() for value in params.values()])


def vector_to_params(vector, like):
    """The inverse of ``params_to_vector``: split ``vector`` into a new dict with the keys and shapes of ``like``."""
    _check_params(like, "like")
    vector = np.asarray(vector, dtype=np.float64)
    sizes = [np.size(value) for value in like.values()]
    if vector.ndim != 1 or vector.size != sum(sizes):
        raise ValueError(f"`vector` must have shape ({sum(sizes)},), the total size of `like`; "
                         f"received shape {vector.shape}.")
    pieces = np.split(vector, np.cumsum(sizes)[:-1])
    return {key: piece.reshape(np.shape(value)).copy() for (key, value), piece in zip(like.items(), pieces)}

__all__ = ["numerical_gradient", "numerical_gradients", "difference_quotient", "relative_error",
           "params_to_vector", "vector_to_params", "scalar_value"]
