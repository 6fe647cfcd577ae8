"""Gradient checking: is a backward pass right? The facade of the checker; it only re-exports.

The checker is layered, each module importing only the ones above it in this list:

* ``numerical``: finite differences, the relative error, params <-> vector (imports nothing else here);
* ``report``: ``ArrayCheck`` and ``GradcheckReport``, the per-array verdicts and their table;
* ``batched``: the losses of many perturbed copies of a ``model.MLP`` from one cached forward pass;
* ``kinks``: ``kink_crossings``, which entries' steps cross a ReLU kink, by the rule |z| < eps |dz/dtheta|;
* ``model_check``: ``check_model``, ``check_gradients`` and ``directional_check``, built on the three.

Notebooks use ``from course_utils import gradcheck`` and the names below.
"""

from .kinks import kink_crossings
from .model_check import check_gradients, check_model, directional_check
from .numerical import (difference_quotient, numerical_gradient, numerical_gradients, params_to_vector,
                        relative_error, scalar_value, vector_to_params)
from .report import THRESHOLD, WRONG, ArrayCheck, GradcheckReport, format_error

__all__ = ["numerical_gradient", "numerical_gradients", "difference_quotient", "relative_error",
           "params_to_vector", "vector_to_params", "scalar_value", "THRESHOLD", "WRONG",
           "ArrayCheck", "GradcheckReport", "format_error", "check_gradients", "check_model", "directional_check",
           "kink_crossings"]
