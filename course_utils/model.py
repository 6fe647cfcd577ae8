"""A fully connected network in NumPy: forward pass with caches, backward pass, L2 and dropout.

One example per row. For layers l = 1..L, with ``A_0 = X`` of shape (m, n_0)::

    Z_l = A_{l-1} @ W_l + b_l                       (m, n_l)
    A_l = g(Z_l) * D_l / keep_prob                  hidden layers; D_l ~ Bernoulli(keep_prob)
    output = sigma(Z_L)  if n_L == 1,  softmax(Z_L) otherwise

Dropout ("inverted": divide by keep_prob so E[A_l] is unchanged) is applied to hidden layers
during training only. The cost adds an L2 penalty on the weights (not the biases)::

    J = cross_entropy(Z_L, y) + lambda / (2m) * sum_l ||W_l||_F^2

Backward, from dZ_L = (output - onehot(y)) / m (see ``losses``)::

    dW_l = A_{l-1}^T @ dZ_l + (lambda / m) W_l      (n_{l-1}, n_l)
    db_l = sum over rows of dZ_l                    (n_l,)
    dZ_{l-1} = (dZ_l @ W_l^T) * D_{l-1} / keep_prob * g'(Z_{l-1})

The lecture writes examples in columns (Z = W A + b with W of shape (n_l, n_{l-1})); every
matrix here is the transpose of the lecture's, and the two give the same numbers.

``forward`` and ``backward`` below are the readable version. ``MLP.loss_and_grads``, the training
step, runs the same arithmetic fused in ``fastpath.backprop`` (tested against these two; they differ by
rounding), and an ``MLP`` keeps its parameters in one flat buffer (``fastpath.PackedArrays``), so optimizers
update them with one NumPy call per operation instead of one per array.

An ``MLP`` computes in float64 by default, or in float32 with ``dtype="float32"``: parameters,
activations, gradients and optimizer state all stay float32, and inputs are converted to the net's
dtype. float32 is about twice as fast on large nets; its rounding unit, 6e-8, is too coarse for
gradient checking, which needs float64.
"""

import typing

import numpy as np

from . import activations, initializers, losses, regularization
from ._validation import as_float_array, as_labels, check_choice, check_float_dtype, check_seed
from .fastpath import backprop as backprop_fast
from .fastpath.packing import PackedArrays, flat_pair
from .fastpath.workspace import Workspace


class LayerCache(typing.NamedTuple):
    """What the backward pass needs from layer l."""

    A_prev: np.ndarray  # (m, n_{l-1}) the layer's input, after the previous layer's dropout
    Z: np.ndarray  # (m, n_l) pre-activation
    mask: typing.Optional[np.ndarray]  # (m, n_l) dropout keep-mask of this layer's output, or None


def forward(params, X, hidden_activation="relu", keep_prob=1.0, rng=None):
    """Run the net on X (m, n_0); return the output logits Z_L (m, n_L) and one LayerCache per layer.

    Dropout is applied to hidden layers when ``keep_prob < 1``; it then needs ``rng``.
    """
    g, _ = activations.get(hidden_activation)
    if keep_prob < 1.0 and not isinstance(rng, np.random.Generator):
        raise TypeError(f"`rng` must be a np.random.Generator when keep_prob < 1 (dropout); received {rng!r}.")
    L = len(params) // 2
    caches = []
    A = X
    for l in range(1, L):  # hidden layers
        Z = A @ params[f"W{l}"] + params[f"b{l}"]  # (m, n_l)
        A_next = g(Z)
        mask = None
        if keep_prob < 1.0:
            mask = regularization.dropout_mask(Z.shape, keep_prob, rng)  # (m, n_l), True = keep
            A_next = regularization.apply_dropout(A_next, mask, keep_prob)
        caches.append(LayerCache(A, Z, mask))
        A = A_next
    Z = A @ params[f"W{L}"] + params[f"b{L}"]  # (m, n_L) output logits
    caches.append(LayerCache(A, Z, None))
    return Z, caches


def backward(dZ, caches, params, hidden_activation="relu", keep_prob=1.0, l2=0.0):
    """Backpropagate dZ_L = dJ/dZ_L (m, n_L) through ``caches``; return ``{"W1": dW1, "b1": db1, ...}``."""
    _, g_grad = activations.get(hidden_activation)
    L = len(caches)
    m = dZ.shape[0]
    grads = {key: None for key in params}  # fixes the key order: W1, b1, W2, ...
    for l in range(L, 0, -1):
        A_prev, _, _ = caches[l - 1]
        W = params[f"W{l}"]
        grads[f"W{l}"] = A_prev.T @ dZ + regularization.l2_gradient(W, l2, m) if l2 else A_prev.T @ dZ
        grads[f"b{l}"] = dZ.sum(axis=0)
        if l > 1:
            _, Z_prev, mask_prev = caches[l - 2]
            dA = dZ @ W.T  # (m, n_{l-1})
            if mask_prev is not None:
                dA = regularization.apply_dropout(dA, mask_prev, keep_prob)
            dZ = dA * g_grad(Z_prev)
    return grads


_FUSED_STEPS = ("backward", "data_loss_and_grad", "l2_penalty")  # the MLP methods fastpath.backprop computes in one pass


class MLP:
    """A fully connected classifier: ReLU/tanh/sigmoid/leaky-ReLU hidden layers, sigmoid or softmax output.

    Args:
        layer_dims: ``[n_0, n_1, ..., n_L]``; ``n_L = 1`` gives a sigmoid output for labels {0, 1},
            ``n_L = K >= 2`` a softmax output for labels 0..K-1 (K = 2 is the two-unit softmax Keras
            users often build; it computes the same function family as one sigmoid unit).
        hidden_activation: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"leaky_relu"``.
        init: an initializer name from ``initializers.METHODS`` (``"he"``, ``"xavier"``, ``"zeros"``, ...), or a
            function ``init(layer_dims, rng) -> params`` (a learner's initializer), called with the net's own
            generator for initial weights.
        l2: lambda, the L2 penalty strength (0 = off).
        keep_prob: probability of keeping a hidden unit under dropout (1 = off).
        seed: seeds the initial weights and the dropout masks. The masks come from ``self.rng``,
            so ``copy.deepcopy(net)`` draws the same masks as ``net``.
        init_scale: the standard deviation used by ``init="random"``.
        dtype: ``"float64"`` (the default) or ``"float32"``: the dtype of the parameters and of every
            computation. Inputs are converted to it. A float32 net starts from the float64 net's
            weights (same seed) rounded to float32.

    Attributes:
        params: ``{"W1": (n_0, n_1), "b1": (n_1,), ...}``, views into one flat buffer
            (``params.flat``, see ``fastpath.packing``); optimizers update these arrays in place. It behaves
            like a plain dict: after ``params["W1"] = values``, an array obtained earlier keeps its old values.
            ``net.params = {...}`` replaces the dict.
        dtype: ``np.dtype("float64")`` or ``np.dtype("float32")``.
    """

    def __init__(self, layer_dims, hidden_activation="relu", init="he", l2=0.0, keep_prob=1.0, seed=0,
                 init_scale=10.0, dtype="float64"):
        check_choice(hidden_activation, "hidden_activation", activations.HIDDEN_ACTIVATIONS)
        if not callable(init):
            check_choice(init, "init", initializers.METHODS)
        self.l2 = regularization.check_l2(l2)
        self.keep_prob = regularization.check_keep_prob(keep_prob)
        self.hidden_activation = hidden_activation
        self.init = init
        self.seed = check_seed(seed)
        init_rng, self.rng = np.random.default_rng(seed).spawn(2)
        self.dtype = check_float_dtype(dtype)
        if callable(init):
            initial = _checked_layers(init(list(layer_dims), init_rng), self.dtype)
            if [initial["W1"].shape[0]] + [initial[f"W{l}"].shape[1] for l in range(1, len(initial) // 2 + 1)] != list(layer_dims):
                raise ValueError(f"`init` must return parameters for layer_dims={list(layer_dims)}; received "
                                 f"{ {name: value.shape for name, value in initial.items()} }.")
        else:
            initial = initializers.initialize(layer_dims, method=init, rng=init_rng, scale=init_scale, dtype=self.dtype)
        self.params = PackedArrays(initial, dtype=self.dtype)
        self._workspace = Workspace()  # the fused step's arrays, reused from step to step (empty in a copy)

    @property
    def params(self):
        """``{"W1": (n_0, n_1), "b1": (n_1,), ...}``: a ``PackedArrays`` (views into ``params.flat``) from the start."""
        return self._params

    @params.setter
    def params(self, arrays):
        """Assigning a dict makes it the net's own (the net reads and updates those arrays), once the layers are
        checked to chain. Arrays of another dtype are converted, into a new dict. A plain dict is not packed: it
        trains the same, with one optimizer call per array instead of one per operation for all."""
        self._params = _checked_layers(arrays, self.dtype)

    def __repr__(self):
        dtype = "" if self.dtype == np.float64 else f", dtype={self.dtype.name!r}"
        init = self.init.__name__ if callable(self.init) else repr(self.init)  # a function: its name, no address
        return (f"MLP({self.layer_dims}, hidden_activation={self.hidden_activation!r}, init={init}, "
                f"l2={self.l2:g}, keep_prob={self.keep_prob:g}, seed={self.seed}{dtype})")

    @property
    def layer_dims(self):
        """``[n_0, n_1, ..., n_L]``, read off ``params``."""
        L = len(self.params) // 2
        return [self.params["W1"].shape[0]] + [self.params[f"W{l}"].shape[1] for l in range(1, L + 1)]

    @property
    def output(self):
        """``"sigmoid"`` for one output unit, ``"softmax"`` for K >= 2 units (K = 2 is a two-class softmax)."""
        return "sigmoid" if self._n_out == 1 else "softmax"

    @property
    def n_classes(self):
        """The number of classes: 2 for one sigmoid unit, K for a softmax output of K units (so 2 for K = 2)."""
        return max(2, self._n_out)

    @property
    def _n_out(self):
        return self.params[f"W{len(self.params) // 2}"].shape[1]

    def _check_X(self, X):
        X = as_float_array(X, "X", ndim=2, dtype=self.dtype)
        n_in = self.params["W1"].shape[0]
        if X.shape[1] != n_in:
            raise ValueError(f"`X` must have shape (m, {n_in}) for this net; received shape {X.shape}.")
        return X

    def check_data(self, X, y):
        """``(X, y)``: (m, n_0) inputs in the net's dtype, int64 (m,) labels in [0, n_classes); or a clear error."""
        X = self._check_X(X)
        return X, as_labels(y, "y", X.shape[0], self.n_classes)

    def forward(self, X, training=False):
        """Logits (m, n_L) and per-layer caches; dropout is on only when ``training`` is True."""
        keep_prob = self.keep_prob if training else 1.0
        return forward(self.params, self._check_X(X), self.hidden_activation, keep_prob, self.rng)

    def backward(self, dlogits, caches):
        """Gradients of the cost (L2 included) given dJ/dZ_L and the caches of a training forward pass."""
        return backward(dlogits, caches, self.params, self.hidden_activation, self.keep_prob, self.l2)

    def data_loss_and_grad(self, logits, y):
        """The cross-entropy of the output logits Z_L (m, n_L) and dJ/dZ_L, without the L2 term."""
        if self.output == "sigmoid":
            return losses.sigmoid_cross_entropy_with_grad(logits, y)
        return losses.softmax_cross_entropy_with_grad(logits, y)

    def l2_penalty(self, m):
        """lambda / (2m) * sum_l ||W_l||_F^2."""
        if not self.l2:
            return 0.0
        return regularization.l2_penalty(self.params, self.l2, m)

    def loss_and_grads(self, X, y):
        """The training cost J on (X, y), with dropout if enabled, and its gradients.

        Runs ``fastpath.backprop`` (the numbers of ``loss_and_grads_unfused`` up to rounding, faster), unless a subclass or
        the instance overrides ``backward``, ``data_loss_and_grad`` or ``l2_penalty``: then the unfused
        version, which calls them.

        Args:
            X: (m, n_0) inputs. y: (m,) integer labels.
        Returns:
            ``(loss, grads)``: a float, and a dict with the keys, shapes and dtype of ``params``.
        """
        if self._overridden():
            return self.loss_and_grads_unfused(X, y)
        X, y = self.check_data(X, y)
        return backprop_fast.loss_and_grads(self.params, X, y, self.hidden_activation, self.keep_prob, self.rng,
                                            self.l2, workspace=self._workspace)

    def loss_and_grads_checked(self, X, y, out=None):
        """``loss_and_grads`` for a training loop that has checked all its data once with ``check_data``.

        Skips the checks of X and y (5 to 14 microseconds a step on a small net, by machine), and writes the
        gradients into ``out`` when it is given: the ``grads`` this method returned at the previous step, which
        the optimizer has used by now. ``training.train`` calls it. A subclass or instance that replaces
        ``loss_and_grads`` (or a step it fuses) gets that code instead, with new gradient arrays.

        Args:
            X: (m, n_0) inputs in the net's dtype, y: (m,) int64 labels: rows of ``check_data``'s results.
            out: the ``grads`` of an earlier call, or None.
        Returns:
            ``(loss, grads)`` as ``loss_and_grads``; ``grads`` is ``out`` when it is given.
        """
        if self._overridden(("loss_and_grads", *_FUSED_STEPS)):
            return self.loss_and_grads(X, y)  # with its checks: the override may rely on them
        if out is not None and flat_pair(self.params, out) is None:
            out = None  # not packed like the params (they were replaced): a new buffer
        return backprop_fast.loss_and_grads(self.params, X, y, self.hidden_activation, self.keep_prob, self.rng,
                                            self.l2, out=out, workspace=self._workspace)

    def _overridden(self, names=_FUSED_STEPS):
        """True if a subclass or the instance replaces one of ``names`` (default: the steps ``fastpath.backprop`` fuses)."""
        return any(getattr(type(self), name) is not getattr(MLP, name) or name in vars(self) for name in names)

    def loss_and_grads_unfused(self, X, y):
        """``loss_and_grads`` step by step: ``forward``, the loss and its gradient, ``backward``."""
        X = self._check_X(X)  # the loss checks y: shape (m,), integer labels in [0, n_classes)
        logits, caches = forward(self.params, X, self.hidden_activation, self.keep_prob, self.rng)
        loss, dlogits = self.data_loss_and_grad(logits, y)
        return loss + self.l2_penalty(X.shape[0]), self.backward(dlogits, caches)

    def loss(self, X, y):
        """The cost J on (X, y) without dropout (the number to report), L2 penalty included."""
        X = self._check_X(X)
        logits, _ = forward(self.params, X, self.hidden_activation)
        return self.data_loss_and_grad(logits, y)[0] + self.l2_penalty(X.shape[0])

    def predict_proba(self, X):
        """P(y = 1 | x) of shape (m,) for a sigmoid output, or class probabilities (m, K) for softmax."""
        logits, _ = self.forward(X)
        if self.output == "sigmoid":
            return activations.sigmoid(logits[:, 0])
        return activations.softmax(logits)

    def predict(self, X):
        """Integer labels of shape (m,): p > 0.5 for binary, argmax for softmax. Never uses dropout."""
        logits, _ = self.forward(X)
        if self.output == "sigmoid":
            return (logits[:, 0] > 0).astype(np.int64)
        return np.argmax(logits, axis=1)

    def accuracy(self, X, y):
        """Fraction of rows of X whose predicted label equals y."""
        X, y = self.check_data(X, y)
        return float(np.mean(self.predict(X) == y))


def _checked_layers(arrays, dtype):
    """``arrays`` if it is ``{"W1", "b1", ..., "WL", "bL"}`` with W_l (n_{l-1}, n_l), b_l (n_l,) of ``dtype``;
    a converted copy if some array has another dtype; otherwise a ValueError or TypeError naming `params`."""
    if not isinstance(arrays, dict):
        raise TypeError(f"`params` must be a dict {{'W1': ..., 'b1': ..., 'W2': ...}}; "
                        f"received {type(arrays).__name__}.")
    L = len(arrays) // 2
    names = [name for l in range(1, L + 1) for name in (f"W{l}", f"b{l}")]
    if not arrays or sorted(arrays) != sorted(names):
        raise ValueError(f"`params` must have the keys W1, b1, ..., WL, bL; received {list(arrays)}.")
    converted = {name: value if isinstance(value, np.ndarray) and value.dtype == dtype
                 else as_float_array(value, f"params[{name!r}]", dtype=dtype) for name, value in arrays.items()}
    n_prev = None
    for l in range(1, L + 1):
        W, b = converted[f"W{l}"].shape, converted[f"b{l}"].shape
        if len(W) != 2 or (n_prev is not None and W[0] != n_prev) or b != W[1:]:
            expected = f"({'n_0' if n_prev is None else n_prev}, n_{l})"
            raise ValueError(f"`params` must hold W{l} of shape {expected} and b{l} of shape (n_{l},); "
                             f"received W{l} of shape {W} and b{l} of shape {b}.")
        n_prev = W[1]
    if all(converted[name] is arrays[name] for name in names):
        return arrays
    if isinstance(arrays, PackedArrays):
        return PackedArrays({name: converted[name] for name in names}, dtype=dtype)
    return converted
