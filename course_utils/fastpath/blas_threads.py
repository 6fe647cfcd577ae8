"""How many threads the matrix products of a training step may use: one on small nets, all on large ones.

NumPy's matrix products run in OpenBLAS, which splits a product over every core once it is large
enough. On small nets the split costs more than it saves. Steps per second of a plain NumPy training
loop (float32, ReLU, GD) with one BLAS thread against two, measured on this course's 2-core machine:

==========================  ==============  =============
net, batch                  MFLOP per step  1 / 2 threads
==========================  ==============  =============
[64, 128, 64, 1], 64        6               1.27x
[128, 256, 128, 1], 128     50              1.55x
[256, 512, 256, 1], 128     200             0.86x
[784, 1024, 1024, 1], 256   2,800           0.58x
==========================  ==============  =============

so ``training.train`` runs nets below ``SINGLE_THREAD_BELOW`` FLOP per step on one BLAS thread.
A step costs about 6 (weights) (batch) FLOP: 2 for Z = A W, 2 for dW = A^T dZ, 2 for dA = dZ W^T.
threadpoolctl sets the limit and puts the previous one back when the run ends.
"""

import contextlib

from threadpoolctl import ThreadpoolController

SINGLE_THREAD_BELOW = 100e6  # FLOP per training step; the crossover lies between 50 and 200 MFLOP

_controller = None  # made on first use: it inspects the loaded libraries once


def flops_per_step(params, batch_size):
    """About 6 * (number of weights) * batch FLOP: the three matrix products per layer of a training step."""
    weights = sum(value.size for name, value in params.items() if name.startswith("W"))
    return 6 * weights * batch_size


@contextlib.contextmanager
def threads_for(params, batch_size):
    """Within the block, BLAS uses one thread if a step on ``params`` costs < ``SINGLE_THREAD_BELOW`` FLOP."""
    global _controller
    if flops_per_step(params, batch_size) >= SINGLE_THREAD_BELOW:
        yield
        return
    if _controller is None:
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield
