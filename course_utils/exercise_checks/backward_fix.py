"""The check of the Gradient_Checking notebook's bug hunt: the learner's fixed backward pass.

``my_backward(dZ3, caches, params) -> grads`` is the backward pass of a net with two ReLU hidden layers
and three weight layers (the notebook's ``buggy_backward`` with its bugs fixed): ``caches`` holds each
layer's ``(A_prev, Z, mask)`` as ``model.forward`` returns them (no dropout, so every mask is None),
``dZ3 = dJ/dZ3`` of shape (m, n3), and ``grads`` has the keys and shapes of ``params``::

    dW_l = A_{l-1}^T dZ_l      db_l = sum of the rows of dZ_l      dZ_{l-1} = (dZ_l W_l^T) * (Z_{l-1} > 0)

The check compares every array with ``model.backward`` on nets of several widths and batch sizes (odd
ones, so a transposed matrix has the wrong shape or the wrong numbers), and says which array is wrong, with
its shape or its relative error. It does not say how the array is wrong (transposed, off by a factor of m,
...): finding that is the bug hunt's point, done with a gradient check. A ``my_backward`` that hands the work
to ``model.backward`` is told to compute the gradients itself.
"""

import contextlib
import unittest.mock

import numpy as np

from .. import model
from .harness import call, exercise, fail, wrong_kind
from .probes import agree, copies, unchanged


def _course_my_backward(dZ3, caches, params):
    return model.backward(dZ3, caches, params, hidden_activation="relu")


def _case(seed, dims, m):
    """``(dZ3, caches, params)`` of a ReLU net ``dims`` on m random examples."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l - 1], dims[l])) * np.sqrt(2.0 / dims[l - 1])
        params[f"b{l}"] = 0.1 * rng.standard_normal(dims[l])
    _, caches = model.forward(params, rng.standard_normal((m, dims[0])), hidden_activation="relu")
    return rng.standard_normal((m, dims[-1])) / m, caches, params


@contextlib.contextmanager
def _calls_to_model_backward():
    """While inside, ``model.backward`` records that it was called (and still works): a list, empty if not called."""
    calls, original = [], model.backward

    def recording(*args, **kwargs):
        calls.append(True)
        return original(*args, **kwargs)

    with unittest.mock.patch.object(model, "backward", recording):
        yield calls


@exercise("my_backward", reference=_course_my_backward)
def check_my_backward(my_backward):
    """``my_backward(dZ3, caches, params) -> grads``: every gradient of the 3-layer ReLU net, as model.backward."""
    for seed, dims, m in [(0, [2, 8, 8, 3], 7), (1, [3, 5, 4, 2], 11), (2, [4, 6, 3, 5], 1)]:
        dZ3, caches, params = _case(seed, dims, m)
        before = copies(dZ3, params)
        with _calls_to_model_backward() as calls:
            grads = call(my_backward, "my_backward", dZ3, caches, {k: v for k, v in params.items()})
        if calls:
            fail("`my_backward` calls `model.backward`: the bug hunt asks you to fix `buggy_backward`'s own lines, "
                 "so compute each gradient yourself, as `buggy_backward` does.")
        unchanged("my_backward", "dZ3", before[0], dZ3)
        unchanged("my_backward", "params", before[1], params)
        if not isinstance(grads, dict):
            wrong_kind("my_backward", grads, "a dict of gradients with the keys of params")
        if sorted(grads) != sorted(params):
            fail(f"`my_backward` should return the keys {list(params)}; it returned {list(grads)}.")
        right = _course_my_backward(dZ3, caches, params)
        wrong = []
        for key in params:
            got = np.asarray(grads[key], dtype=np.float64)
            if got.shape != right[key].shape:
                wrong.append(f"{key} has shape {got.shape}, not {right[key].shape}.")
            elif not agree(got, right[key], 1e-9):
                error = np.linalg.norm(got - right[key]) / (np.linalg.norm(got) + np.linalg.norm(right[key]))
                wrong.append(f"{key} differs (relative error {error:.2g}).")
        if wrong:
            fail(f"For a net {dims} on m = {m} examples: " + " ".join(wrong))
    return "every gradient of the 3-layer ReLU net equals model.backward's, for several widths and batch sizes."
