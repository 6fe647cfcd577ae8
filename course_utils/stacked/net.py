"""``StackedMLP``: S nets of one shape, one per seed, held in one array and computed together.

Net s's parameters are row s of ``theta`` (S, P), laid out as a ``model.MLP`` packs its own
(``params.flat``: W1 raveled, b1, W2, ...), and ``params`` holds views of every net's arrays::

    theta: (S, P)      params["W1"]: (S, n_0, n_1)      params["b1"]: (S, n_1)      params[k][s] is net s's

Every computation is the fused step of ``fastpath.backprop`` on all S nets at once (one batched
``np.matmul`` per product, elementwise NumPy calls on all nets' arrays), the code a lone ``model.MLP``
trains with, so net s computes what ``model.MLP(..., seed=seeds[s])`` computes alone (up to the rounding
of products laid out differently in memory: 1e-15 here, 1e-12 in the tests), and nothing of one net
reaches another: no operation mixes the nets, and a net's numbers do not depend on which other nets share
the stack (tested bit for bit). Evaluation (``predict``, ``accuracy``, ``loss``) runs on chunks of
``EVAL_ROWS`` examples, so a sample of 20,000 points costs a few batched products per layer.
"""

import copy

import numpy as np

from .. import activations, model
from .._validation import as_float_array, as_labels, check_seed
from ..fastpath import backprop, cross_entropy, two_threads
from ..fastpath.packing import PackedArrays
from ..fastpath.workspace import Workspace

EVAL_ROWS = 1024  # examples per chunk when evaluating: arrays of S * n_l * 1024 numbers; fixed, so no result depends on S


class StackedMLP:
    """S MLPs of the same shape, one per seed, computed together (see the module docstring).

    Args:
        layer_dims, hidden_activation, init, l2, keep_prob, init_scale, dtype: as for ``model.MLP``.
        seeds: one seed per net: net s starts from ``model.MLP(..., seed=seeds[s])``'s weights and draws its
            dropout masks from that net's generator.

    Attributes:
        theta: (S, P) every parameter of every net; ``params``: views of it, ``{"W1": (S, n_0, n_1), ...}``.
        dtheta, grads: the same for the gradients the last ``loss_and_grads`` wrote.
        rngs: each net's dropout generator (``model.MLP.rng`` of its seed).
    """

    def __init__(self, layer_dims, seeds, hidden_activation="relu", init="he", l2=0.0, init_scale=10.0, keep_prob=1.0,
                 dtype="float64"):
        listed = [] if isinstance(seeds, (int, np.integer, str)) or not np.iterable(seeds) else list(seeds)
        if not listed:
            raise ValueError(f"`seeds` must list at least one seed; received {seeds!r}.")
        nets = [model.MLP(layer_dims, hidden_activation, init, l2=l2, keep_prob=keep_prob, seed=check_seed(s, "seeds"),
                          init_scale=init_scale, dtype=dtype) for s in listed]
        self._hold(nets, [net.rng for net in nets], init_scale)

    @classmethod
    def from_nets(cls, nets):
        """A stack of trained ``model.MLP`` nets of one shape (their weights and generators copied), to evaluate them
        together: ``StackedMLP.from_nets(nets).accuracy(X, y)`` gives ``[net.accuracy(X, y) for net in nets]``."""
        try:
            nets = list(nets) if not isinstance(nets, model.MLP) else None
        except TypeError:
            nets = None
        if not nets or not all(isinstance(net, model.MLP) for net in nets):
            raise TypeError(f"`nets` must be a non-empty list of model.MLP; received {type(nets).__name__}.")
        first = nets[0]
        for s, net in enumerate(nets[1:], start=1):
            for name in ("layer_dims", "hidden_activation", "dtype", "keep_prob", "l2"):
                if getattr(net, name) != getattr(first, name):
                    raise ValueError(f"`nets` must share one shape and configuration; nets[{s}].{name} is "
                                     f"{getattr(net, name)!r}, but nets[0].{name} is {getattr(first, name)!r}.")
        stack = cls.__new__(cls)
        stack._hold(nets, [copy.deepcopy(net.rng) for net in nets], getattr(first, "init_scale", 10.0))
        return stack

    def _hold(self, nets, rngs, init_scale):
        first = nets[0]
        self.seeds = [net.seed for net in nets]
        self.layer_dims, self.hidden_activation, self.init = first.layer_dims, first.hidden_activation, first.init
        self.l2, self.keep_prob, self.init_scale, self.dtype = first.l2, first.keep_prob, init_scale, first.dtype
        self.rngs = rngs
        rows = [np.concatenate([net.params[key].ravel() for key in first.params]) for net in nets]
        self._theta = PackedArrays({"theta": np.stack(rows)}, dtype=self.dtype)  # one array an optimizer updates
        self._dtheta = PackedArrays.empty_like(self._theta)
        self.theta, self.dtheta = self._theta["theta"], self._dtheta["theta"]
        self.params, self.grads = _views(self.theta, first.params), _views(self.dtheta, first.params)
        self.workspace = Workspace()  # the step's arrays, reused from step to step
        self.half_workspaces = (Workspace(), Workspace())  # the same, for a step in two halves (two_threads)
        self.blocks = backprop.layer_blocks(self.theta, first.params)  # [W_l; b_l]: (S, n_{l-1} + 1, n_l) views
        self.grad_blocks = backprop.layer_blocks(self.dtheta, first.params)

    def __repr__(self):
        dtype = "" if self.dtype == np.float64 else f", dtype={self.dtype.name!r}"
        init = self.init.__name__ if callable(self.init) else repr(self.init)  # a function: its name, no address
        return (f"StackedMLP({self.layer_dims}, seeds={self.seeds}, hidden_activation={self.hidden_activation!r}, "
                f"init={init}, l2={self.l2:g}, keep_prob={self.keep_prob:g}{dtype})")

    @property
    def n_nets(self):
        return len(self.seeds)

    @property
    def n_classes(self):
        return max(2, self.layer_dims[-1])

    def check_data(self, X, y, name="X", label_name="y"):
        """``(X, y)``: (m, n_0) inputs in the stack's dtype and (m,) int64 labels, or a clear error naming them."""
        X = self._check_X(X, name)
        return X, as_labels(y, label_name, X.shape[0], self.n_classes)

    def _check_X(self, X, name="X"):
        X = as_float_array(X, name, ndim=2, dtype=self.dtype)
        if X.shape[1] != self.layer_dims[0]:
            raise ValueError(f"`{name}` must have shape (m, {self.layer_dims[0]}) for these nets; received shape "
                             f"{X.shape}.")
        return X

    def loss_and_grads(self, X, y):
        """Each net's training cost (dropout included) on its batch, and the gradients, written into ``grads``.

        Args:
            X: (b, n_0), one batch for every net, or (S, b, n_0), a batch per net. y: (b,) or (S, b) labels.
        Returns:
            ``(losses, grads)``: (S,) costs (cross-entropy + l2/(2b) sum_l ||W_l||^2 of each net) and ``grads``.
        """
        X, y = np.asarray(X), np.asarray(y)
        shared = X.ndim == 2
        rows = X if shared else X.reshape(-1, X.shape[-1])
        labels = y if shared else y.reshape(-1)
        if not shared and (X.ndim != 3 or X.shape[0] != self.n_nets or y.shape != X.shape[:2]):
            raise ValueError(f"`X` and `y` must have shapes (b, n_0) and (b,), or ({self.n_nets}, b, n_0) and "
                             f"({self.n_nets}, b); received {X.shape} and {y.shape}.")
        rows, labels = self.check_data(rows, labels)
        Xt, y = (rows.T, labels) if shared else (rows.reshape(X.shape).swapaxes(1, 2), labels.reshape(y.shape))
        return self.step(backprop.with_ones(Xt), y), self.grads

    def step(self, Xa, y):
        """``loss_and_grads`` on checked data, the inputs as columns with a row of ones (``fastpath.backprop.with_ones``):
        Xa (n_0 + 1, b) or (S, n_0 + 1, b). Returns the (S,) costs; the gradients are in ``grads``. A large stack
        steps in two threads, half of its nets each (``fastpath.two_threads``): the same numbers, sooner."""
        if not two_threads.worth_splitting(self.n_nets, Xa.shape[-1], self.layer_dims):
            return backprop.stack_loss_and_grads(self.blocks, Xa, y, self.hidden_activation, self.keep_prob,
                                                 self.rngs, self.l2, self.grad_blocks, self.dtheta, self.workspace)

        def step_half(k, nets):  # half k: the nets in the slice `nets`, with their data, generators and gradients
            return backprop.stack_loss_and_grads(
                [block[nets] for block in self.blocks], Xa[nets] if Xa.ndim == 3 else Xa, y[nets] if y.ndim == 2 else y,
                self.hidden_activation, self.keep_prob, self.rngs[nets], self.l2,
                [grad[nets] for grad in self.grad_blocks], self.dtheta[nets], self.half_workspaces[k])

        return np.concatenate(two_threads.in_halves(step_half, self.n_nets))

    def update(self, optimizer):
        """One ``optimizer`` step of every net, with the gradients of the last step: one update of the (S, P) array."""
        optimizer.step(self._theta, self._dtheta)

    def logits(self, X):
        """The output logits of every net without dropout: (S, m, n_L) (``model.MLP.forward``'s, net by net)."""
        X = self._check_X(X)
        logits = np.empty((self.n_nets, len(X), self.layer_dims[-1]), self.dtype)
        for rows, Z in zip(_row_chunks(len(X)), self._chunks(X)):
            logits[:, rows] = Z.swapaxes(1, 2)  # Z is the workspace's: copied before the next chunk
        return logits

    def predict_proba(self, X):
        """P(y = 1 | x) of shape (S, m) for a sigmoid output, or class probabilities (S, m, K) for softmax."""
        Z = self.logits(X)
        return activations.sigmoid(Z[:, :, 0]) if Z.shape[2] == 1 else activations.softmax(Z, axis=2)

    def predict(self, X):
        """Integer labels (S, m): logit > 0 for a sigmoid output, the first largest logit for softmax."""
        Z = self.logits(X)
        return (Z[:, :, 0] > 0).astype(np.int64) if Z.shape[2] == 1 else np.argmax(Z, axis=2)

    def accuracy(self, X, y):
        """(S,) each net's fraction of rows of X whose predicted label equals y."""
        X, y = self.check_data(X, y)
        correct = np.zeros(self.n_nets, dtype=np.int64)
        for rows, Z in zip(_row_chunks(len(y)), self._chunks(X)):
            predicted = Z[:, 0] > 0 if Z.shape[1] == 1 else np.argmax(Z, axis=1)  # (S, rows)
            correct += np.count_nonzero(predicted == y[rows], axis=1)
        return correct / len(y)

    def loss(self, X, y):
        """(S,) each net's cost on (X, y) without dropout, L2 penalty included (``model.MLP.loss``, net by net)."""
        X, y = self.check_data(X, y)
        total = np.zeros(self.n_nets)
        for rows, Z in zip(_row_chunks(len(y)), self._chunks(X)):
            if Z.shape[1] == 1:
                total += cross_entropy.sigmoid_cross_entropy(Z[:, 0], y[rows])[0]
            else:
                total += cross_entropy.softmax_cross_entropy(Z, y[rows])[0]
        return total / len(y) + self.l2_penalty(len(y))

    def l2_penalty(self, m):
        """(S,) lambda / (2m) * sum_l ||W_l||_F^2 of each net."""
        if not self.l2:
            return np.zeros(self.n_nets)
        weights = [W.reshape(self.n_nets, -1) for key, W in self.params.items() if key[0] == "W"]
        return self.l2 / (2 * m) * sum(np.einsum("sp,sp->s", W, W) for W in weights)

    def _chunks(self, X):
        """The logits Z_L^T (S, n_L, rows) of consecutive chunks of ``EVAL_ROWS`` rows of checked X, without dropout."""
        for rows in _row_chunks(len(X)):
            Xa = backprop.columns(X[rows], self.workspace)
            yield backprop.forward(self.blocks, Xa, self.hidden_activation, workspace=self.workspace)[0]

    def nets(self):
        """The S nets as independent ``model.MLP`` objects: copies of the current weights and generator states."""
        nets = []
        for seed, row, rng in zip(self.seeds, self.theta, self.rngs):
            net = model.MLP(self.layer_dims, self.hidden_activation, self.init, l2=self.l2, keep_prob=self.keep_prob,
                            seed=seed, init_scale=self.init_scale, dtype=self.dtype)
            net.params.flat[...] = row
            net.rng.bit_generator.state = rng.bit_generator.state
            nets.append(net)
        return nets


def _views(theta, like):
    """``{key: (S, *shape)}`` views of the rows of ``theta`` (S, P), laid out as the packed arrays ``like``."""
    views, offset = {}, 0
    for key, value in like.items():
        views[key] = theta[:, offset:offset + value.size].reshape(len(theta), *value.shape)
        offset += value.size
    return views


def _row_chunks(m):
    """Slices of ``EVAL_ROWS`` consecutive rows covering range(m)."""
    return [slice(start, min(start + EVAL_ROWS, m)) for start in range(0, m, EVAL_ROWS)]


def accuracies(nets, X, y):
    """(S,) ``[net.accuracy(X, y) for net in nets]`` for same-shaped ``model.MLP`` nets, computed together."""
    return StackedMLP.from_nets(nets).accuracy(X, y)


def losses(nets, X, y):
    """(S,) ``[net.loss(X, y) for net in nets]``, computed together."""
    return StackedMLP.from_nets(nets).loss(X, y)


def predict_proba(nets, X):
    """(S, m) or (S, m, K): ``[net.predict_proba(X) for net in nets]`` as one array, computed together."""
    return StackedMLP.from_nets(nets).predict_proba(X)
