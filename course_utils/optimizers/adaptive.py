"""Optimizers that rescale each coordinate by its gradients' history: Adagrad, RMSprop, Adam, AdamW.

Where the textbook formula and Keras's differ, each docstring says so:

==========  ===========================================  ===============================================
class       this course                                  Keras
==========  ===========================================  ===============================================
Adagrad     Keras's: epsilon inside the sqrt             textbooks put epsilon outside: g / (sqrt(s) + eps)
RMSprop     Keras's: epsilon inside the sqrt             textbooks put epsilon outside: g / (sqrt(s) + eps)
Adam        the paper's: m_hat / (sqrt(v_hat) + eps)     m_hat / (sqrt(v_hat) + eps / sqrt(1 - beta_2^t))
AdamW       Adam above, after Keras's decoupled decay    the same decay, then Keras's Adam
==========  ===========================================  ===============================================

Each takes ``epsilon_form="keras"`` or ``"textbook"`` to choose where epsilon sits (the defaults are in
the table). Inside the square root, epsilon = 1e-7 acts like sqrt(1e-7) ~ 3e-4 outside it, so the two
forms differ for gradients below about 1e-3.
"""

import math

import numpy as np

from .._validation import check_choice, check_fraction, check_positive
from .base import Optimizer, elementwise

EPSILON_FORMS = ("keras", "textbook")


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011) in Keras's form::

        s     <- s + g^2                        (s starts at initial_accumulator_value)
        theta <- theta - alpha g / sqrt(s + epsilon)            (epsilon_form="keras", the default)
        theta <- theta - alpha g / (sqrt(s) + epsilon)          (epsilon_form="textbook")

    Each parameter's step shrinks as its squared gradients pile up, so the effective learning
    rate only ever decreases. With s >= 0.1 the two forms differ by less than 2e-6 relative.
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, epsilon_form="keras"):
        super().__init__(learning_rate)
        self.initial_accumulator_value = check_positive(initial_accumulator_value, "initial_accumulator_value",
                                                        allow_zero=True)
        self.epsilon = check_positive(epsilon, "epsilon")
        self.epsilon_form = check_choice(epsilon_form, "epsilon_form", EPSILON_FORMS)

    @elementwise
    def update(self, name, param, grad, learning_rate):
        s = self.slot("accumulator", name, param, self.initial_accumulator_value)
        s += grad * grad
        param -= learning_rate * grad / _root_plus_epsilon(s, self.epsilon, self.epsilon_form)

    def _hyperparameters(self):
        return {**super()._hyperparameters(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon, **_form_if_not(self.epsilon_form, "keras")}


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e) in Keras's form::

        s     <- rho s + (1 - rho) g^2          (s starts at 0)
        theta <- theta - alpha g / sqrt(s + epsilon)            (epsilon_form="keras", the default)
        theta <- theta - alpha g / (sqrt(s) + epsilon)          (epsilon_form="textbook", the lecture's)

    Dividing by the root of the average squared gradient gives every direction a step of about
    alpha, however steep it is. The forms differ where s is near epsilon: for |g| below ~1e-3
    (with epsilon = 1e-7), Keras's form takes a smaller step.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7, epsilon_form="keras"):
        super().__init__(learning_rate)
        self.rho = check_fraction(rho, "rho")
        self.epsilon = check_positive(epsilon, "epsilon")
        self.epsilon_form = check_choice(epsilon_form, "epsilon_form", EPSILON_FORMS)

    @elementwise
    def update(self, name, param, grad, learning_rate):
        s = self.slot("velocity", name, param)
        s *= self.rho
        s += (1.0 - self.rho) * grad * grad
        param -= learning_rate * grad / _root_plus_epsilon(s, self.epsilon, self.epsilon_form)

    def _hyperparameters(self):
        return {**super()._hyperparameters(), "rho": self.rho, "epsilon": self.epsilon,
                **_form_if_not(self.epsilon_form, "keras")}


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), the paper's bias-corrected form. At step t = 1, 2, ...::

        m     <- beta_1 m + (1 - beta_1) g      v <- beta_2 v + (1 - beta_2) g^2      (both start at 0)
        m_hat =  m / (1 - beta_1^t)             v_hat = v / (1 - beta_2^t)
        theta <- theta - alpha m_hat / (sqrt(v_hat) + epsilon)                       (epsilon_form="textbook")
        theta <- theta - alpha m_hat / (sqrt(v_hat) + epsilon / sqrt(1 - beta_2^t))  (epsilon_form="keras")

    The corrections undo the pull towards 0 of averages that start at 0, so the first step moves
    every parameter by about alpha. Keras adds epsilon to sqrt(v) before the correction, which is
    the second line (and its default epsilon is 1e-7): a difference of order epsilon / sqrt(v_hat),
    invisible unless gradients are tiny.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, epsilon_form="textbook"):
        super().__init__(learning_rate)
        self.beta_1 = check_fraction(beta_1, "beta_1")
        self.beta_2 = check_fraction(beta_2, "beta_2")
        self.epsilon = check_positive(epsilon, "epsilon")
        self.epsilon_form = check_choice(epsilon_form, "epsilon_form", EPSILON_FORMS)

    @elementwise
    def update(self, name, param, grad, learning_rate):
        m, v = self.slot("m", name, param), self.slot("v", name, param)
        t = self.iterations + 1
        m *= self.beta_1
        m += (1.0 - self.beta_1) * grad
        v *= self.beta_2
        v += (1.0 - self.beta_2) * grad * grad
        m_hat = m / (1.0 - self.beta_1 ** t)
        v_hat = v / (1.0 - self.beta_2 ** t)
        epsilon = self.epsilon if self.epsilon_form == "textbook" else self.epsilon / math.sqrt(1.0 - self.beta_2 ** t)
        param -= learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)

    def _hyperparameters(self):
        return {**super()._hyperparameters(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                **_form_if_not(self.epsilon_form, "textbook")}


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), applied as Keras does::

        theta <- theta - alpha * weight_decay * theta        first, on every parameter
        theta <- Adam step (see ``Adam``)                     then, with the same alpha

    Unlike an L2 penalty, the decay does not pass through Adam's division by sqrt(v_hat), so every
    weight shrinks by the same fraction alpha * weight_decay per step. Keras also decays the biases
    unless told otherwise; so does this class.
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 epsilon_form="textbook"):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, epsilon_form)
        self.weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)

    @elementwise
    def update(self, name, param, grad, learning_rate):
        param -= learning_rate * self.weight_decay * param
        super().update(name, param, grad, learning_rate)

    def _hyperparameters(self):
        return {"learning_rate": self.learning_rate, "weight_decay": self.weight_decay, "beta_1": self.beta_1,
                "beta_2": self.beta_2, "epsilon": self.epsilon, **_form_if_not(self.epsilon_form, "textbook")}


def _root_plus_epsilon(s, epsilon, form):
    """sqrt(s + epsilon) (Keras) or sqrt(s) + epsilon (textbook), elementwise."""
    return np.sqrt(s + epsilon) if form == "keras" else np.sqrt(s) + epsilon


def _form_if_not(form, default):
    """``{"epsilon_form": form}`` for ``repr``, or nothing when it is the class's default."""
    return {} if form == default else {"epsilon_form": form}
