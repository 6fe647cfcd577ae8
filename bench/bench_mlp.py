"""Training speed of course_utils' MLP against a bare NumPy loop and a Keras/TensorFlow loop.

The net is the Initialization notebook's: [2, 10, 5, 1] with ReLU, full-batch gradient descent
on 300 circles points, learning rate 0.01. Prints steps per second and ratios measured in one
run (this machine's absolute speed varies; the ratios are what to compare).

    make bench        # or: .venv/bin/python bench/bench_mlp.py
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

from course_utils import datasets, model, optimizers, training  # noqa: E402

STEPS = 3000
LEARNING_RATE = 0.01


def bare_numpy(X, y, steps):
    """The same forward/backward/update written inline, with no checks and no abstractions."""
    rng = np.random.default_rng(0)
    W1, W2, W3 = (rng.standard_normal(s) * np.sqrt(2 / s[0]) for s in [(2, 10), (10, 5), (5, 1)])
    b1, b2, b3 = np.zeros(10), np.zeros(5), np.zeros(1)
    Y, m = y[:, None].astype(float), X.shape[0]
    for _ in range(steps):
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0)
        Z2 = A1 @ W2 + b2
        A2 = np.maximum(Z2, 0)
        Z3 = A2 @ W3 + b3
        dZ3 = (1 / (1 + np.exp(-Z3)) - Y) / m
        dZ2 = (dZ3 @ W3.T) * (Z2 > 0)
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        for p, g in ((W3, A2.T @ dZ3), (b3, dZ3.sum(0)), (W2, A1.T @ dZ2), (b2, dZ2.sum(0)),
                     (W1, X.T @ dZ1), (b1, dZ1.sum(0))):
            p -= LEARNING_RATE * g


def course_mlp(X, y, steps):
    net = model.MLP([2, 10, 5, 1], hidden_activation="relu", init="he", seed=0)
    training.train(net, X, y, optimizers.GD(LEARNING_RATE), epochs=steps, progress=False)


def keras_tape(X, y, steps):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(10, "relu", kernel_initializer="he_normal"),
                            keras.layers.Dense(5, "relu", kernel_initializer="he_normal"), keras.layers.Dense(1)])
    opt = keras.optimizers.SGD(LEARNING_RATE)
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
    X, Y = tf.constant(X, tf.float32), tf.constant(y[:, None], tf.float32)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = loss_fn(Y, net(X, training=True))
        opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))

    step()  # trace once, outside the timing
    for _ in range(steps):
        step()


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main():
    X, y, _, _ = datasets.circles(seed=1)
    times = {name: timed(fn, X, y, STEPS) for name, fn in
             [("bare NumPy loop", bare_numpy), ("course_utils MLP + train", course_mlp), ("Keras tf.function loop", keras_tape)]}
    base = times["bare NumPy loop"]
    print(f"{STEPS} full-batch steps of [2, 10, 5, 1] on 300 points")
    for name, seconds in times.items():
        print(f"  {name:<26} {STEPS / seconds:8.0f} steps/s   {seconds / base:5.2f}x the bare loop's time")


if __name__ == "__main__":
    main()
