"""The base class of every optimizer: it owns the bookkeeping, each subclass writes only its update.

Every optimizer is used the same way::

    opt = optimizers.Adam(learning_rate=1e-3)
    opt.step(params, grads)      # updates the arrays of ``params`` in place

``params`` and ``grads`` are dicts with the same keys (``"W1"``, ``"b1"``, ...). ``Optimizer.step``
checks them, evaluates the learning rate (a float, or a schedule called with the number of steps
already taken, as Keras does), calls ``update`` once per parameter, and counts the step. For the S nets
of a ``stacked.StackedMLP`` the rate may also be an array of S rates, one per net: every parameter
array then has one row per net (its first axis), and row s is updated at rate s, with the arithmetic
of a float rate (so S nets at S rates train as S stacks of one rate would, bit for bit).
A subclass keeps its state (moments) in ``self.slots``, one array per parameter name, created on
first use; every update is elementwise, so a parameter of any shape works. When ``params`` and
``grads`` are ``fastpath.PackedArrays`` of one layout (as ``model.MLP`` makes them), the base class
calls ``update`` on the flat buffers that hold every array, in chunks of ``PACKED_CHUNK`` entries: the
same arithmetic in one NumPy call per operation and chunk instead of one per array, with temporaries
small enough to stay in the CPU's cache (on a 1.9-million-weight net, Adam's update took 12 ms
unchunked). ``update`` then receives a ``slice`` of the flat buffers as ``name``. The state is packed
too, and ``slots[slot][name]`` are views into it. Only updates marked ``@elementwise`` (all of the
course's) are run this way: a subclass that overrides ``update`` without it gets one call per array,
with its name. Updates keep the parameters' dtype.
"""

import math
import numbers

import numpy as np

from .._validation import check_positive
from ..fastpath.packing import PackedArrays, flat_pair

PACKED_CHUNK = 1 << 15  # entries per update of packed parameters: 128 KB of float32, 256 KB of float64

_WHOLE = slice(None)  # the chunk that is all of a small buffer

#: The updates that are elementwise and use ``name`` only as a key for ``slot``: safe on packed chunks.
_ELEMENTWISE_UPDATES = set()


def elementwise(update):
    """Mark an ``update`` method as elementwise (safe on chunks of packed parameters); return it."""
    _ELEMENTWISE_UPDATES.add(update)
    return update


class Optimizer:
    """Base class. Subclasses implement ``update(name, param, grad, learning_rate)``."""

    def __init__(self, learning_rate):
        if callable(learning_rate):
            self.learning_rate = learning_rate
        elif isinstance(learning_rate, np.ndarray):  # a rate per net of a stack (see ``step``)
            if (learning_rate.ndim != 1 or not learning_rate.size or learning_rate.dtype.kind not in "iuf"
                    or not np.all(np.isfinite(learning_rate) & (learning_rate > 0))):
                raise ValueError(f"`learning_rate` as an array must hold one positive rate per net, shape (S,); "
                                 f"received {learning_rate!r}.")
            self.learning_rate = learning_rate.astype(np.float64)
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
            if not (isinstance(arrays, PackedArrays) and (arrays.layout is like.layout or arrays.layout == like.layout)
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
        """The learning rate the next step will use: a float, or the (S,) rates per net."""
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
        per_net = isinstance(lr, np.ndarray)
        if per_net:
            _check_rows(params, len(lr))
        if flat is None or type(self).update not in _ELEMENTWISE_UPDATES:
            for name, param in params.items():
                self.update(name, param, grads[name], _rows_rates(lr, param) if per_net else lr)
        else:  # packed alike: elementwise updates of the buffers, chunk by chunk, do every array
            self._packed_params = params
            try:
                theta, dtheta = flat
                rates = _flat_rates(lr, params) if per_net else None  # (P,) each entry's net's rate
                if theta.size <= PACKED_CHUNK:  # one chunk: the whole buffers, without slicing them
                    self.update(_WHOLE, theta, dtheta, rates if per_net else lr)
                else:
                    for start in range(0, theta.size, PACKED_CHUNK):
                        chunk = slice(start, start + PACKED_CHUNK)
                        self.update(chunk, theta[chunk], dtheta[chunk], rates[chunk] if per_net else lr)
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


def _check_rows(params, n_nets):
    """Per-net rates need every parameter array to hold one row per net (its first axis)."""
    for name, param in params.items():
        if np.ndim(param) == 0 or np.shape(param)[0] != n_nets:
            raise ValueError(f"a `learning_rate` of {n_nets} rates, one per net, needs every parameter array to have "
                             f"{n_nets} rows (a stack's); `{name}` has shape {np.shape(param)}.")


def _rows_rates(rates, param):
    """The (S,) rates shaped (S, 1, ...) against param (S, ...), in param's dtype: the same arithmetic as a float
    rate, which NumPy converts to a float32 parameter's dtype too."""
    return rates.astype(param.dtype).reshape(-1, *[1] * (param.ndim - 1))


def _flat_rates(rates, packed):
    """(P,) the rate of each entry of ``packed.flat``, array by array in its layout, in the buffer's dtype."""
    per_entry = np.concatenate([np.repeat(rates, math.prod(shape[1:])) for _, shape in packed.layout])
    return per_entry.astype(packed.flat.dtype)
