"""Independent runs: net s of a ``StackedMLP`` trained on its own training set ``(X[s], y[s])``, all at once.

A seed varies only a net's initial weights and shuffles; an experiment about regularization also needs the
luck of the training set, so each run gets a training set and a seed of its own, and a sign test over runs
compares independent training sets. ``train_on_own_sets`` trains them together (one batched product per
layer), with a lambda per net if asked, and keeps, for each validation set (a stopping rule), the weights early
stopping would keep, while training on to the end: one training pass gives every rule's nets.
"""

import numpy as np

from .._validation import check_int
from ..regularization import check_l2
from ..fastpath import backprop, blas_threads, cross_entropy


class PerSetRecord:
    """What ``train_on_own_sets`` records: each net's training cost, and for each validation set (a stopping rule)
    the validation cost, the best epoch and the weights of that epoch.

    Attributes:
        loss: (epochs, S) each net's training cost per epoch (under dropout: with that step's masks; without the
            per-net ``l2`` penalty).
        val_loss: ``{name: (epochs, S)}`` the cost on that validation set after each epoch, NaN once the net stopped.
        best_epoch: ``{name: (S,)}`` each net's epoch (1-based) of lowest validation cost, before it stopped.
        best_theta: ``{name: (S, P)}`` each net's parameters at that epoch (the stack's ``theta`` layout).
    """

    def __init__(self, loss, val_loss, best_epoch, best_theta):
        self.loss, self.val_loss, self.best_epoch, self.best_theta = loss, val_loss, best_epoch, best_theta

    def best_nets(self, stack, name):
        """The S nets of ``stack`` as ``model.MLP``, each with its weights of ``best_epoch[name]``."""
        theta = stack.theta.copy()
        stack.theta[...] = self.best_theta[name]
        try:
            return stack.nets()
        finally:
            stack.theta[...] = theta


def train_on_own_sets(stack, X, y, optimizer, epochs, batch_size=None, l2=None, validation=None, patience=None):
    """Train net s of ``stack`` on its own training set ``(X[s], y[s])``, all S nets at once.

    Net s trains exactly as ``stacked.train_nets(layer_dims, [seed_s], X[s], y[s], ...)`` trains it alone (the same
    steps, mini-batch shuffles and dropout masks), so S nets on S training sets cost one stacked step per batch.
    Each entry of ``validation`` is an early-stopping rule: for each net, its epoch of lowest cost on that
    validation set, and the weights of that epoch, as long as the net has not gone ``patience`` epochs without
    a new lowest cost (``stacked.train_nets(..., X_val, y_val, patience)`` gives it those weights back). Unlike
    ``train_nets``, training goes on to the last epoch: one run gives the net trained to the end and, for every
    rule, the net that rule keeps.

    Args:
        stack: a ``stacked.StackedMLP`` of S nets with a sigmoid output (one unit) or a softmax output.
        X: (S, m, n_0) one training set per net. y: (S, m) integer labels.
        optimizer: a fresh optimizer; epochs: passes over each training set; batch_size: None for full batch.
        l2: None, or (S,) a lambda per net, added to each dW as (lambda / b) W (``l2_gradient``; keep the
            stack's own ``l2`` at 0).
        validation: ``{name: (X_val, y_val)}``: X_val (S, m_v, n_0), one validation set per net, or (m_v, n_0),
            one for all; y_val (S, m_v) or (m_v,). patience: epochs without a new lowest cost before a net's
            rule stops watching it (None: never).
    Returns:
        A ``PerSetRecord``.
    """
    X, y = np.asarray(X, dtype=stack.dtype), np.asarray(y)
    S = stack.n_nets
    if X.ndim != 3 or X.shape[0] != S or X.shape[2] != stack.layer_dims[0] or y.shape != X.shape[:2]:
        raise ValueError(f"`X` and `y` must have shapes ({S}, m, {stack.layer_dims[0]}) and ({S}, m), one training "
                         f"set per net; received {X.shape} and {y.shape}.")
    y = np.stack([stack.check_data(x, labels)[1] for x, labels in zip(X, y)])
    epochs, m = check_int(epochs, "epochs", 1), y.shape[1]
    batch = m if batch_size is None else min(check_int(batch_size, "batch_size", 1), m)
    lambdas = None if l2 is None else np.array([check_l2(value) for value in np.ravel(l2)])
    if lambdas is not None and (lambdas.shape != (S,) or stack.l2):
        raise ValueError(f"`l2` must give one lambda per net ({S}) to a stack whose own l2 is 0; received "
                         f"{np.shape(l2)} with stack.l2={stack.l2!r}.")
    rules = {}
    for name, (X_val, y_val) in (validation or {}).items():
        X_val, y_val = np.asarray(X_val, dtype=stack.dtype), np.asarray(y_val)
        checked = [stack.check_data(x, labels, "X_val", "y_val")[1]
                   for x, labels in (zip(X_val, y_val) if X_val.ndim == 3 else [(X_val, y_val)])]
        if X_val.ndim == 3 and len(checked) != S:
            raise ValueError(f"`X_val` must have one validation set per net ({S}); received {X_val.shape[0]}.")
        rules[name] = (backprop.with_ones(X_val.swapaxes(-1, -2)), np.stack(checked) if X_val.ndim == 3 else checked[0])
    val_loss = {name: np.full((epochs, S), np.nan) for name in rules}
    best_epoch = {name: np.zeros(S, dtype=np.int64) for name in rules}
    best_theta = {name: stack.theta.copy() for name in rules}
    watching = {name: np.ones(S, dtype=bool) for name in rules}
    loss = np.zeros((epochs, S))
    Xa = backprop.with_ones(X.swapaxes(1, 2))  # (S, n_0 + 1, m)
    if batch < m:  # the examples as rows, one block of m rows per net, to gather each epoch's shuffles from
        rows, first_row = np.ascontiguousarray(Xa.swapaxes(1, 2)).reshape(S * m, -1), m * np.arange(S)[:, None]
        shuffled = np.empty_like(Xa)
    shufflers = [np.random.default_rng(seed) for seed in stack.seeds]  # as stacked.train_nets shuffles
    with blas_threads.threads_for({key: value[0] for key, value in stack.params.items()}, batch):
        for epoch in range(epochs):
            if batch < m:
                order = np.empty((S, m), dtype=np.int64)
                for row, rng in zip(order, shufflers):
                    row[...] = np.arange(m)
                    rng.shuffle(row)
                gathered = rows.take((order + first_row).ravel(), axis=0).reshape(S, m, -1)  # a gather of rows
                shuffled[...] = gathered.swapaxes(1, 2)  # is several times faster than take_along_axis on Xa's columns
                inputs, labels = shuffled, np.take_along_axis(y, order, 1)
            else:
                inputs, labels = Xa, y
            total = np.zeros(S)
            for start in range(0, m, batch):
                cost = stack.step(inputs[:, :, start:start + batch], labels[:, start:start + batch])
                if lambdas is not None:
                    b = labels[:, start:start + batch].shape[1]
                    for key, W in stack.params.items():
                        if key[0] == "W":
                            stack.grads[key] += (lambdas / b)[:, None, None] * W
                stack.update(optimizer)
                total += min(batch, m - start) * cost.astype(np.float64, copy=False)  # as stacked.train: float64 sums
            loss[epoch] = total / m
            for name, (Xa_val, y_val) in rules.items():
                on = np.flatnonzero(watching[name])  # only the nets this rule still watches
                if not len(on):
                    continue
                blocks = stack.blocks if len(on) == S else [block[on] for block in stack.blocks]
                Xa_on, y_on = (Xa_val[on], y_val[on]) if y_val.ndim == 2 and len(on) < S else (Xa_val, y_val)
                Z = backprop.forward(blocks, Xa_on, stack.hidden_activation)[0]  # (watched, n_L, m_v)
                costs = (cross_entropy.sigmoid_cross_entropy(Z[:, 0], y_on)[0] if Z.shape[1] == 1
                         else cross_entropy.softmax_cross_entropy(Z, y_on)[0]) / Xa_val.shape[-1]
                costs = costs + stack.l2_penalty(Xa_val.shape[-1])[on]
                val_loss[name][epoch, on] = costs
                best = best_epoch[name]
                improved = on[(best[on] == 0) | (costs < val_loss[name][np.maximum(best[on], 1) - 1, on])]
                best[improved] = epoch + 1
                best_theta[name][improved] = stack.theta[improved]
                if patience is not None:
                    watching[name][on] = epoch + 1 - best[on] < patience
    if not np.isfinite(stack.theta).all():
        raise FloatingPointError("training diverged: a parameter became NaN or inf; try a smaller learning rate.")
    return PerSetRecord(loss, val_loss, best_epoch, best_theta)
