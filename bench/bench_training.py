"""Training throughput of ``model.MLP`` against TensorFlow, and the large net against NumPy's own matmul.

For each net, batch, dtype and optimizer, both sides take full-batch steps on the same random data:

* **ours**: ``training.train(net, X, y, optimizer, epochs=K)``, the course's training loop: the loss is
  computed, checked for divergence and recorded at every step;
* **TensorFlow**: the same net in Keras, stepped by a ``tf.function`` GradientTape step (``bench.tf_steps``,
  in its own process), plain and XLA-compiled, with oneDNN on and off; the fastest of the four counts.

The ratio is TF's time per step over ours (> 1: ours is faster). Each rate is the median of 5 timed
batches of calls. The roofline row divides the large net's training FLOP/s (6 x weights x batch per
step, as usually counted) by NumPy's FLOP/s on a large matrix product in the same dtype, both measured
here; its context gives the FLOP count of the products a step really does (no input gradient for layer 1).
"""

import json
import os
import subprocess
import sys

import numpy as np

from bench.table import Row, median_time
from course_utils import model, optimizers, training

# (layers, batch, goal, the dtype the goal is set for): the small net computes in float64 in the notebooks
NETS = [([2, 10, 5, 1], 300, 5.0, "float64"), ([64, 128, 64, 10], 64, 3.0, "float32"),
        ([784, 1024, 1024, 10], 256, 0.8, "float32")]
QUICK_NETS = [([16, 32, 10], 32, None, None)]  # for the tests: float32 only, oneDNN off only
ROOFLINE_GOAL = 0.7
MATMUL_SIZE = 2048
LEARNING_RATE = 1e-3
OPTIMIZERS = {"GD": optimizers.GD, "Adam": optimizers.Adam}


def _data(layers, batch, dtype):
    """Random inputs in the net's dtype (as TF gets its own), and labels of every class."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((batch, layers[0])).astype(dtype), rng.integers(0, max(2, layers[-1]), batch)


def ours_steps_per_second(layers, batch, dtype, optimizer, min_seconds):
    """Full-batch steps per second of ``training.train`` on a fresh ``MLP``."""
    X, y = _data(layers, batch, dtype)
    net = model.MLP(layers, seed=0, dtype=dtype)
    opt = OPTIMIZERS[optimizer](LEARNING_RATE)
    epochs = 200 if layers[0] < 100 else 6  # train() checks the weights for NaN once per call: amortize it
    seconds, _ = median_time(lambda: training.train(net, X, y, opt, epochs=epochs, progress=False),
                             min_seconds=min_seconds)
    return epochs / seconds


def tf_steps_per_second(configs, onednn_settings=("0", "1")):
    """The fastest TF rate of each configuration: plain or XLA, with oneDNN on or off (one process each)."""
    best = [0.0] * len(configs)
    how = [""] * len(configs)
    for onednn in onednn_settings:
        env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": onednn, "TF_CPP_MIN_LOG_LEVEL": "3"}
        out = subprocess.run([sys.executable, "-m", "bench.tf_steps", json.dumps(configs)], env=env, check=True,
                             capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__))).stdout
        for i, rates in enumerate(json.loads(out.strip().splitlines()[-1])):
            for variant, rate in rates.items():
                if rate > best[i]:
                    best[i], how[i] = rate, f"{variant}, oneDNN {'on' if onednn == '1' else 'off'}"
    return best, how


def matmul_flops(dtype, size):
    """NumPy's FLOP/s on a (size, size) @ (size, size) product, median of 5."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((size, size)).astype(dtype) for _ in range(2))
    seconds, _ = median_time(lambda: a @ b, min_seconds=0.2)
    return 2 * size**3 / seconds


def training_flops(layers, batch):
    """(6 x weights x batch, the FLOPs of the products a step does: 2 forward, 2 for dW, 2 for dA but layer 1)."""
    weights = [n_in * n_out for n_in, n_out in zip(layers, layers[1:])]
    return 6 * sum(weights) * batch, 2 * batch * (3 * sum(weights) - weights[0])


def measure(quick=False):
    nets = QUICK_NETS if quick else NETS
    dtypes = ("float32",) if quick else ("float32", "float64")
    min_seconds = 0.02 if quick else 0.1
    configs = [{"layers": layers, "batch": batch, "dtype": dtype, "optimizer": optimizer, "repeats": 3 if quick else 5,
                "min_seconds": min_seconds, "goal": goal if dtype == goal_dtype else None}
               for layers, batch, goal, goal_dtype in nets for dtype in dtypes for optimizer in OPTIMIZERS]
    tf_rates, tf_how = tf_steps_per_second([{k: v for k, v in c.items() if k != "goal"} for c in configs],
                                           ("0",) if quick else ("0", "1"))
    rows = []
    for config, tf_rate, how in zip(configs, tf_rates, tf_how):
        layers, batch, dtype, optimizer = config["layers"], config["batch"], config["dtype"], config["optimizer"]
        ours = ours_steps_per_second(layers, batch, dtype, optimizer, min_seconds)
        config["ours"] = ours
        rows.append(Row("Training throughput (ours / fastest tf.function step)",
                        f"{layers}, batch {batch}, {dtype}, {optimizer}", ours / tf_rate, config["goal"],
                        f"{ours:,.0f} vs {tf_rate:,.0f} steps/s ({how})"))
    layers, batch, _, goal_dtype = nets[-1]
    for dtype in dtypes:
        size = 256 if quick else MATMUL_SIZE
        peak = matmul_flops(dtype, size)
        counted, performed = training_flops(layers, batch)
        rate = next(c["ours"] for c in configs if c["layers"] == layers and c["dtype"] == dtype
                    and c["optimizer"] == "GD")
        rows.append(Row("Roofline (training FLOP/s / NumPy matmul FLOP/s)", f"{layers}, batch {batch}, {dtype}, GD",
                        rate * counted / peak, ROOFLINE_GOAL if dtype == goal_dtype and not quick else None,
                        f"{rate * counted / 1e9:,.0f} vs {peak / 1e9:,.0f} GFLOP/s ({size}x{size} matmul); the "
                        f"products actually done: {rate * performed / peak:.0%}"))
    return rows
