"""Gradient descent and its momentum forms: ``GD``, the lecture's ``Momentum``, and Keras's ``SGD``.

==========  ===========================================  ===============================================
class       this course                                  Keras
==========  ===========================================  ===============================================
Momentum    v = beta v + (1 - beta) g  (the lecture's    SGD(momentum=beta) keeps v = beta v - lr g; the
            EMA form)                                    same path with lr_SGD = (1 - beta) lr_Momentum
SGD         exactly Keras's                              SGD
==========  ===========================================  ===============================================
"""

from .._validation import check_fraction
from .base import Optimizer, elementwise


class GD(Optimizer):
    """Plain gradient descent: theta <- theta - alpha * dtheta.

    With full batches this is batch gradient descent; with mini-batches of one it is SGD.
    """

    @elementwise
    def update(self, name, param, grad, learning_rate):
        param -= learning_rate * grad


class Momentum(Optimizer):
    """Gradient descent with momentum, the lecture's exponentially weighted form::

        v     <- beta v + (1 - beta) g          (v starts at 0)
        theta <- theta - alpha v

    v is an exponentially weighted average of the gradients over about 1 / (1 - beta) steps. It is
    not bias-corrected, so the first steps are short (v_1 = (1 - beta) g_1). Keras's
    ``SGD(momentum=beta)`` follows the same path with ``learning_rate = (1 - beta) alpha``.
    """

    def __init__(self, learning_rate=0.01, beta=0.9):
        super().__init__(learning_rate)
        self.beta = check_fraction(beta, "beta")

    @elementwise
    def update(self, name, param, grad, learning_rate):
        v = self.slot("velocity", name, param)
        v *= self.beta
        v += (1.0 - self.beta) * grad
        param -= learning_rate * v

    def _hyperparameters(self):
        return {**super()._hyperparameters(), "beta": self.beta}


class SGD(Optimizer):
    """Keras's ``SGD``: classical momentum, and Nesterov's look-ahead with ``nesterov=True``::

        m     <- momentum m - alpha g            (m starts at 0)
        theta <- theta + m                                   (classical)
        theta <- theta + momentum m - alpha g                (Nesterov)

    With ``momentum=0`` it is plain gradient descent. Nesterov's form evaluates the step as if the
    momentum step had already been taken, which damps the overshoot of classical momentum.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__(learning_rate)
        self.momentum = check_fraction(momentum, "momentum")
        if not isinstance(nesterov, bool):
            raise TypeError(f"`nesterov` must be True or False; received nesterov={nesterov!r}.")
        self.nesterov = nesterov

    @elementwise
    def update(self, name, param, grad, learning_rate):
        if self.momentum == 0.0:
            param -= learning_rate * grad
            return
        m = self.slot("momentum", name, param)
        m *= self.momentum
        m -= learning_rate * grad
        if self.nesterov:
            param += self.momentum * m - learning_rate * grad
        else:
            param += m

    def _hyperparameters(self):
        return {**super()._hyperparameters(), "momentum": self.momentum, "nesterov": self.nesterov}
