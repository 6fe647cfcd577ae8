"""Twenty seeds at once: ``stacked.train`` against ``training.train`` called once per seed, on the notebooks' nets.

The notebooks train every seed-dependent experiment on 20 seeds, on 200 to 300 points of a 2-D set, full batch
or in mini-batches of 64, for 1,000 to 15,000 epochs. Each row trains the same 20 nets both ways, with the same
optimizer and data, and divides the time of the 20 separate runs by the time of the stacked run (> 1: the stack
is faster); both compute the same numbers (tests/test_stacked_train.py). A last row does the same for the
evaluation of 20 trained nets on a fresh sample of 20,000 points: ``stacked.accuracies`` against
``net.accuracy`` per net. Medians of 5 timed repeats.
"""

import numpy as np

from bench.table import Row, median_time
from course_utils import model, optimizers, stacked, training

SECTION = "Stacked seeds (20 nets together / one by one)"
SEEDS = list(range(20))
RUNS = [([2, 10, 5, 1], None, "Adam", 4.0), ([2, 10, 5, 1], None, "GD", None), ([2, 20, 3, 1], None, "Adam", None),
        ([2, 5, 2, 1], 64, "Adam", 4.0), ([2, 10, 5, 1], 64, "GD", None)]
M = 300  # training points, as the notebooks' 2-D sets
EVAL_POINTS = 20_000


def _data(m, seed=0):
    """Two noisy classes in the plane, like the notebooks' moons and circles."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 2))
    return X, (X[:, 0] * X[:, 1] + 0.3 * rng.standard_normal(m) > 0).astype(np.int64)


def _optimizer(name):
    return optimizers.Adam(0.01) if name == "Adam" else optimizers.GD(0.1)


def measure(quick=False):
    """The rows of the stacked section. ``quick=True``: 4 seeds, a few epochs, 2 runs and a small sample (no goals)."""
    seeds = SEEDS[:4] if quick else SEEDS
    epochs, repeats = (3, 3) if quick else (100, 5)
    X, y = _data(M)
    rows = []
    for layers, batch, name, goal in RUNS[:2] if quick else RUNS:
        def one_by_one():
            for seed in seeds:
                training.train(model.MLP(layers, seed=seed), X, y, _optimizer(name), epochs=epochs, batch_size=batch,
                               seed=seed, progress=False)

        def together():
            stacked.train(stacked.StackedMLP(layers, seeds), X, y, _optimizer(name), epochs=epochs, batch_size=batch,
                          progress=False)

        alone_s, _ = median_time(one_by_one, repeats=repeats, calls=1)
        stack_s, _ = median_time(together, repeats=repeats, calls=1)
        how = "full batch" if batch is None else f"batch {batch}"
        rows.append(Row(SECTION, f"{len(seeds)} x {layers}, {how} of {M} points, {name}", alone_s / stack_s,
                        None if quick else goal,
                        f"{alone_s / epochs * 1e3:.2f} vs {stack_s / epochs * 1e3:.2f} ms per epoch of all {len(seeds)} "
                        f"nets ({alone_s / epochs / len(seeds) * 1e6:.0f} vs {stack_s / epochs / len(seeds) * 1e6:.0f} "
                        "us per net)"))
    points = 2_000 if quick else EVAL_POINTS
    X_test, y_test = _data(points, seed=1)
    nets = [model.MLP([2, 10, 5, 1], seed=seed) for seed in seeds]
    alone_s, _ = median_time(lambda: [net.accuracy(X_test, y_test) for net in nets], repeats=repeats, min_seconds=0.05)
    stack_s, _ = median_time(lambda: stacked.accuracies(nets, X_test, y_test), repeats=repeats, min_seconds=0.05)
    rows.append(Row(SECTION, f"accuracy of {len(seeds)} x [2, 10, 5, 1] on {points:,} fresh points", alone_s / stack_s,
                    None, f"{alone_s * 1e3:.1f} vs {stack_s * 1e3:.1f} ms"))
    return rows
