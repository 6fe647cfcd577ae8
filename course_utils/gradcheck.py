"""Numerical gradients by centered differences, and the relative error used to compare them.

For f: R^n -> R, the centered difference along coordinate i is::

    df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

whose truncation error is O(eps^2), against O(eps) for the one-sided difference. Round-off
grows as eps shrinks (about 1e-16 / eps), so with eps = 1e-7 and float64 a correct backward pass
agrees to a relative error of about 1e-7 (up to ~1e-6 on badly scaled nets), while a bug gives
1e-3 or more. A larger eps such as 1e-5 gives cleaner numbers on smooth functions. Near a kink
(ReLU at z = 0) the numerical gradient is meaningless; keep the inputs away from it.
"""

import numpy as np


def numerical_gradient(f, x, epsilon=1e-7):
    """Centered-difference gradient of ``f`` at ``x``.

    Args:
        f: a function of one array (the shape of ``x``) returning a float.
        x: the point; it is perturbed in place and restored.
        epsilon: the step.
    Returns:
        An array with the shape of ``x``.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        # x is perturbed in place, so it must be an array; and a step of 1e-7 is below float32's resolution.
        raise TypeError(f"`x` must be a float64 array (it is perturbed in place by epsilon={epsilon}); "
                        f"received {type(x).__name__} of dtype {np.asarray(x).dtype}.")
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + epsilon
        f_plus = float(f(x))
        x[idx] = old - epsilon
        f_minus = float(f(x))
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2.0 * epsilon)
    return grad


def numerical_gradients(loss_fn, params, epsilon=1e-7):
    """Numerical gradients of ``loss_fn()`` with respect to every array of the dict ``params``.

    ``loss_fn`` takes no argument and reads ``params`` (which are perturbed in place and restored).
    Returns a dict with the keys and shapes of ``params``.
    """
    return {name: numerical_gradient(lambda _: loss_fn(), value, epsilon) for name, value in params.items()}


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
