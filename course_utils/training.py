"""Mini-batches and the training loop.

``train`` needs only the seam every model here offers: a ``params`` dict and
``loss_and_grads(X, y) -> (loss, grads)``. It returns a ``History`` and prints nothing, unless a
run is long and interactive, when a tqdm progress bar appears (never under pytest, nbval or
``make notebooks``, which set ``COURSE_UTILS_PROGRESS=0``). ``tqdm.auto`` picks the bar: in a
Jupyter kernel an ipywidgets bar, which is hidden when the run ends and leaves nothing in the
output area (a text bar there leaves an empty stderr band); in a terminal a text bar.
"""

import contextlib
import dataclasses
import math
import os
import sys

import numpy as np
from tqdm.auto import tqdm  # a widget bar in Jupyter, a text bar in a terminal

from .fastpath import blas_threads
from ._validation import as_float_array, check_int, check_seed, make_rng


PROGRESS_DELAY_S = 1.0  # the bar appears only once a run has taken this long: short runs stay silent


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or inf: the learning rate is too large (or the init is)."""


@dataclasses.dataclass
class History:
    """What ``train`` records, one entry per epoch.

    Attributes:
        loss: the mean training cost over the epoch's mini-batches (as the optimizer saw it,
            dropout included), computed before each batch's update.
        accuracy: training accuracy at the end of each epoch, if ``track_accuracy`` was set.
        learning_rate: the learning rate of the epoch's first step.
        val_loss: with validation data, ``model.loss`` on it after each epoch's updates (for an
            ``MLP``: the cost without dropout, L2 penalty included).
        val_accuracy: the validation accuracy after each epoch, if ``track_accuracy`` was set.
        best_epoch: with validation data, the (1-based) epoch whose weights had the lowest
            ``val_loss`` (the first one, on ties); None without validation data.
    """

    loss: list = dataclasses.field(default_factory=list)
    accuracy: list = dataclasses.field(default_factory=list)
    learning_rate: list = dataclasses.field(default_factory=list)
    val_loss: list = dataclasses.field(default_factory=list)
    val_accuracy: list = dataclasses.field(default_factory=list)
    best_epoch: "int | None" = None

    @property
    def epochs(self):
        return len(self.loss)

    def first_epoch_below(self, target):
        """The first epoch (1-based) whose loss is <= ``target``, or None if none is.

        ``loss[k - 1]`` is measured before epoch k's updates, so in full-batch training epoch k's
        loss is the cost after k - 1 steps.
        """
        hits = np.flatnonzero(np.asarray(self.loss) <= target)
        return int(hits[0]) + 1 if hits.size else None


def random_mini_batches(X, y, batch_size, rng=None, seed=None):
    """Shuffle the rows of (X, y) together, then cut them into batches of ``batch_size``.

    The last batch holds the ``m % batch_size`` leftover rows when m is not a multiple.

    Returns:
        A list of ``(X_batch, y_batch)`` with shapes ``(b, n)`` and ``(b,)``.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"`X` and `y` must have the same number of rows; received {X.shape[0]} and {y.shape[0]}.")
    batch_size = check_int(batch_size, "batch_size", 1)
    order = make_rng(rng, seed).permutation(X.shape[0])
    X, y = X[order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, X.shape[0], batch_size)]


def _progress_enabled(progress):
    if progress is not None:
        return bool(progress)
    if os.environ.get("COURSE_UTILS_PROGRESS", "1") == "0" or "PYTEST_CURRENT_TEST" in os.environ:
        return False
    return "ipykernel" in sys.modules or sys.stderr.isatty()


def progress_bar(total, progress=None):
    """The epoch bar of ``train`` (and ``stacked.train``): shown after ``PROGRESS_DELAY_S`` if enabled, gone at the end.

    ``progress`` as for ``train``: True or False, or None for "only in an interactive session".
    """
    return tqdm(total=total, desc="epochs", delay=PROGRESS_DELAY_S, disable=not _progress_enabled(progress),
                leave=False)  # leave=False: the bar disappears when the run ends


def _check_validation(X, X_val, y_val, patience):
    """``(X_val, y_val, patience)`` checked: X_val as a float array, or None for both without validation data."""
    if patience is not None:
        patience = check_int(patience, "patience", 1)
        if X_val is None:
            raise ValueError(f"`patience` needs validation data: pass X_val and y_val; received patience={patience} "
                             "and X_val=None.")
    if X_val is None and y_val is None:
        return None, None, patience
    if X_val is None or y_val is None:
        raise ValueError("Pass both `X_val` and `y_val` for validation, or neither; received only one.")
    X_val = as_float_array(X_val, "X_val", ndim=2, dtype=X.dtype)
    if X_val.shape[1] != X.shape[1]:
        raise ValueError(f"`X_val` must have {X.shape[1]} columns, like X; received shape {X_val.shape}.")
    y_val = np.asarray(y_val)
    if y_val.shape != (X_val.shape[0],):
        raise ValueError(f"`y_val` must have shape ({X_val.shape[0]},), one label per row of X_val; "
                         f"received shape {y_val.shape}.")
    return X_val, y_val, patience


def train(model, X, y, optimizer, epochs=100, batch_size=None, seed=0, track_accuracy=False, progress=None,
          X_val=None, y_val=None, patience=None):
    """Train ``model`` in place with ``optimizer``; return a ``History``.

    Args:
        model: anything with ``params`` and ``loss_and_grads(X, y)`` (an ``MLP``).
        X: (m, n_0) inputs. y: (m,) integer labels.
        optimizer: an ``optimizers.Optimizer``.
        epochs: passes over the data.
        batch_size: rows per step; None (or >= m) means full-batch gradient descent.
        seed: seeds the shuffling of mini-batches (epoch e uses a fresh permutation).
        track_accuracy: also record training accuracy per epoch (costs a forward pass).
        progress: show a tqdm bar; None means "if interactive", and the bar appears only
            when the run takes more than a second.
        X_val, y_val: optional validation data (m_val, n_0) and (m_val,). After each epoch
            ``model.loss(X_val, y_val)`` is recorded in ``History.val_loss`` (the model needs a
            ``loss`` method), and ``History.best_epoch`` is the epoch where it was lowest.
        patience: early stopping (needs validation data): stop once ``patience`` epochs have passed
            without a lower validation loss, and put back the weights of the best epoch. Training
            therefore stops at epoch ``best_epoch + patience`` at the latest. None trains all
            ``epochs`` and keeps the last weights.

    ``X`` is converted once to the model's ``dtype`` (float64 if it has none). A model with ``check_data``
    and ``loss_and_grads_checked`` (an ``MLP``) has X and y checked once, here, and each step writes its
    gradients into the previous step's arrays: an optimizer must not keep the ``grads`` it is given (none
    in ``optimizers`` does). Small nets train with one BLAS thread (see ``fastpath.blas_threads``), which is faster
    on them; the setting is restored at the end.

    Raises:
        TrainingDivergedError: the loss became NaN or inf; the message gives the epoch.
    """
    X = as_float_array(X, "X", ndim=2, dtype=getattr(model, "dtype", np.float64))  # once, in the model's dtype
    y = np.asarray(y)
    checked_once = hasattr(model, "check_data") and hasattr(model, "loss_and_grads_checked")  # an MLP
    if checked_once:
        X, y = model.check_data(X, y)
    grads = None
    epochs = check_int(epochs, "epochs", 1)
    m = X.shape[0]
    full_batch = batch_size is None or check_int(batch_size, "batch_size", 1) >= m
    rng = make_rng(seed=check_seed(seed))
    X_val, y_val, patience = _check_validation(X, X_val, y_val, patience)
    history = History()
    best_params = None
    batch_rows = m if full_batch else batch_size
    with (contextlib.closing(progress_bar(epochs, progress)) as bar, blas_threads.threads_for(model.params, batch_rows),
          np.errstate(over="ignore", invalid="ignore")):  # a divergence is reported below, with its epoch
        for epoch in range(1, epochs + 1):
            batches = [(X, y)] if full_batch else random_mini_batches(X, y, batch_size, rng=rng)
            history.learning_rate.append(optimizer.current_learning_rate())
            total = 0.0
            for X_batch, y_batch in batches:
                if checked_once:  # no checks per step; the last step's gradients, used by now, are overwritten
                    loss, grads = model.loss_and_grads_checked(X_batch, y_batch, out=grads)
                else:
                    loss, grads = model.loss_and_grads(X_batch, y_batch)
                if not math.isfinite(loss):
                    raise TrainingDivergedError(
                        f"The loss became {loss} at epoch {epoch}: training diverged. "
                        f"Try a smaller learning rate (it was {history.learning_rate[-1]:g})."
                    )
                optimizer.step(model.params, grads)
                total += loss * X_batch.shape[0]
            history.loss.append(total / m)
            if track_accuracy:
                history.accuracy.append(model.accuracy(X, y))
            bar.update(1)
            if epoch % 100 == 0:
                bar.set_postfix(loss=f"{history.loss[-1]:.4f}", refresh=False)
            if X_val is not None:
                history.val_loss.append(float(model.loss(X_val, y_val)))
                if track_accuracy:
                    history.val_accuracy.append(model.accuracy(X_val, y_val))
                if history.best_epoch is None or history.val_loss[-1] < history.val_loss[history.best_epoch - 1]:
                    history.best_epoch = epoch
                    if patience is not None:
                        best_params = {key: value.copy() for key, value in model.params.items()}
                elif patience is not None and epoch - history.best_epoch >= patience:
                    break
    if best_params is not None:  # early stopping: back to the best epoch's weights, in the same arrays
        for key, value in best_params.items():
            model.params[key][...] = value
        epochs = history.epochs
    bad = [name for name, value in model.params.items() if not np.isfinite(value).all()]
    if bad:  # the last step overflowed after the last loss was computed
        raise TrainingDivergedError(f"Parameters {bad} became NaN or inf at epoch {epochs}: training diverged. "
                                    f"Try a smaller learning rate (it was {history.learning_rate[-1]:g}).")
    return history
