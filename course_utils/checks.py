"""The exercise checks the notebooks call: ``checks.check_<name>(learner_function)``. Only a facade.

The checks live in ``exercise_checks``, one or two modules per notebook; this module re-exports them so
that a notebook needs one import::

    from course_utils import checks
    checks.check_he_initialization(initialize_he)
"""

from .exercise_checks.backward_fix import check_my_backward
from .exercise_checks.gradient_check_nd import check_gradient_check
from .exercise_checks.gradient_checking import check_gradient_check_1d, check_params_vector
from .exercise_checks.harness import ExerciseError
from .exercise_checks.initialization import (check_he_initialization, check_random_initialization,
                                             check_xavier_initialization, check_zeros_initialization)
from .exercise_checks.optimization import check_random_mini_batches, check_step_decay
from .exercise_checks.optimizer_updates import check_adam_update, check_momentum_update, check_rmsprop_update
from .exercise_checks.regularization import (check_dropout_backward, check_dropout_forward, check_l2_backward,
                                             check_l2_cost)
from .exercise_checks.tensorflow_intro import (check_forward_pass, check_linear_function, check_loss_from_logits,
                                               check_one_hot)

__all__ = ["ExerciseError", "check_zeros_initialization", "check_random_initialization", "check_he_initialization",
           "check_xavier_initialization", "check_random_mini_batches", "check_momentum_update",
           "check_rmsprop_update", "check_adam_update", "check_step_decay", "check_l2_cost", "check_l2_backward",
           "check_dropout_forward", "check_dropout_backward", "check_gradient_check_1d", "check_params_vector",
           "check_gradient_check", "check_my_backward",
           "check_linear_function", "check_one_hot", "check_loss_from_logits",
           "check_forward_pass"]
