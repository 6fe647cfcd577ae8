"""Training steps per second of a Keras model stepped by a ``tf.function``-compiled GradientTape step.

Run as a separate process, so TensorFlow's thread pools never share a process with the NumPy timings,
and because oneDNN is switched on or off by an environment variable read when TensorFlow is imported::

    TF_ENABLE_ONEDNN_OPTS=1 python -m bench.tf_steps '[{"layers": [2, 10, 5, 1], "batch": 300,
        "dtype": "float32", "optimizer": "GD", "steps_per_repeat": 0, "repeats": 5}]'

prints one JSON list: for each configuration, the steps per second (median of ``repeats`` timed
batches of calls) of the plain ``tf.function`` step and of the XLA-compiled one (``jit_compile=True``).
The model is the course's MLP in Keras: Dense ReLU layers with He-normal weights, a sigmoid output for
one unit or a softmax output for K >= 2 (losses from logits), full batch, ``SGD`` for GD and Keras's
``Adam`` with its defaults, both at learning rate 1e-3. The first call traces (and compiles) the step; it is not timed.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from bench.table import median_time  # noqa: E402

LEARNING_RATE = 1e-3


def build_step(layers, batch, dtype, optimizer, jit_compile):
    """A no-argument ``tf.function`` doing one training step on a fixed random batch."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    X = tf.constant(rng.standard_normal((batch, layers[0])), dtype=dtype)
    labels = rng.integers(0, max(2, layers[-1]), batch)
    model = keras.Sequential([keras.Input((layers[0],), dtype=dtype)]
                             + [keras.layers.Dense(n, "relu", kernel_initializer="he_normal", dtype=dtype)
                                for n in layers[1:-1]]
                             + [keras.layers.Dense(layers[-1], kernel_initializer="he_normal", dtype=dtype)])
    if layers[-1] == 1:
        loss_fn = keras.losses.BinaryCrossentropy(from_logits=True, dtype=dtype)
        y = tf.constant(labels[:, None], dtype=dtype)
    else:
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype=dtype)
        y = tf.constant(labels)
    opt = keras.optimizers.SGD(LEARNING_RATE) if optimizer == "GD" else keras.optimizers.Adam(LEARNING_RATE)
    opt.build(model.trainable_variables)

    @tf.function(jit_compile=jit_compile)
    def step():
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(X, training=True))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    return step


def steps_per_second(config):
    """``{"plain": steps/s, "xla": steps/s}`` for one configuration (see the module docstring)."""
    rates = {}
    for variant, jit in (("plain", False), ("xla", True)):
        step = build_step(config["layers"], config["batch"], config["dtype"], config["optimizer"], jit)
        step()  # trace (and compile) outside the timing
        seconds, _ = median_time(step, repeats=config.get("repeats", 5), min_seconds=config.get("min_seconds", 0.1))
        rates[variant] = 1.0 / seconds
    return rates


def main(argv):
    configs = json.loads(argv[1])
    print(json.dumps([steps_per_second(config) for config in configs]))


if __name__ == "__main__":
    main(sys.argv)
