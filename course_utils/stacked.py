"""Several independent MLPs trained at once: one seed per net, one batched matmul per layer.

A claim about training must hold across seeds, so the notebooks train the same net on seeds
0..S-1. Training them one after the other costs S times the Python overhead of a step, which
dominates on the course's tiny nets. ``StackedMLP`` holds the S nets as stacked arrays and runs
them through ``np.matmul`` together::

    W_l: (S, n_{l-1}, n_l)    b_l: (S, 1, n_l)    X: (S, b, n_0)    Z_l = A_{l-1} @ W_l + b_l: (S, b, n_l)

Net s is exactly ``model.MLP(layer_dims, ..., seed=seeds[s])`` trained by
``training.train(net, ..., seed=seeds[s])``: the same initial weights, the same mini-batches,
the same updates (equal to about 1e-12; tested). Its loss is its own mean cross-entropy, so the
nets never mix: the gradient of net s depends only on net s.

All parameters live in one flat vector ``theta`` (``params`` holds views into it), and every
optimizer update is elementwise, so one optimizer step over ``{"theta": theta}`` updates every
array of every net at once. Dropout is not supported here; use ``model.MLP`` and ``training.train``.
"""

import dataclasses

import numpy as np

from . import activations, model, regularization
from ._validation import as_float_array, as_labels, check_int
from .training import History, TrainingDivergedError, progress_bar


class StackedMLP:
    """S MLPs of the same shape, one per seed, computed together (see the module docstring).

    Args:
        layer_dims, hidden_activation, init, l2, init_scale: as for ``model.MLP``.
        seeds: one seed per net; net s starts from ``model.MLP(..., seed=seeds[s])``'s weights.
    """

    def __init__(self, layer_dims, seeds, hidden_activation="relu", init="he", l2=0.0, init_scale=10.0):
        self.seeds = [int(s) for s in seeds]
        if not self.seeds:
            raise ValueError(f"`seeds` must list at least one seed; received {seeds!r}.")
        nets = [model.MLP(layer_dims, hidden_activation, init, l2=l2, seed=s, init_scale=init_scale)
                for s in self.seeds]
        self.hidden_activation, self.init, self.l2, self.init_scale = hidden_activation, init, nets[0].l2, init_scale
        self.layer_dims = nets[0].layer_dims
        S = len(nets)
        shapes = {k: (S, *v.shape) if k[0] == "W" else (S, 1, *v.shape) for k, v in nets[0].params.items()}
        sizes = [int(np.prod(shape)) for shape in shapes.values()]
        self.theta = np.empty(sum(sizes))  # every parameter of every net
        self.dtheta = np.empty_like(self.theta)  # the gradient, filled by loss_and_grads
        self.params, self.grads = {}, {}
        offset = 0
        for (name, shape), size in zip(shapes.items(), sizes):
            self.params[name] = self.theta[offset:offset + size].reshape(shape)
            self.grads[name] = self.dtheta[offset:offset + size].reshape(shape)
            self.params[name][:] = np.stack([net.params[name].reshape(shape[1:]) for net in nets])
            offset += size

    def __repr__(self):
        return (f"StackedMLP({self.layer_dims}, seeds={self.seeds}, hidden_activation={self.hidden_activation!r}, "
                f"init={self.init!r}, l2={self.l2:g})")

    @property
    def n_nets(self):
        return len(self.seeds)

    def loss_and_grads(self, X, y):
        """Each net's cost on its own batch, and the gradients of their sum (written into ``grads``).

        Args:
            X: (S, b, n_0), a batch per net. y: (S, b) integer labels.
        Returns:
            ``(losses, grads)``: losses of shape (S,) (cross-entropy + l2/(2b) sum ||W||^2), and
            ``grads``, a dict of views into ``dtheta`` with the shapes of ``params``.
        """
        g, g_grad = activations.get(self.hidden_activation)
        L = len(self.params) // 2
        b = X.shape[1]
        inputs, pre = [], []
        A = X
        for l in range(1, L + 1):
            Z = A @ self.params[f"W{l}"] + self.params[f"b{l}"]  # (S, b, n_l)
            inputs.append(A)
            pre.append(Z)
            A = g(Z) if l < L else None
        losses, dZ = _cross_entropy(Z, y)  # (S,), (S, b, n_L)
        for l in range(L, 0, -1):
            W = self.params[f"W{l}"]
            np.matmul(inputs[l - 1].swapaxes(1, 2), dZ, out=self.grads[f"W{l}"])
            np.sum(dZ, axis=1, keepdims=True, out=self.grads[f"b{l}"])
            if self.l2:
                self.grads[f"W{l}"] += regularization.l2_gradient(W, self.l2, b)  # elementwise: per net
            if l > 1:
                dZ = (dZ @ W.swapaxes(1, 2)) * g_grad(pre[l - 2])
        if self.l2:  # regularization.l2_penalty, net by net: lambda / (2b) * sum_l ||W_l||^2 for each s
            losses = losses + np.array([regularization.l2_penalty({k: v[s] for k, v in self.params.items()}, self.l2, b)
                                        for s in range(self.n_nets)])
        return losses, self.grads

    def nets(self):
        """The S nets as independent ``model.MLP`` objects (copies of the current weights)."""
        nets = []
        for s, seed in enumerate(self.seeds):
            net = model.MLP(self.layer_dims, self.hidden_activation, self.init, l2=self.l2, seed=seed,
                            init_scale=self.init_scale)
            for name, value in self.params.items():
                net.params[name][...] = value[s].reshape(net.params[name].shape)
            nets.append(net)
        return nets


def _cross_entropy(Z, y):
    """Per-net mean cross-entropy of logits Z (S, b, n_L) and its gradient dJ_s/dZ_s (S, b, n_L)."""
    b = Z.shape[1]
    if Z.shape[2] == 1:  # sigmoid output, as losses.sigmoid_cross_entropy_with_grad
        z = Z[:, :, 0]
        e = np.exp(-np.abs(z))
        losses = (np.maximum(z, 0.0) - z * y + np.log1p(e)).sum(axis=1) / b
        p = np.where(z >= 0, 1.0, e) / (1.0 + e)
        return losses, ((p - y) / b)[:, :, None]
    log_p = activations.log_softmax(Z)  # softmax output, as losses.softmax_cross_entropy_with_grad
    picked = np.take_along_axis(log_p, y[:, :, None], axis=2)[:, :, 0]
    dZ = np.exp(log_p)
    np.put_along_axis(dZ, y[:, :, None], np.take_along_axis(dZ, y[:, :, None], axis=2) - 1.0, axis=2)
    return -picked.sum(axis=1) / b, dZ / b


@dataclasses.dataclass
class StackedHistory:
    """``loss``: (epochs, S), each net's mean cost per epoch (as ``History.loss``); ``learning_rate``: (epochs,)."""

    loss: np.ndarray
    learning_rate: np.ndarray

    def histories(self):
        """One ``training.History`` per net."""
        return [History(loss=list(self.loss[:, s]), learning_rate=list(self.learning_rate))
                for s in range(self.loss.shape[1])]


def train(stack, X, y, optimizer, epochs=100, batch_size=None, progress=None):
    """Train every net of ``stack`` on (X, y), as ``training.train(net, X, y, ..., seed=seed)`` would.

    Args:
        stack: a ``StackedMLP``. X: (m, n_0). y: (m,) integer labels.
        optimizer: a fresh ``optimizers.Optimizer``; it updates ``stack.theta`` as one array.
        epochs, batch_size, progress: as for ``training.train`` (net s shuffles with its own seed).

    Raises:
        TrainingDivergedError: some net's loss became NaN or inf; the message names its seed.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != stack.layer_dims[0]:
        raise ValueError(f"`X` must have shape (m, {stack.layer_dims[0]}); received shape {X.shape}.")
    m = X.shape[0]
    y = as_labels(y, "y", m, max(2, stack.layer_dims[-1]))
    epochs = check_int(epochs, "epochs", 1)
    full_batch = batch_size is None or check_int(batch_size, "batch_size", 1) >= m
    rngs = [np.random.default_rng(seed) for seed in stack.seeds]  # as training.train's make_rng(seed=seed)
    theta, dtheta = {"theta": stack.theta}, {"theta": stack.dtheta}
    loss = np.zeros((epochs, stack.n_nets))
    rates = np.zeros(epochs)
    bar = progress_bar(epochs, progress)  # the same bar as training.train
    try:
        for epoch in range(epochs):
            if full_batch:
                Xs, ys = np.broadcast_to(X, (stack.n_nets, *X.shape)), np.broadcast_to(y, (stack.n_nets, m))
                step = m
            else:
                order = np.stack([rng.permutation(m) for rng in rngs])  # (S, m): each net's own shuffle
                Xs, ys = X[order], y[order]
                step = batch_size
            rates[epoch] = optimizer.current_learning_rate()
            for k in range(0, m, step):
                with np.errstate(over="ignore", invalid="ignore"):
                    losses, _ = stack.loss_and_grads(Xs[:, k:k + step], ys[:, k:k + step])
                    if not np.all(np.isfinite(losses)):
                        bad = [seed for seed, value in zip(stack.seeds, losses) if not np.isfinite(value)]
                        raise TrainingDivergedError(
                            f"The loss of the nets with seeds {bad} became NaN or inf at epoch {epoch + 1}: "
                            f"training diverged. Try a smaller learning rate (it was {rates[epoch]:g}).")
                    optimizer.step(theta, dtheta)
                loss[epoch] += losses * (ys[:, k:k + step].shape[1] / m)
            bar.update(1)
    finally:
        bar.close()
    return StackedHistory(loss, rates)


def train_nets(layer_dims, seeds, X, y, optimizer, epochs=100, batch_size=None, **net_options):
    """Build a ``StackedMLP(layer_dims, seeds, **net_options)``, train it, and return ``(nets, history)``.

    ``nets`` is a list of ``model.MLP``, one per seed, as ``StackedMLP.nets`` gives them; ``history`` a
    ``StackedHistory``. The other arguments are those of ``StackedMLP`` and ``train``.
    """
    stack = StackedMLP(layer_dims, seeds, **net_options)
    history = train(stack, X, y, optimizer, epochs=epochs, batch_size=batch_size)
    return stack.nets(), history
