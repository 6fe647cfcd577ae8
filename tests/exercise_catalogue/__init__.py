"""A catalogue of learner implementations of the course's 20 exercises, written from the exercise specs alone.

Each notebook has a module (``initialization``, ``optimization``, ``regularization``,
``gradient_checking``, ``tensorflow``) exposing two lists of ``Case``:

* ``CORRECT``: implementations that meet the spec, in styles other than the notebook's solution.
  ``checks.<check>(*fns)`` must accept every one (it may return anything; it must not raise).
* ``WRONG``: implementations learners really write. ``checks.<check>(*fns)`` must raise
  ``checks.ExerciseError`` whose message matches ``message`` (a case-insensitive regex naming the
  property ``prop`` that the implementation breaks).

The catalogue is tested on its own in ``tests/test_exercise_catalogue.py``: ``reference.py`` judges
every case against the package's reference implementations, without the checks.
"""
from dataclasses import dataclass
from typing import Any, Callable, Tuple, Union

#: The property families every catalogue must cover (a WRONG case's ``prop`` starts with one of them).
PROPERTIES = (
    "uses rng",              # draws from the generator it is given, nothing else
    "every layer",           # all layers, not only the first
    "epsilon",               # epsilon present, where the spec puts it, the given value
    "sign",                  # sign of an error or of a step
    "argument",              # "argument: <name>": the argument is honoured, not hard-coded
    "inputs left alone",     # the caller's arrays are not modified
    "depth",                 # classes come from `depth`, not from the data
    "numerical stability",   # finite where the naive formula overflows
    "differentiable",        # TensorFlow can differentiate the result
    "runs in a graph",       # works inside tf.function / Dataset.map, as the notebook calls it
    "value",                 # "value: <quantity>": a wrong number (off-by-one, missing factor, ...)
    "wrong kind",            # the wrong kind of result (tuple, list, None, ...)
    "learner error",         # the learner's code raises: the check must report it, not crash
)


@dataclass(frozen=True)
class Case:
    """One learner implementation: ``checks.<check>(*fns, *args)`` must accept it (``prop`` empty) or reject it."""

    check: str                                  # the name of the check in course_utils.checks
    name: str                                   # unique within the catalogue
    fn: Union[Callable, Tuple[Callable, ...]]   # the learner's function (a tuple for check_params_vector)
    prop: str = ""                              # WRONG only: the property broken, starting with one of PROPERTIES
    message: str = ""                           # WRONG only: regex the check's message must match (re.I)
    args: Tuple[Any, ...] = ()                  # extra positional arguments for the check (none so far)
    needs_tf: bool = False                      # skipped when TensorFlow is not importable

    @property
    def fns(self):
        return self.fn if isinstance(self.fn, tuple) else (self.fn,)

    @property
    def notebook(self):
        return NOTEBOOK_OF_CHECK[self.check]


#: Exercise (check) -> notebook.
NOTEBOOK_OF_CHECK = {
    "check_zeros_initialization": "Initialization",
    "check_random_initialization": "Initialization",
    "check_he_initialization": "Initialization",
    "check_xavier_initialization": "Initialization",
    "check_random_mini_batches": "Optimization_methods",
    "check_momentum_update": "Optimization_methods",
    "check_rmsprop_update": "Optimization_methods",
    "check_adam_update": "Optimization_methods",
    "check_step_decay": "Optimization_methods",
    "check_l2_cost": "Regularization",
    "check_l2_backward": "Regularization",
    "check_dropout_forward": "Regularization",
    "check_dropout_backward": "Regularization",
    "check_gradient_check_1d": "Gradient_Checking",
    "check_params_vector": "Gradient_Checking",
    "check_gradient_check": "Gradient_Checking",
    "check_my_backward": "Gradient_Checking",
    "check_linear_function": "Tensorflow_introduction",
    "check_one_hot": "Tensorflow_introduction",
    "check_loss_from_logits": "Tensorflow_introduction",
    "check_forward_pass": "Tensorflow_introduction",
}


def all_cases():
    """(CORRECT, WRONG) over every notebook's module."""
    from . import backward_fix, gradient_checking, initialization, optimization, regularization, tensorflow

    modules = (initialization, optimization, regularization, gradient_checking, backward_fix, tensorflow)
    return ([c for m in modules for c in m.CORRECT], [c for m in modules for c in m.WRONG])
