"""Several optimizers in one stack: each one updates its own block of consecutive nets.

Three stacks of 20 nets, one trained by GD, one by Momentum and one by Adam, can be trained as one
stack of 60 nets, with one forward and backward pass per step instead of three::

    opt = optimizers.Blockwise([optimizers.GD(0.1), optimizers.Momentum(0.1), optimizers.Adam(0.001)], sizes=20)
    stacked.train_nets(layers, seeds * 3, X, y, opt, ...)    # nets 0-19 GD's, 20-39 Momentum's, 40-59 Adam's

Every parameter array of a stack has one row per net (its first axis). ``Blockwise.step`` hands rows
``[start, stop)`` of every array, as views, to the optimizer of that block, which updates them in place
with the arithmetic it would use on a stack of those nets alone (a ``PackedArrays`` block stays packed).
A net's forward and backward pass never mixes nets, so each net trains bit for bit as it would in its
own stack (tests/test_optimizers_blockwise.py). What one stack saves is the fixed cost of a step: on the
course's smallest nets that is most of it (the Optimization_methods notebook).

Each block's optimizer keeps its own state and step count, so give each block a fresh optimizer of its
own. The rate of net s (``current_learning_rate()[s]``) is its block's rate.
"""

import numbers

import numpy as np

from ..fastpath.packing import PackedArrays
from .base import Optimizer


class Blockwise(Optimizer):
    """``optimizers[k]`` updates the k-th block of ``sizes[k]`` consecutive nets of a stack (see the module docstring).

    Args:
        optimizers: a list of fresh ``Optimizer`` objects, one per block, none of them twice.
        sizes: the number of nets in each block: one int for blocks of equal size, or one int per optimizer.
    Attributes:
        optimizers, sizes (a list of ints), iterations (steps taken).
    """

    def __init__(self, optimizers, sizes):
        optimizers = list(optimizers)
        if not optimizers or not all(isinstance(opt, Optimizer) for opt in optimizers):
            raise TypeError(f"`optimizers` must be a non-empty list of optimizers (optimizers.GD(0.1), ...); "
                            f"received {optimizers!r}.")
        if len({id(opt) for opt in optimizers}) != len(optimizers):
            raise ValueError("`optimizers` holds the same optimizer object twice: each block needs its own, since an "
                             "optimizer keeps the state (velocities, moments, step count) of the nets it updates.")
        if any(isinstance(opt, Blockwise) for opt in optimizers):
            raise TypeError("`optimizers` must not hold a Blockwise: give the blocks' optimizers directly.")
        given = sizes
        sizes = [sizes] * len(optimizers) if np.ndim(sizes) == 0 else list(sizes)
        if len(sizes) != len(optimizers) or not all(
                isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1 for n in sizes):
            raise ValueError(f"`sizes` must be a positive int, or one positive int per optimizer ({len(optimizers)}); "
                             f"received {given!r}.")
        self.optimizers, self.sizes = optimizers, [int(n) for n in sizes]
        self.n_nets = sum(self.sizes)
        self.iterations = 0
        self.slots = {}  # the state is the blocks' optimizers'

    @property
    def learning_rate(self):
        """The blocks' learning rates, as given to their optimizers (floats, schedules or arrays)."""
        return [opt.learning_rate for opt in self.optimizers]

    def current_learning_rate(self):
        """(S,) the rate of every net: its block's rate (an array rate of a block gives each of its nets its own)."""
        rates = []
        for k, (opt, n) in enumerate(zip(self.optimizers, self.sizes)):
            rate = np.asarray(opt.current_learning_rate(), dtype=np.float64)
            if rate.ndim and rate.shape != (n,):
                raise ValueError(f"block {k} ({type(opt).__name__}) has {n} nets but its `learning_rate` array holds "
                                 f"{rate.size} rates: give it one rate per net of its block, or one float.")
            rates.append(np.broadcast_to(rate, (n,)))
        return np.concatenate(rates)

    def step(self, params, grads):
        """One step of every block's optimizer on its rows of ``params`` (in place), with the same rows of ``grads``."""
        for name, arrays in (("params", params), ("grads", grads)):
            for key, array in arrays.items():
                if np.ndim(array) == 0 or np.shape(array)[0] != self.n_nets:
                    raise ValueError(f"Blockwise with sizes {self.sizes} updates a stack of {self.n_nets} nets: every "
                                     f"array needs {self.n_nets} rows, one per net; `{name}[{key!r}]` has shape "
                                     f"{np.shape(array)}.")
        start = 0
        for opt, n in zip(self.optimizers, self.sizes):
            opt.step(_rows(params, start, start + n), _rows(grads, start, start + n))
            start += n
        self.iterations += 1

    def update(self, name, param, grad, learning_rate):
        raise TypeError("Blockwise has no update of its own: its step hands each block to that block's optimizer.")

    def _hyperparameters(self):
        return {"optimizers": self.optimizers, "sizes": self.sizes}


def _rows(arrays, start, stop):
    """Rows [start, stop) of every array of ``arrays``, as views: a ``PackedArrays`` when ``arrays`` is one that holds
    a single array (a stack's theta, whose rows are consecutive in its buffer), else a plain dict."""
    if isinstance(arrays, PackedArrays) and len(arrays.layout) == 1:
        return arrays.row_block(start, stop)
    return {key: array[start:stop] for key, array in arrays.items()}


__all__ = ["Blockwise"]
