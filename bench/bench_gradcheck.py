"""Gradient checking: a per-element loop as other courses write it, against gradcheck's full and directional checks.

The net is [64, 100, 32, 10] (ReLU, softmax output; 10,062 parameters) on the first 64 rows of scikit-learn's
digits. Three ways to check its gradient, timed in one run:

* the loop below, written the way courses usually write it: the params as one vector, and for each entry a
  copy perturbed by +eps and one by -eps, each turned back into params and run through a whole forward pass
  (2 P forward passes, one Python iteration per entry; no kink or dropout handling, which this net does not need);
* ``gradcheck.check_model``, the full check: every entry too (2 P + 3 loss evaluations), evaluated in batches
  from one cached forward pass (``gradcheck.batched``), with the per-array report, kinks and dropout handled;
* ``gradcheck.directional_check`` with k = 5 random directions per array: 2 k (6 arrays) + 3 = 63 evaluations.

The check runs its matrix products on one BLAS thread (see ``gradcheck.model_check``); the loop runs on NumPy's
default threads, as other courses' code does, and once more on one thread for a third row, without a goal.

The three must agree: the loop's gradient and the full check's numerical gradient to 1e-8 relative, and both
checks pass. Each ratio is a time divided by a time measured in the same run; the absolute times (which
depend on the machine and its load) are context.

    make bench        # or: .venv/bin/python bench/bench_gradcheck.py
"""

import copy
import time

import numpy as np
import threadpoolctl

from course_utils import datasets, gradcheck, model
from course_utils.gradcheck import batched as gradcheck_batched

if __package__:  # imported: from bench import bench_gradcheck
    from .table import Row, median_time
else:  # run as a script: python bench/bench_gradcheck.py
    from table import Row, median_time

SECTION = "Gradient checking"
EPSILON = 1e-5
K = 5  # directions per parameter array


def loop_gradient(net, X, y, epsilon=EPSILON):
    """The numerical gradient of ``net``'s cross-entropy as a vector, one entry at a time (the usual course loop)."""
    theta = gradcheck.params_to_vector(net.params)
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        plus = theta.copy()
        plus[i] += epsilon
        minus = theta.copy()
        minus[i] -= epsilon
        grad[i] = (cost(net, plus, X, y) - cost(net, minus, X, y)) / (2 * epsilon)
    return grad


def cost(net, theta, X, y):
    """The cross-entropy of ``net`` with its params replaced by the vector ``theta`` (no L2, no dropout)."""
    params = gradcheck.vector_to_params(theta, net.params)
    logits, _ = model.forward(params, X, net.hidden_activation)
    return net.data_loss_and_grad(logits, y)[0]


def full_check_gradient(net, X, y, epsilon=EPSILON):
    """The numerical gradient ``check_model`` computes, as a vector: (J(theta + eps e_i) - J(theta - eps e_i)) / 2 eps.

    Read off ``gradcheck.batched``, which the check uses; its report keeps only each array's worst entries.
    """
    X, y = net.check_data(X, y)
    batched = gradcheck_batched.PerturbedLosses(net, X, y, copy.deepcopy(net.rng))
    return np.concatenate([((plus - minus) / (2 * epsilon)).ravel()
                           for plus, minus, _ in (batched.entries(key, epsilon) for key in net.params)])


def measure(quick=False):
    """The rows of the "Gradient checking" section. ``quick=True``: a [64, 16, 8, 10] net on 16 rows, in about a
    second, for the tests (its ratios are real, but the goals are for the full-size net, so they are not set)."""
    layers, m, repeats = ([64, 16, 8, 10], 16, 3) if quick else ([64, 100, 32, 10], 64, 5)
    X, y, _, _ = datasets.digits(seed=0)
    X, y = X[:m], y[:m]
    net = model.MLP(layers, hidden_activation="relu", seed=0)
    n_params = sum(value.size for value in net.params.values())

    start = time.perf_counter()
    looped = loop_gradient(net, X, y)
    loop_s = time.perf_counter() - start  # one run: it is the slow one
    with threadpoolctl.threadpool_limits(1, "blas"):  # as check_model runs its products (see gradcheck.model_check)
        start = time.perf_counter()
        loop_gradient(net, X, y)
        loop_one_s = time.perf_counter() - start
    full, directional = gradcheck.check_model(net, X, y), gradcheck.directional_check(net, X, y, k=K)
    agreement = gradcheck.relative_error(full_check_gradient(net, X, y), looped)
    assert full.passed and directional.passed, f"{full}\n{directional}"
    assert agreement < 1e-8, f"the loop and the full check disagree: relative error {agreement:.1e}"
    full_s, _ = median_time(lambda: gradcheck.check_model(net, X, y), repeats=repeats, calls=1)
    dir_s, calls = median_time(lambda: gradcheck.directional_check(net, X, y, k=K), repeats=repeats,
                               min_seconds=0.05 if quick else 0.2)

    net_name = f"{layers} ({n_params:,} parameters), {m} rows"
    note = "; quick run: no goal" if quick else ""
    return [
        Row(SECTION, f"full check vs a per-element loop, {net_name}", loop_s / full_s, None if quick else 20.0,
            f"loop {loop_s:.3g} s (1 run, {2 * n_params:,} forward passes), full check {full_s * 1e3:.3g} ms "
            f"(median of {repeats} runs, {full.n_evaluations:,} loss evaluations); gradients agree to "
            f"{agreement:.0e}{note}"),
        Row(SECTION, f"full check vs the same loop on one BLAS thread, {net_name}", loop_one_s / full_s, None,
            f"loop {loop_one_s:.3g} s (1 run); check_model runs its own products on one BLAS thread, and the loop's "
            "on NumPy's default threads in the row above"),
        Row(SECTION, f"directional check (k={K}) vs full check, {net_name}", full_s / dir_s, None if quick else 10.0,
            f"full {full_s * 1e3:.3g} ms, directional {dir_s * 1e3:.3g} ms (median of {repeats} batches of {calls}, "
            f"{directional.n_evaluations} loss evaluations){note}"),
    ]


def main():
    for row in measure():
        goal = "" if row.goal is None else f" (goal {row.goal:g}x: {'met' if row.met else 'MISSED'})"
        print(f"{row.section} | {row.what}: {row.ratio:.1f}x{goal}\n    {row.context}")


if __name__ == "__main__":
    main()
