"""Shared fixtures. TensorFlow's C++ logging is silenced here, before any test imports it."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("COURSE_UTILS_PROGRESS", "0")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test."""
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def tf():
    """TensorFlow, imported once (about 3 s), seeded, with deterministic ops."""
    import keras
    import tensorflow

    keras.utils.set_random_seed(0)
    tensorflow.config.experimental.enable_op_determinism()
    return tensorflow


@pytest.fixture(scope="session")
def keras(tf):
    import keras

    return keras
