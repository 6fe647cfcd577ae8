"""The training step's speed machinery, kept apart from the readable ``model``. The facade only re-exports.

A learner reads ``model.forward`` and ``model.backward``; ``model.MLP`` trains with the same arithmetic
fused here, for speed on the course's small nets, where each NumPy call's fixed cost outweighs its
arithmetic:

* ``packing``: ``PackedArrays``, a dict of parameter arrays that are views into one flat buffer, so an
  optimizer updates every array with one NumPy call per operation;
* ``backprop``: forward pass, loss and backward pass in one function, for one net or a stack of S nets
  (``stacked``), writing the gradients into such a buffer (tested against ``model.forward`` + ``model.backward``);
* ``cross_entropy``: the sigmoid and softmax cross-entropy and their gradient, in the step's layout;
* ``workspace``: the arrays a step reuses from call to call, so a training loop allocates nothing per step;
* ``blas_threads``: one BLAS thread for small nets, all of them for large ones;
* ``two_threads``: a large stack's step in two threads, half of its nets each.
"""

from .backprop import loss_and_grads
from .blas_threads import threads_for
from .packing import PackedArrays, flat_pair
from .workspace import Workspace

__all__ = ["PackedArrays", "Workspace", "flat_pair", "loss_and_grads", "threads_for"]
