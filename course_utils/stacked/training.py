"""Training S stacked nets at once, each exactly as ``training.train`` trains it alone.

``train(stack, X, y, optimizer, ...)`` runs the loop of ``training.train`` for every net of a
``StackedMLP`` together: net s shuffles its mini-batches with ``np.random.default_rng(seeds[s])`` (as
``training.train(..., seed=seeds[s])`` does), draws its dropout masks from its own generator, records its
loss, accuracy and validation loss per epoch, keeps its own best epoch, and with ``patience`` stops at
best + patience and gets its best weights back. The loop ends when every net has stopped; a net that has
stopped still rides along in the products, but nothing of it is recorded or checked, and nothing of it
reaches the others. One optimizer updates the (S, P) array of all parameters: its updates are elementwise,
so each net gets the update it would get alone, at the learning rate of the same step count.

``train_nets(layer_dims, seeds, X, y, optimizer, ...)`` builds the stack, trains it, and returns
``(nets, history)``: one ``model.MLP`` per seed and a ``StackedHistory``, one ``training.History`` per net.
"""

import contextlib

import numpy as np

from .._validation import check_int
from ..fastpath import backprop, blas_threads
from ..training import History, TrainingDivergedError, _check_validation, progress_bar
from .net import StackedMLP

_FIELDS = ("loss", "accuracy", "val_loss", "val_accuracy")


class StackedHistory(list):
    """One ``training.History`` per net, in seed order (a list), and the nets' figures side by side as arrays.

    ``history[s]`` is net s's History, as ``training.train`` returns it for that net alone (cut at the epoch
    where early stopping stopped it). ``loss``, ``accuracy``, ``val_loss`` and ``val_accuracy`` are
    (epochs, S) arrays with NaN after a net stopped; ``learning_rate`` is (epochs,), shared by the nets.
    """

    def __init__(self, histories, seeds):
        super().__init__(histories)
        self.seeds = list(seeds)

    def histories(self):
        """The per-net ``training.History`` objects, as a plain list."""
        return list(self)

    loss = property(lambda self: self._columns("loss"), doc="(epochs, S) each net's training cost per epoch.")
    accuracy = property(lambda self: self._columns("accuracy"), doc="(epochs, S) training accuracy, if tracked.")
    val_loss = property(lambda self: self._columns("val_loss"), doc="(epochs, S) validation cost per epoch.")
    val_accuracy = property(lambda self: self._columns("val_accuracy"), doc="(epochs, S) validation accuracy.")

    @property
    def learning_rate(self):
        """(epochs,) the learning rate of each epoch's first step, of the net that trained longest (the same for
        every net, unless the optimizer has a rate per net: then ``history[s].learning_rate`` is net s's)."""
        return np.array(max(self, key=lambda history: history.epochs).learning_rate)

    @property
    def epochs(self):
        """(S,) the epochs each net trained for."""
        return np.array([history.epochs for history in self])

    @property
    def best_epoch(self):
        """(S,) each net's best epoch (1-based), or None without validation data."""
        return None if self[0].best_epoch is None else np.array([history.best_epoch for history in self])

    def last(self, field="loss"):
        """(S,) each net's last recorded value of ``field`` (``"loss"``, ``"val_loss"``, ...)."""
        return np.array([getattr(history, field)[-1] for history in self])

    def _columns(self, field):
        table = np.full((max(self.epochs), len(self)), np.nan)
        for s, history in enumerate(self):
            values = getattr(history, field)
            table[:len(values), s] = values
        return table


def train(stack, X, y, optimizer, epochs=100, batch_size=None, track_accuracy=False, progress=None,
          X_val=None, y_val=None, patience=None, shuffle_seeds=None):
    """Train every net of ``stack`` on (X, y), each as ``training.train(net, X, y, ..., seed=seed)`` would.

    Args:
        stack: a ``StackedMLP``. X: (m, n_0). y: (m,) integer labels.
        optimizer: a fresh ``optimizers.Optimizer`` (a float or a schedule as learning rate, or an (S,) array of
            rates, one per net); it updates ``stack.theta`` as one array.
        epochs, batch_size, track_accuracy, progress, X_val, y_val, patience: as for ``training.train``,
            net by net (see the module docstring).
        shuffle_seeds: one seed per net for the order of its mini-batches (``training.train``'s ``seed``), or None
            for the nets' own seeds. Apart from the initial weights, it separates the two things a seed decides.
    Returns:
        A ``StackedHistory``: one ``training.History`` per net.
    Raises:
        TrainingDivergedError: the loss or the weights of a net still training became NaN or inf; the message
        names its seed and the epoch.
    """
    if not isinstance(stack, StackedMLP):
        raise TypeError(f"`stack` must be a stacked.StackedMLP; received {type(stack).__name__}.")
    X, y = stack.check_data(X, y)
    epochs = check_int(epochs, "epochs", 1)
    m, S = len(y), stack.n_nets
    full_batch = batch_size is None or check_int(batch_size, "batch_size", 1) >= m
    X_val, y_val, patience = _check_validation(X, X_val, y_val, patience)
    if X_val is not None:
        X_val, y_val = stack.check_data(X_val, y_val, "X_val", "y_val")
    shuffle_seeds = stack.seeds if shuffle_seeds is None else list(shuffle_seeds)
    if len(shuffle_seeds) != S:
        raise ValueError(f"`shuffle_seeds` must hold one seed per net ({S}); received {len(shuffle_seeds)}.")
    rate = optimizer.current_learning_rate()
    if isinstance(rate, np.ndarray) and rate.shape != (S,):
        raise ValueError(f"the optimizer's `learning_rate` must give one rate per net ({S}) when it is an array; "
                         f"received {rate.size} rates.")
    shufflers, shuffler_of, position = [], [], {}  # nets that share an int seed shuffle alike: one generator
    for s, seed in enumerate(shuffle_seeds):
        key = int(seed) if isinstance(seed, (int, np.integer)) else ("net", s)
        if key not in position:
            position[key] = len(shufflers)
            shufflers.append(np.random.default_rng(seed))  # training.train's make_rng(seed=seed)
        shuffler_of.append(position[key])
    record = {field: np.full((epochs, S), np.nan) for field in _FIELDS}  # (epoch, net)
    rates = np.zeros((epochs, S))  # each net's rate at each epoch's first step: one for all, or one per net
    stopping = _EarlyStopping(stack, patience, epochs)
    Xa = backprop.with_ones(X.T)  # (n_0 + 1, m): the inputs as columns, with the row of ones of the biases
    with (contextlib.closing(progress_bar(epochs, progress)) as bar,
          blas_threads.threads_for({key: value[0] for key, value in stack.params.items()}, batch_size or m),
          np.errstate(over="ignore", invalid="ignore")):  # a divergence is reported below, with its epoch
        for epoch in range(1, epochs + 1):
            rates[epoch - 1] = optimizer.current_learning_rate()
            total = np.zeros(S)
            for inputs, labels in _batches(Xa, y, None if full_batch else batch_size, shufflers, shuffler_of):
                losses = stack.step(inputs, labels)
                if not np.isfinite(losses).all() and not np.isfinite(losses[stopping.training]).all():
                    diverged = stopping.training & ~np.isfinite(losses)
                    raise TrainingDivergedError(
                        f"The loss of the nets with seeds {_seeds(stack, diverged)} became NaN or inf at epoch {epoch}: "
                        f"training diverged. Try a smaller learning rate (it was {_rates(rates[epoch - 1], diverged)}).")
                stack.update(optimizer)
                total += labels.shape[-1] * losses.astype(np.float64, copy=False)  # as train(): float64 sums
            record["loss"][epoch - 1] = total / m
            if track_accuracy:
                record["accuracy"][epoch - 1] = stack.accuracy(X, y)
            bar.update(1)
            if X_val is not None:
                record["val_loss"][epoch - 1] = stack.loss(X_val, y_val)
                if track_accuracy:
                    record["val_accuracy"][epoch - 1] = stack.accuracy(X_val, y_val)
                if stopping.update(epoch, record["val_loss"]):
                    break
    stopping.finish()
    diverged = ~np.isfinite(stack.theta).all(axis=1)
    if diverged.any():  # the last step overflowed after the last loss was computed
        raise TrainingDivergedError(f"Parameters of the nets with seeds {_seeds(stack, diverged)} became NaN or inf: "
                                    f"training diverged. Try a smaller learning rate (it was "
                                    f"{_rates(rates[epoch - 1], diverged)}).")
    has_val = X_val is not None
    histories = [History(loss=record["loss"][:n, s].tolist(), learning_rate=rates[:n, s].tolist(),
                         accuracy=record["accuracy"][:n, s].tolist() if track_accuracy else [],
                         val_loss=record["val_loss"][:n, s].tolist() if has_val else [],
                         val_accuracy=record["val_accuracy"][:n, s].tolist() if has_val and track_accuracy else [],
                         best_epoch=int(stopping.best_epoch[s]) if has_val else None)
                 for s, n in enumerate(stopping.epochs_run)]
    return StackedHistory(histories, stack.seeds)


class _EarlyStopping:
    """Each net's best epoch, best weights and stop, as ``training.train`` keeps them for one net.

    Attributes:
        training: (S,) True for the nets that have not stopped.
        best_epoch: (S,) each net's epoch (1-based) of lowest validation loss so far, the first on ties; 0 before any.
        epochs_run: (S,) the epochs each net trained for: its stop, best + patience, or all of them.
    """

    def __init__(self, stack, patience, epochs):
        self.stack, self.patience = stack, patience
        self.training = np.ones(stack.n_nets, dtype=bool)
        self.best_epoch = np.zeros(stack.n_nets, dtype=np.int64)
        self.epochs_run = np.full(stack.n_nets, epochs)
        self.best_theta = stack.theta.copy() if patience is not None else None
        self.rng_states = {}  # net -> its dropout generator's state when it stopped: it draws no more masks

    def update(self, epoch, val_loss):
        """Record epoch ``epoch`` (1-based) from the (epochs, S) validation losses; True once every net has stopped."""
        nets = np.arange(self.stack.n_nets)
        improved = self.training & ((self.best_epoch == 0) | (val_loss[epoch - 1] < val_loss[self.best_epoch - 1, nets]))
        self.best_epoch[improved] = epoch
        if self.patience is None:
            return False
        self.best_theta[improved] = self.stack.theta[improved]
        stopped = self.training & ~improved & (epoch - self.best_epoch >= self.patience)
        self.epochs_run[stopped], self.training[stopped] = epoch, False
        self.rng_states.update({s: self.stack.rngs[s].bit_generator.state for s in np.flatnonzero(stopped)})
        return not self.training.any()

    def finish(self):
        """With patience, every net back to its best epoch's weights, and its generator to where it stopped."""
        if self.patience is not None:
            self.stack.theta[...] = self.best_theta
        for s, state in self.rng_states.items():
            self.stack.rngs[s].bit_generator.state = state


def _seeds(stack, nets):
    """The seeds of the nets marked True in ``nets`` (S,)."""
    return [seed for seed, marked in zip(stack.seeds, nets) if marked]


def _rates(rates, nets):
    """The learning rates (S,) of the nets marked True, for a message: "0.1", or "0.1, 1" for several."""
    return ", ".join(f"{rate:g}" for rate in sorted(set(rates[nets].tolist())))


def _batches(Xa, y, batch_size, shufflers, shuffler_of):
    """``[(Xa, y)]`` of one epoch: the whole (n_0 + 1, m) inputs and (m,) labels for a full batch, or per mini-batch
    of each net's own shuffle (``training.random_mini_batches`` with its generator, ``shufflers[shuffler_of[s]]``),
    (S, n_0 + 1, b) and (S, b)."""
    if batch_size is None:
        return [(Xa, y)]
    order = np.empty((len(shufflers), len(y)), dtype=np.int64)
    for row, rng in zip(order, shufflers):
        row[...] = np.arange(len(y))
        rng.shuffle(row)  # the numbers of rng.permutation(m), as random_mini_batches draws them
    order = order[shuffler_of]  # (S, m): each net's order
    Xa, labels = np.take(Xa, order, axis=1).swapaxes(0, 1), y[order]  # (S, n_0 + 1, m), (S, m)
    return [(Xa[:, :, k:k + batch_size], labels[:, k:k + batch_size]) for k in range(0, len(y), batch_size)]


def train_nets(layer_dims, seeds, X, y, optimizer, epochs=100, batch_size=None, X_val=None, y_val=None, patience=None,
               track_accuracy=False, progress=None, shuffle_seeds=None, **net_options):
    """Train one net per seed, all together; return ``(nets, history)``.

    Builds ``StackedMLP(layer_dims, seeds, **net_options)`` (``net_options``: ``hidden_activation``, ``init``,
    ``l2``, ``keep_prob``, ``init_scale``, ``dtype``), trains it with ``train`` and returns ``nets``, a list of
    ``model.MLP`` (net s equals ``model.MLP(layer_dims, ..., seed=seeds[s])`` trained alone by
    ``training.train(..., seed=seeds[s])``), and ``history``, a ``StackedHistory`` (``history[s]`` is net s's
    ``training.History``; ``history.loss`` is the (epochs, S) array). ``shuffle_seeds``: as for ``train``.
    """
    stack = StackedMLP(layer_dims, seeds, **net_options)
    history = train(stack, X, y, optimizer, epochs=epochs, batch_size=batch_size, track_accuracy=track_accuracy,
                    progress=progress, X_val=X_val, y_val=y_val, patience=patience, shuffle_seeds=shuffle_seeds)
    return stack.nets(), history
