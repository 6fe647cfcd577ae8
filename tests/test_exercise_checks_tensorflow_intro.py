"""The Tensorflow_introduction checks: tensors of the right shape, dtype and value, differentiable by GradientTape."""

import numpy as np
import pytest

from course_utils import checks
from course_utils.exercise_checks import tensorflow_twins
from check_helpers import cpu_seconds, message, passes

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


@pytest.mark.parametrize("check", [checks.check_linear_function, checks.check_one_hot, checks.check_loss_from_logits,
                                   checks.check_forward_pass])
def test_the_references_pass_quickly(check):
    assert passes(check, check.reference)
    assert cpu_seconds(check, check.reference) < 0.5


def test_other_correct_styles_pass():
    assert passes(checks.check_linear_function, lambda X, W, b: X @ W + b)
    assert passes(checks.check_linear_function, lambda X, W, b: keras.ops.add(keras.ops.matmul(X, W), b))
    assert passes(checks.check_one_hot, lambda labels, depth: tf.cast(tf.one_hot(labels, depth), tf.int32))
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)  # computes in float32
    assert passes(checks.check_loss_from_logits, lambda logits, labels: keras_loss(labels, logits))


@pytest.mark.parametrize("wrong, words", [
    (lambda X, W, b: tf.matmul(X, W), "missing the bias"),
    (lambda X, W, b: tf.matmul(X, W) - b, "Z = X W - b"),
    (lambda X, W, b: tf.nn.relu(tf.matmul(X, W) + b), "went through a ReLU"),
    (lambda X, W, b: tf.matmul(W, X) + b, "raised InvalidArgumentError: Matrix size-incompatible"),
    (lambda X, W, b: np.dot(X, W) + np.asarray(b), "returned a NumPy array"),
    (lambda X, W, b: tf.constant((tf.matmul(X, W) + b).numpy()), "GradientTape found no gradient"),
    (lambda X, W, b: tf.cast(tf.matmul(tf.cast(X, tf.float32), tf.cast(W, tf.float32)) + tf.cast(b, tf.float32),
                             tf.float32), "has dtype float32 for float64 inputs"),
], ids=["no-bias", "minus-b", "relu", "W-times-X", "numpy", "constant", "float32-cast"])
def test_linear_function_names_what_it_measured(wrong, words):
    assert words in message(checks.check_linear_function, wrong)


@pytest.mark.parametrize("wrong, words", [
    (lambda labels, depth: tf.transpose(tf.one_hot(labels, depth)), "the lecture's (depth, m) layout"),
    (lambda labels, depth: tf.one_hot(labels, int(np.max(labels)) + 1), "max(labels) + 1"),
    (lambda labels, depth: tf.one_hot(labels, 10), "`depth` columns"),
    (lambda labels, depth: tf.one_hot(labels - 1, depth), "one column to the left"),
    (lambda labels, depth: np.eye(depth)[np.asarray(labels)], "returned a NumPy array"),
    (lambda labels, depth: tf.one_hot(labels, depth) * 2.0, "1 at column labels[i]"),
], ids=["transposed", "depth-from-data", "fixed-depth", "shifted", "numpy", "twos"])
def test_one_hot_names_what_it_measured(wrong, words):
    assert words in message(checks.check_one_hot, wrong)


def sparse_ce(labels, logits):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


@pytest.mark.parametrize("wrong, words", [
    (lambda logits, labels: sparse_ce(labels, logits), "one loss per example"),
    (lambda logits, labels: tf.reduce_sum(sparse_ce(labels, logits)), "the sum over the examples"),
    (lambda logits, labels: tf.reduce_mean(sparse_ce(labels, tf.nn.softmax(logits))), "the softmax was applied twice"),
    (lambda logits, labels: -tf.reduce_mean(tf.math.log(tf.gather(tf.nn.softmax(logits), labels, batch_dims=1))),
     "your loss is inf"),
    (lambda logits, labels: -tf.reduce_mean(tf.math.log(tf.clip_by_value(
        tf.gather(tf.nn.softmax(logits), labels, batch_dims=1), 1e-7, 1.0))), "numerically stable way"),
    (lambda logits, labels: float(tf.reduce_mean(sparse_ce(labels, logits))), "should return the mean loss"),
], ids=["per-example", "sum", "double-softmax", "log-of-softmax", "clipped", "python-float"])
def test_loss_names_what_it_measured(wrong, words):
    assert words in message(checks.check_loss_from_logits, wrong)


def forward(hidden=tf.nn.relu, output=lambda z: z, bias=True):
    def forward_pass(X, params):
        A = X
        for l in (1, 2, 3):
            Z = tf.matmul(A, params[f"W{l}"]) + (params[f"b{l}"] if bias else 0.0)
            A = hidden(Z) if l < 3 else output(Z)
        return A
    return forward_pass


@pytest.mark.parametrize("wrong, words", [
    (forward(output=tf.nn.relu), "ReLU to the output"),
    (forward(output=tf.nn.softmax), "softmax to the output"),
    (forward(hidden=lambda z: z), "have no activation"),
    (forward(hidden=tf.sigmoid), "use the sigmoid"),
    (forward(hidden=tf.nn.leaky_relu), "leaky ReLU"),
    (lambda X, params: forward()(X, {k: tf.constant(v) for k, v in params.items()}), "with respect to W1, b1, W2"),
    (lambda X, params: (params["b1"].assign_add(tf.ones_like(params["b1"])), forward()(X, params))[1],
     "changed its input `params` in place"),
], ids=["relu-output", "softmax-output", "no-relu", "sigmoid", "leaky", "constants", "assigns-a-variable"])
def test_forward_pass_names_what_it_measured(wrong, words):
    assert words in message(checks.check_forward_pass, wrong)


def test_the_numpy_twins_match_tensorflow():
    rng = np.random.default_rng(0)
    params = {f"{p}{l}": rng.standard_normal(shape) for l, (n_in, n_out) in enumerate([(4, 5), (5, 3), (3, 2)], 1)
              for p, shape in (("W", (n_in, n_out)), ("b", (n_out,)))}
    X, C = rng.standard_normal((6, 4)), rng.standard_normal((6, 2))
    variables = {k: tf.Variable(v) for k, v in params.items()}
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(checks.check_forward_pass.reference(tf.constant(X), variables) * C)
    grads = tensorflow_twins.network_gradients(X, params, C)
    for key, g in zip(variables, tape.gradient(loss, list(variables.values()))):
        np.testing.assert_allclose(g.numpy(), grads[key], rtol=1e-10)
    logits = rng.standard_normal((5, 3)) * 800
    np.testing.assert_allclose(tensorflow_twins.log_softmax(logits), tf.nn.log_softmax(logits).numpy(), atol=1e-9)


@pytest.mark.parametrize("check", [checks.check_linear_function, checks.check_one_hot, checks.check_loss_from_logits,
                                   checks.check_forward_pass])
def test_a_result_of_any_wrong_kind_gets_a_message_never_a_crash(check):
    for value in [None, 1.0, (None, None), [tf.zeros(3)], np.zeros((2, 2)), tf.zeros((2, 2)), tf.constant(np.nan),
                  {"Z": tf.zeros(3)}, "x"]:
        with pytest.raises(checks.ExerciseError, match="."):
            check(lambda *args, v=value: v)
