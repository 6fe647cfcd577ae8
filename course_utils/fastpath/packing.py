"""Parameter arrays packed into one flat buffer, so an elementwise update is one NumPy call.

A ``PackedArrays`` is a dict ``{"W1": (n_0, n_1), "b1": (n_1,), ...}`` whose arrays are views into one
contiguous 1-D buffer ``flat``, laid out in key order::

    flat = [ W1 raveled row-major | b1 | W2 raveled | b2 | ... ]          (P,) for P parameters

Reading and updating the arrays in place (``params["W1"] -= lr * dW1``) reads and updates ``flat``, and
the reverse. An optimizer whose update is elementwise (all of ``optimizers``) can therefore update every
array at once, ``flat -= lr * grads.flat``, which is the same arithmetic as one update per array but
costs one NumPy call per operation instead of one per array and operation: what matters for small nets,
where each call's fixed cost (about a microsecond) outweighs its arithmetic.

``model.MLP`` keeps its ``params``, and returns its gradients, as ``PackedArrays`` of one layout.

A ``PackedArrays`` behaves like a plain dict of arrays:

* updating an array in place (``params["W1"] -= lr * dW1``, ``params["W1"][0, 0] = 1.0``) updates the
  buffer, so the net and every holder of that array see it;
* assigning ``params["W1"] = new_values`` (or ``params.update(...)``) gives the dict new arrays, and an
  array obtained from the dict earlier keeps its old values, as it would with a plain dict. To keep the
  one-buffer packing, the assignment moves every array into a fresh copy of the buffer (one copy of the
  P values) and writes the new values there; the old buffer stays with whoever still holds its arrays.
  So the save / perturb / restore idiom of a hand-written gradient check works::

      old = params["b1"]
      params["b1"] = old + 1e-5      # new arrays: `old` still holds the original values
      params["b1"] = old             # the original values are back

  (An array obtained before an assignment is no longer the net's: update it in place and the net
  does not see it, as after ``d[k] = v`` with a plain dict.)

The names are fixed (shapes too), so ``pop``, ``del`` and ``clear`` are refused. ``dict(params)`` and
``copy.copy(params)`` are plain dicts sharing the arrays, as a dict's shallow copy does; ``copy.deepcopy``
and pickling give a new ``PackedArrays`` with its own buffer. Replacing the whole dict
(``net.params = {...}``) works too: optimizers then update one array at a time.
"""

import math

import numpy as np


class PackedArrays(dict):
    """A dict of arrays that are views into the 1-D buffer ``flat`` (see the module docstring).

    Args:
        arrays: ``{name: array}``; the values are copied into the buffer, in this order.
        dtype: the buffer's dtype (default: float64).

    Attributes:
        flat: the (P,) buffer behind every array.
        layout: ``((name, shape), ...)``; two ``PackedArrays`` with equal layouts pack alike.
    """

    def __init__(self, arrays, dtype=np.float64):
        super().__init__()
        arrays = {name: np.asarray(value) for name, value in arrays.items()}
        self.layout = tuple((name, value.shape) for name, value in arrays.items())
        self._fill(np.empty(sum(value.size for value in arrays.values()), dtype=dtype))
        for name, value in arrays.items():
            self[name][...] = value

    def _fill(self, flat):
        """Make ``flat`` the buffer and put its views, shaped by ``layout``, into the dict."""
        self.flat = flat
        offset = 0
        for name, shape in self.layout:
            size = math.prod(shape)
            dict.__setitem__(self, name, flat[offset:offset + size].reshape(shape))
            offset += size

    @classmethod
    def empty_like(cls, other):
        """A new ``PackedArrays`` with the layout and dtype of ``other``; its values are not initialized."""
        packed = cls.__new__(cls)
        dict.__init__(packed)
        packed.layout = other.layout
        packed._fill(np.empty_like(other.flat))
        return packed

    def row_block(self, start, stop):
        """Rows [start, stop) of the one array packed here, as a ``PackedArrays`` whose buffer is a view of ``flat``
        (the rows of a row-major array are consecutive in it). Only for a ``PackedArrays`` of one array, such as
        a stack's (S, P) parameters."""
        if len(self.layout) != 1 or len(self.layout[0][1]) == 0:
            raise ValueError(f"row_block needs a PackedArrays of one array with rows; this one packs {list(self)}.")
        (name, shape), = self.layout
        if not 0 <= start < stop <= shape[0]:
            raise ValueError(f"rows [{start}, {stop}) are not within the {shape[0]} rows of `{name}`.")
        row = math.prod(shape[1:])
        block = PackedArrays.__new__(PackedArrays)
        dict.__init__(block)
        block.layout = ((name, (stop - start, *shape[1:])),)
        block._fill(self.flat[start * row:stop * row])
        return block

    def __setitem__(self, name, value):
        target = self._target(name, value)
        if value is target:  # `params[k] -= x` writes in place, then assigns the same array back: done
            return
        self._fill(self.flat.copy())  # new arrays for the dict; earlier ones keep the old buffer and values
        dict.__getitem__(self, name)[...] = value

    def _target(self, name, value):
        """The array stored under ``name``, once ``value`` is known to fit it (else a KeyError or ValueError)."""
        if name not in self:
            raise KeyError(f"{name!r} is not one of the packed arrays {list(self)}; their names are fixed.")
        target = dict.__getitem__(self, name)
        if np.shape(value) != target.shape:
            raise ValueError(f"`{name}` must have shape {target.shape} (it is packed into a fixed buffer); "
                             f"received shape {np.shape(value)}.")
        return target

    def update(self, *args, **kwargs):
        """Assign the given arrays, as ``params[name] = value`` does for each (one copy of the buffer in all)."""
        new = dict(*args, **kwargs)
        changed = {name: value for name, value in new.items() if value is not self._target(name, value)}
        if changed:
            self._fill(self.flat.copy())
            for name, value in changed.items():
                dict.__getitem__(self, name)[...] = value

    def __ior__(self, other):
        self.update(other)
        return self

    def setdefault(self, name, default=None):
        if name not in self:
            raise KeyError(f"{name!r} is not one of the packed arrays {list(self)}; their names are fixed.")
        return self[name]

    def _refuse(self, *args, **kwargs):
        raise TypeError("Arrays cannot be removed from a PackedArrays: its names and layout are fixed "
                        "(use dict(params) for a plain dict of the same arrays).")

    __delitem__ = pop = popitem = clear = _refuse

    def __copy__(self):  # shallow, as for a dict: the same arrays
        return dict(self)

    def __deepcopy__(self, memo):
        return PackedArrays(self, self.flat.dtype)

    def __reduce__(self):  # pickling: rebuild from plain arrays
        return PackedArrays, ({name: np.array(value) for name, value in self.items()}, self.flat.dtype)


def flat_pair(params, grads):
    """``(params.flat, grads.flat)`` when both are ``PackedArrays`` of the same layout and dtype, else None."""
    if (isinstance(params, PackedArrays) and isinstance(grads, PackedArrays)
            and (grads.layout is params.layout or grads.layout == params.layout)
            and grads.flat.dtype == params.flat.dtype):
        return params.flat, grads.flat
    return None


__all__ = ["PackedArrays", "flat_pair"]
