"""Several independent MLPs trained and evaluated at once: one seed per net, one batched product per layer. A facade.

A claim about training must hold across seeds, so the notebooks train the same net on 20 seeds or more.
Training them one after the other costs S times the fixed cost of every NumPy call of a step, which
dominates on the course's small nets; a stack pays it once for all S nets::

    nets, history = stacked.train_nets([2, 10, 5, 1], range(20), X, y, optimizers.Adam(0.01), epochs=1000)
    stacked.accuracies(nets, X_test, y_test)          # (20,), on 20,000 fresh points in a few products

* ``net``: ``StackedMLP`` (net s equals ``model.MLP(..., seed=seeds[s])``, to about 1e-12 in float64), and the
  evaluation of a list of same-shaped nets: ``accuracies``, ``losses``, ``predict_proba``;
* ``training``: ``train`` (``training.train`` net by net: mini-batches, dropout, validation and early stopping,
  schedules), ``train_nets`` and ``StackedHistory`` (one ``training.History`` per net);
* ``own_sets``: ``train_on_own_sets``, net s on its own training set (independent runs), with early stopping's
  weights kept for each validation set.
"""

from .net import EVAL_ROWS, StackedMLP, accuracies, losses, predict_proba
from .own_sets import PerSetRecord, train_on_own_sets
from .training import StackedHistory, train, train_nets

__all__ = ["StackedMLP", "StackedHistory", "train", "train_nets", "accuracies", "losses", "predict_proba", "EVAL_ROWS",
           "PerSetRecord", "train_on_own_sets"]
