"""A training step of a large stack in two threads, half of its nets each.

NumPy lets go of Python's global lock inside its matrix products and elementwise loops, so two threads
that step disjoint halves of a ``stacked.StackedMLP`` compute at once on two cores. No operation of a
step mixes nets, so each half computes, bit for bit, what the whole stack computes for those nets
(tested). On a small stack the Python between NumPy calls, which holds the lock, outweighs the
arithmetic, and the split would cost more than it saves: the step splits only when
``S * batch * (units past the input)`` reaches ``SPLIT_FROM``. Measured on this course's 2-core machine,
steps per second in two threads against one: 20 + 20 nets [2, 40, 10, 1] on 200 examples each, about
1.5x (dropout: 1.3x, its masks are drawn net by net under the lock); 20 nets [2, 5, 2, 1] on batches of
64, below the threshold, stays in one thread.
"""

import concurrent.futures
import os

SPLIT_FROM = 200_000  # S * batch * sum(layer_dims[1:]): 40 nets of [2, 40, 10, 1] on 200 examples are 424,000

_pool = None  # made on first use: one worker; the calling thread steps the first half itself


def cores():
    """The processors this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worth_splitting(n_nets, batch, layer_dims):
    """True when a step of ``n_nets`` nets of ``layer_dims`` on ``batch`` examples should run in two threads."""
    return n_nets >= 2 and n_nets * batch * sum(layer_dims[1:]) >= SPLIT_FROM and cores() >= 2


def in_halves(step_half, n_nets):
    """``[step_half(0, first), step_half(1, second)]``: the two halves of ``range(n_nets)`` as slices, the
    second in a worker thread while this thread does the first."""
    global _pool
    if _pool is None:
        _pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="course_utils-half")
    middle = (n_nets + 1) // 2
    second = _pool.submit(step_half, 1, slice(middle, n_nets))
    try:
        first = step_half(0, slice(0, middle))
    finally:
        result = second.result()  # wait for it even if the first half raised
    return [first, result]
