"""The TensorFlow exercise checks accept correct answers and reject each classic mistake, saying why."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from course_utils import checks  # noqa: E402
from check_helpers import passes


def test_linear_accepts_correct():
    assert passes(checks.check_linear_function, lambda X, W, b: tf.matmul(X, W) + b)
    assert passes(checks.check_linear_function, lambda X, W, b: X @ W + b)


@pytest.mark.parametrize("wrong, message", [
    (lambda X, W, b: tf.matmul(X, W), "missing the bias"),
    (lambda X, W, b: tf.matmul(W, X) + b, "the order is X @ W"),
    (lambda X, W, b: np.dot(X, W) + np.asarray(b), "use TensorFlow operations"),
    (lambda X, W, b: tf.nn.relu(tf.matmul(X, W) + b), "You applied a ReLU"),
    (lambda X, W, b: tf.matmul(X, W) - b, "should be X @ W \\+ b"),
], ids=["no-bias", "W-times-X", "numpy", "relu", "minus-b"])
def test_linear_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_linear_function(wrong)


def test_one_hot_accepts_correct():
    assert passes(checks.check_one_hot, lambda labels, depth: tf.one_hot(labels, depth))
    assert passes(checks.check_one_hot, lambda labels, depth: tf.cast(tf.one_hot(labels, depth), tf.int32))


@pytest.mark.parametrize("wrong, message", [
    (lambda labels, depth: tf.transpose(tf.one_hot(labels, depth)), "without a transpose"),
    (lambda labels, depth: tf.one_hot(labels, 10), "Use the `depth` argument"),
    (lambda labels, depth: tf.one_hot(labels - 1, depth), "one column to the left"),
    (lambda labels, depth: np.eye(depth)[np.asarray(labels)], "use TensorFlow operations"),
    (lambda labels, depth: tf.one_hot(labels, depth) * 2.0, "1 at column labels\\[i\\]"),
], ids=["transposed", "fixed-depth", "shifted", "numpy", "twos"])
def test_one_hot_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_one_hot(wrong)


def sparse_ce(labels, logits):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def test_loss_accepts_tf_and_keras():
    assert passes(checks.check_loss_from_logits, lambda logits, labels: tf.reduce_mean(sparse_ce(labels, logits)))
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    assert passes(checks.check_loss_from_logits, lambda logits, labels: keras_loss(labels, logits))


@pytest.mark.parametrize("wrong, message", [
    (lambda logits, labels: sparse_ce(labels, logits), "one loss per example"),
    (lambda logits, labels: tf.reduce_sum(sparse_ce(labels, logits)), "the sum over examples"),
    (lambda logits, labels: tf.reduce_mean(sparse_ce(labels, tf.nn.softmax(logits))), "applied softmax before"),
    (lambda logits, labels: keras.losses.SparseCategoricalCrossentropy(from_logits=False)(labels, logits),
     "from_logits=True"),
    (lambda logits, labels: tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.one_hot(labels, tf.shape(logits)[1]), logits=logits)), "raw logits"),
], ids=["per-example", "sum", "double-softmax", "from-logits-false", "sigmoid"])
def test_loss_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_loss_from_logits(wrong)


def forward(hidden=tf.nn.relu, output=lambda z: z, bias=True):
    def forward_pass(X, params):
        A = X
        for l in (1, 2, 3):
            Z = tf.matmul(A, params[f"W{l}"]) + (params[f"b{l}"] if bias else 0.0)
            A = hidden(Z) if l < 3 else output(Z)
        return A
    return forward_pass


def test_forward_accepts_correct():
    assert passes(checks.check_forward_pass, forward())


@pytest.mark.parametrize("wrong, message", [
    (forward(output=tf.nn.relu), "ReLU to the output"),
    (forward(output=tf.nn.softmax), "softmax to the output"),
    (forward(hidden=lambda z: z), "need their ReLU"),
    (forward(hidden=tf.sigmoid), "not the sigmoid"),
    (forward(bias=False), "left out the biases"),
], ids=["relu-output", "softmax-output", "no-relu", "sigmoid", "no-bias"])
def test_forward_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_forward_pass(wrong)
