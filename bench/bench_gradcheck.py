"""Cost of the full gradient check against the randomized directional check on a net of >= 10k parameters.

First the Gradient_Checking notebook's net, [2, 8, 8, 3] on the 240 spirals points after 100 steps of
gradient descent (123 parameters; its full check should take well under 1 s). Then [64, 100, 32, 10]
(ReLU, softmax output; 10,062 parameters) on 64 rows of scikit-learn's digits. The full check
costs 2 P + 3 loss evaluations, the directional check 2 k (number of arrays) + 3, whatever P is. Prints both counts, both times and their ratio measured in one run (absolute times
depend on the machine and its load; the ratio is what to compare).

    make bench        # or: .venv/bin/python bench/bench_gradcheck.py
"""

import time

from course_utils import datasets, gradcheck, model, optimizers, training

LAYERS = [64, 100, 32, 10]
K = 5  # directions per parameter array


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main():
    X, y, _, _ = datasets.spirals(seed=1)
    net = model.MLP([2, 8, 8, 3], hidden_activation="relu", seed=0)
    training.train(net, X, y, optimizers.GD(learning_rate=0.5), epochs=100, progress=False)
    small, small_s = timed(lambda: gradcheck.check_model(net, X, y))
    assert small.passed, str(small)
    print(f"notebook net [2, 8, 8, 3] on {X.shape[0]} rows: full check {small.n_evaluations} loss evaluations, "
          f"{small_s:.3f} s")
    X, y, _, _ = datasets.digits(seed=0)
    X, y = X[:64], y[:64]
    net = model.MLP(LAYERS, hidden_activation="relu", seed=0)
    n_params = sum(value.size for value in net.params.values())
    full, full_s = timed(lambda: gradcheck.check_model(net, X, y))
    directional, dir_s = timed(lambda: gradcheck.directional_check(net, X, y, k=K))
    assert full.passed and directional.passed, (str(full), str(directional))
    print(f"net {LAYERS}: {n_params} parameters, {X.shape[0]} rows")
    print(f"  full check          {full.n_evaluations:6d} loss evaluations  {full_s:7.3f} s   max error "
          f"{full.max_error:.1e}")
    print(f"  directional (k={K})  {directional.n_evaluations:6d} loss evaluations  {dir_s:7.3f} s   max error "
          f"{directional.max_error:.1e}")
    print(f"  full / directional: {full.n_evaluations / directional.n_evaluations:.0f}x the evaluations, "
          f"{full_s / dir_s:.0f}x the time")


if __name__ == "__main__":
    main()
