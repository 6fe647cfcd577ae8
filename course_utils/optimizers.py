"""Optimizers: one base class owns the bookkeeping, each subclass writes only its update.

Every optimizer is used the same way::

    opt = optimizers.Adam(learning_rate=1e-3)
    opt.step(params, grads)      # updates the arrays of ``params`` in place

``params`` and ``grads`` are dicts with the same keys (``"W1"``, ``"b1"``, ...). The base class
checks them, evaluates the learning rate (a float, or a schedule called with the number of steps
already taken, as Keras does), calls ``update`` once per parameter, and counts the step.
A subclass keeps its state (moments) in ``self.slots``, one array per parameter name, created on
first use; every update is elementwise, so a parameter of any shape works. When ``params`` and
``grads`` are ``packing.PackedArrays`` of one layout (as ``model.MLP`` makes them), the base class
calls ``update`` on the flat buffers that hold every array, in chunks of ``PACKED_CHUNK`` entries: the
same arithmetic in one NumPy call per operation and chunk instead of one per array, with temporaries
small enough to stay in the CPU's cache (on a 1.9-million-weight net, Adam's update took 12 ms
unchunked). ``update`` then receives a ``slice`` of the flat buffers as ``name``. The state is packed
too, and ``slots[slot][name]`` are views into it. Only the updates written here, which are elementwise,
are run this way: a subclass that overrides ``update`` gets one call per array, with its name, as before.
Updates keep the parameters' dtype.

Hyperparameter names and defaults follow ``keras.optimizers``. Where the textbook formula and
Keras's differ, each docstring says so:

==========  ===========================================  ===============================================
class       this course                                  Keras
==========  ===========================================  ===============================================
Momentum    v = beta v + (1 - beta) g  (the lecture's    SGD(momentum=beta) keeps v = beta v - lr g; the
            EMA form)                                    same path with lr_SGD = (1 - beta) lr_Momentum
SGD         exactly Keras's                              SGD
Adagrad     Keras's: epsilon inside the sqrt             textbooks put epsilon outside: g / (sqrt(s) + eps)
RMSprop     Keras's: epsilon inside the sqrt             textbooks put epsilon outside: g / (sqrt(s) + eps)
Adam        the paper's: m_hat / (sqrt(v_hat) + eps)     m_hat / (sqrt(v_hat) + eps / sqrt(1 - beta_2^t))
AdamW       Adam above, after Keras's decoupled decay    the same decay, then Keras's Adam
==========  ===========================================  ===============================================

Adagrad, RMSprop and Adam take ``epsilon_form="keras"`` or ``"textbook"`` to choose where epsilon sits
(the defaults are in the table). Inside the square root, epsilon = 1e-7 acts like sqrt(1e-7) ~ 3e-4
outside it, so the two forms differ for gradients below about 1e-3.
"""

import math
import numbers

import numpy as np

from ._validation import check_choice, check_fraction, check_positive
from .packing import PackedArrays, flat_pair

EPSILON_FORMS = ("keras", "textbook")
PACKED_CHUNK = 1 << 15  # entries per update of packed parameters: 128 KB of float32, 256 KB of float64


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
        self.slots = {}  # state: {slot name: {parameter name: array}}

    def slot(self, slot, name, param, initial_value=0.0):
        """The state array ``slot`` of parameter ``name``: ``initial_value`` with ``param``'s shape at first use.

        For a packed step ``name`` is a slice, and the state is that slice of the flat buffer of a
        ``PackedArrays`` laid out like the parameters (so ``slots[slot]["W1"]`` stays readable); state
        built array by array is carried over.
        """
        arrays = self.slots.setdefault(slot, {})
        if isinstance(name, slice):
            like = self._packed_params
            if not (isinstance(arrays, PackedArrays) and arrays.layout == like.layout
                    and arrays.flat.dtype == like.flat.dtype):
                packed = PackedArrays.empty_like(like)
                packed.flat[...] = initial_value
                for key, value in arrays.items():
                    if key in packed and np.shape(value) == packed[key].shape:
                        packed[key] = value
                self.slots[slot] = arrays = packed
            return arrays.flat[name]
        if name not in arrays:
            if isinstance(arrays, PackedArrays):  # a new name: go on with a plain dict of the same arrays
                self.slots[slot] = arrays = dict(arrays)
            arrays[name] = np.full_like(param, initial_value)
        return arrays[name]

    def current_learning_rate(self):
        """The learning rate the next step will use."""
        if callable(self.learning_rate):
            return float(self.learning_rate(self.iterations))
        return self.learning_rate

    def step(self, params, grads):
        """Apply one update to every array in ``params`` (in place) using ``grads``."""
        flat = flat_pair(params, grads)
        if flat is None:
            if params.keys() != grads.keys():
                raise ValueError(
                    f"`grads` must have the same keys as `params`; received {sorted(grads)} for {sorted(params)}."
                )
            for name, param in params.items():  # check everything before changing anything
                if np.shape(grads[name]) != param.shape:
                    raise ValueError(f"`grads[{name!r}]` must have shape {param.shape}; "
                                     f"received {np.shape(grads[name])}.")
        lr = self.current_learning_rate()
        if flat is None or type(self).update not in _ELEMENTWISE_UPDATES:
            for name, param in params.items():
                self.update(name, param, grads[name], lr)
        else:  # packed alike: elementwise updates of the buffers, chunk by chunk, do every array
            self._packed_params = params
            try:
                theta, dtheta = flat
                for start in range(0, theta.size, PACKED_CHUNK):
                    chunk = slice(start, start + PACKED_CHUNK)
                    self.update(chunk, theta[chunk], dtheta[chunk], lr)
            finally:
                del self._packed_params  # no reference to the net is kept (nor copied or pickled)
        self.iterations += 1

    def update(self, name, param, grad, learning_rate):
        """Update ``param`` in place; ``name`` (a parameter name, or a slice of packed parameters) keys its state."""
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


#: The updates that are elementwise and use ``name`` only as a key for ``slot``: safe on packed chunks.
_ELEMENTWISE_UPDATES = frozenset({GD.update, Momentum.update, SGD.update, Adagrad.update, RMSprop.update, Adam.update,
                                  AdamW.update})
