"""The TensorFlow exercises run inside graphs in the notebook: ``one_hot_matrix`` inside ``Dataset.map``,
``forward_pass`` and ``loss_from_logits`` inside a ``tf.function`` training step. A function that works when
called directly can still fail there (a ``.numpy()`` call, NumPy on a symbolic tensor, a Python ``if`` on a
tensor), so each check also runs the learner's function through ``tf.function``, as the notebook will.

``tf`` is passed in: this module imports no TensorFlow itself.
"""

import numpy as np

from .harness import error_text, fail
from .probes import agree


def same_in_a_graph(tf, fn, name, args, expected, rtol, where):
    """Fail unless ``tf.function(fn)(*args)`` runs and gives ``expected`` (a NumPy array), as ``where`` will call it."""
    try:
        result = tf.function(fn)(*args)
    except Exception as error:  # the learner's code, traced
        fail(f"`{name}` works when called directly, but fails inside a tf.function, which is how {where} calls it: "
             f"{error_text(error)}. Use TensorFlow operations only: no .numpy(), no NumPy functions on tensors, "
             f"no Python `if` on a tensor's value.")
    value = np.asarray(result)
    if value.shape != np.shape(expected) or not agree(value, expected, rtol):
        fail(f"`{name}` gives another result inside a tf.function ({where} calls it that way) than when called "
             f"directly: its Python code must not depend on tensor values or on side effects.")
