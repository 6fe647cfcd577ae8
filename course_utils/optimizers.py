"""Optimizers: one base class owns the bookkeeping, each subclass writes only its update.

Every optimizer is used the same way::

    opt = optimizers.GD(learning_rate=0.01)
    opt.step(params, grads)      # updates the arrays of ``params`` in place

``params`` and ``grads`` are dicts with the same keys (``"W1"``, ``"b1"``, ...). The base class
checks them, evaluates the learning rate (a float, or a schedule called with the number of steps
already taken, as Keras does), calls ``update`` once per parameter, and counts the step.
A subclass keeps any state (moments) in dicts keyed by parameter name.
"""

import numbers

import numpy as np

from ._validation import check_positive


class Optimizer:
    """Base class. Subclasses implement ``update(name, param, grad, learning_rate)``."""

    def __init__(self, learning_rate):
        if callable(learning_rate):
            self.learning_rate = learning_rate
        else:
            if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
                raise TypeError(f"`learning_rate` must be a number or a schedule; received {learning_rate!r}.")
            self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.iterations = 0  # steps taken so far

    def current_learning_rate(self):
        """The learning rate the next step will use."""
        if callable(self.learning_rate):
            return float(self.learning_rate(self.iterations))
        return self.learning_rate

    def step(self, params, grads):
        """Apply one update to every array in ``params`` (in place) using ``grads``."""
        if params.keys() != grads.keys():
            raise ValueError(
                f"`grads` must have the same keys as `params`; received {sorted(grads)} for {sorted(params)}."
            )
        for name, param in params.items():  # check everything before changing anything
            if np.shape(grads[name]) != param.shape:
                raise ValueError(f"`grads[{name!r}]` must have shape {param.shape}; received {np.shape(grads[name])}.")
        lr = self.current_learning_rate()
        for name, param in params.items():
            self.update(name, param, grads[name], lr)
        self.iterations += 1

    def update(self, name, param, grad, learning_rate):
        """Update ``param`` in place; ``name`` keys any per-parameter state."""
        raise NotImplementedError

    def _hyperparameters(self):
        """``{name: value}`` shown by ``repr``; subclasses add theirs."""
        return {"learning_rate": self.learning_rate}

    def __repr__(self):
        def show(value):
            if isinstance(value, float):
                return f"{value:g}"
            if hasattr(value, "__name__"):  # a plain function: its name, not its memory address
                return value.__name__
            return repr(value)

        args = ", ".join(f"{k}={show(v)}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({args})"


class GD(Optimizer):
    """Plain gradient descent: theta <- theta - alpha * dtheta.

    With full batches this is batch gradient descent; with mini-batches of one it is SGD.
    """

    def update(self, name, param, grad, learning_rate):
        param -= learning_rate * grad
