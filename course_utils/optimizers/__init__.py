"""Optimizers: one base class owns the bookkeeping, each subclass writes only its update. A facade.

Every optimizer is used the same way::

    opt = optimizers.Adam(learning_rate=1e-3)
    opt.step(params, grads)      # updates the arrays of ``params`` in place

Hyperparameter names and defaults follow ``keras.optimizers``.

* ``base``: ``Optimizer``, the loop over parameters, the step count, schedules, state slots, and the
  packed update of a ``model.MLP``'s parameters;
* ``momentum``: ``GD``, ``Momentum`` (the lecture's EMA form) and ``SGD`` (Keras's, with Nesterov);
* ``adaptive``: ``Adagrad``, ``RMSprop``, ``Adam`` and ``AdamW``, with both placements of epsilon;
* ``blockwise``: ``Blockwise``, several optimizers in one stack of nets, each updating its own block of nets.
"""

from .adaptive import EPSILON_FORMS, Adagrad, Adam, AdamW, RMSprop
from .base import PACKED_CHUNK, Optimizer
from .blockwise import Blockwise
from .momentum import GD, SGD, Momentum

__all__ = ["Optimizer", "GD", "Momentum", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Blockwise", "EPSILON_FORMS",
           "PACKED_CHUNK"]
