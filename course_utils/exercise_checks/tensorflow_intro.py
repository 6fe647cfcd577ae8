"""Checks for the Tensorflow_introduction exercises: a linear function, one-hot, the loss from logits, a forward pass.

Re-exported by ``course_utils.checks``. TensorFlow is imported inside each check, never at module
level, so ``course_utils.checks`` stays importable (and fast) without it. The references are NumPy.
"""

import numpy as np

from .harness import call, close, exercise, expect_shape, fail


def _course_linear_function(X, W, b):
    return _tf().matmul(X, W) + b


def _course_one_hot(labels, depth):
    return _tf().one_hot(labels, depth)


def _course_loss_from_logits(logits, labels):
    tf = _tf()
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def _course_forward_pass(X, params):
    tf = _tf()
    A = X
    for l in range(1, len(params) // 2):
        A = tf.nn.relu(tf.matmul(A, params[f"W{l}"]) + params[f"b{l}"])
    L = len(params) // 2
    return tf.matmul(A, params[f"W{L}"]) + params[f"b{L}"]


def _tf():
    import tensorflow as tf  # noqa: PLC0415 (lazy on purpose: only the TensorFlow notebook needs it)
    return tf


def _tensor(value, name):
    """The learner's result as a NumPy array; it must be a TensorFlow tensor or variable."""
    if not type(value).__module__.startswith(("tensorflow", "keras")):
        fail(f"`{name}` returned a {type(value).__name__}; use TensorFlow operations (tf.matmul, tf.one_hot, "
             f"tf.nn...) so the result is a tf.Tensor that GradientTape can differentiate.")
    return np.asarray(value, dtype=np.float64)


@exercise("linear_function", reference=_course_linear_function)
def check_linear_function(linear_function):
    """``linear_function(X, W, b) -> tf.Tensor``: Z = X @ W + b for X (m, n_in), W (n_in, n_out), b (n_out,)."""
    tf = _tf()
    for seed, (m, n_in, n_out) in [(0, (5, 3, 4)), (1, (2, 6, 1))]:
        rng = np.random.default_rng(seed)
        X, W, b = rng.standard_normal((m, n_in)), rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)
        try:
            Z = linear_function(tf.constant(X, tf.float32), tf.constant(W, tf.float32), tf.constant(b, tf.float32))
        except (tf.errors.InvalidArgumentError, ValueError) as error:
            fail(f"linear_function raised {type(error).__name__} for X {X.shape}, W {W.shape}: the order is "
                 f"X @ W (examples are rows), then + b. ({str(error).splitlines()[0][:120]})")
        Z = _tensor(Z, "linear_function")
        expect_shape(Z, (m, n_out), "Z", "Z = X @ W + b has one row per example.")
        if close(Z, X @ W + b, rtol=1e-4, atol=1e-5):
            continue
        if close(Z, X @ W, rtol=1e-4, atol=1e-5):
            fail("Z is missing the bias: Z = X @ W + b.")
        if close(Z, np.maximum(X @ W + b, 0), rtol=1e-4, atol=1e-5):
            fail("You applied a ReLU: the linear function is just X @ W + b.")
        fail("Z should be X @ W + b (tf.matmul(X, W) + b).")
    return "Z = X @ W + b correct for two shapes."


@exercise("one_hot_matrix", reference=_course_one_hot)
def check_one_hot(one_hot):
    """``one_hot(labels, depth) -> tf.Tensor`` of shape (m, depth), row i is 1 at column labels[i]."""
    tf = _tf()
    for labels, depth in [([1, 0, 3, 3, 2], 4), ([9, 0, 5], 10), ([2, 1, 2, 0, 1, 1, 0], 3)]:
        expected = np.eye(depth)[labels]
        got = _tensor(call(one_hot, "one_hot", tf.constant(labels), depth), "one_hot")
        if got.shape == (depth, len(labels)) and got.shape != expected.shape:
            fail(f"Expected shape {expected.shape}, got {got.shape}: one row per example, one column per class "
                 f"(tf.one_hot(labels, depth), without a transpose).")
        expect_shape(got, expected.shape, f"one_hot(labels, depth={depth})", "Use the `depth` argument.")
        if not np.array_equal(got, expected):
            shifted = np.array([np.eye(depth)[k - 1] if k > 0 else np.zeros(depth) for k in labels])
            if np.array_equal(got, shifted):
                fail("Every 1 sits one column to the left: label k goes to column k (no k - 1).")
            fail(f"For labels {labels} row i should be 1 at column labels[i] and 0 elsewhere.")
    return "shapes and positions correct for three label sets."


def _log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@exercise("loss_from_logits", reference=_course_loss_from_logits)
def check_loss_from_logits(loss_from_logits):
    """``loss_from_logits(logits, labels) -> scalar tf.Tensor``: mean softmax cross-entropy, labels are integers."""
    tf = _tf()
    for seed, (m, k) in [(2, (6, 4)), (3, (11, 10))]:
        rng = np.random.default_rng(seed)
        logits, labels = rng.standard_normal((m, k)) * 3, rng.integers(0, k, m)
        per_example = -_log_softmax(logits)[np.arange(m), labels]
        got = _tensor(call(loss_from_logits, "loss_from_logits", tf.constant(logits, tf.float32),
                           tf.constant(labels)), "loss_from_logits")
        if got.shape == (m,):
            fail(f"You returned one loss per example, shape ({m},): average them, tf.reduce_mean(...).")
        expect_shape(got, (), "the loss", "The loss is one number.")
        if np.isclose(got, per_example.mean(), rtol=1e-4):
            continue
        probs = np.exp(_log_softmax(logits))
        hints = [(per_example.sum(), "That is the sum over examples: take the mean (tf.reduce_mean)."),
                 (-_log_softmax(probs)[np.arange(m), labels].mean(),
                  "You applied softmax before a loss that applies it again: pass the raw logits with "
                  "from_logits=True (or use tf.nn.sparse_softmax_cross_entropy_with_logits).")]
        hint = next((text for value, text in hints if np.isclose(got, value, rtol=1e-4)), "")
        if not hint:
            hint = ("The loss takes raw logits: use from_logits=True, or "
                    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=..., logits=...).")
        fail(f"For these {m} examples the mean cross-entropy is {per_example.mean():.4f}; you returned "
             f"{float(got):.4f}. {hint}")
    return "the mean softmax cross-entropy from logits is correct in two cases."


@exercise("forward_pass", reference=_course_forward_pass)
def check_forward_pass(forward_pass):
    """``forward_pass(X, params) -> logits``: ReLU(X W1 + b1), ReLU(. W2 + b2), then . W3 + b3 (no activation)."""
    tf = _tf()
    for seed, dims in [(4, [8, 6, 5, 3]), (5, [4, 7, 2, 10])]:
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((9, dims[0]))
        params = {}
        for l in range(1, 4):
            params[f"W{l}"] = rng.standard_normal((dims[l - 1], dims[l]))
            params[f"b{l}"] = rng.standard_normal(dims[l])

        def run(hidden=lambda z: np.maximum(z, 0), output=lambda z: z, bias=True):
            A = X
            for l in (1, 2, 3):
                Z = A @ params[f"W{l}"] + (params[f"b{l}"] if bias else 0)
                A = hidden(Z) if l < 3 else output(Z)
            return A

        tf_params = {k: tf.Variable(v, dtype=tf.float32) for k, v in params.items()}
        got = _tensor(call(forward_pass, "forward_pass", tf.constant(X, tf.float32), tf_params), "forward_pass")
        expect_shape(got, (9, dims[3]), "the logits", "One row of logits per example.")
        if close(got, run(), rtol=1e-4, atol=1e-4):
            continue
        hints = [(run(output=lambda z: np.maximum(z, 0)), "You applied ReLU to the output: the last layer returns "
                  "the raw logits Z3, and the loss applies the softmax."),
                 (run(output=lambda z: np.exp(_log_softmax(z))), "You applied softmax to the output: return the raw "
                  "logits Z3; the loss applies the softmax."),
                 (run(hidden=lambda z: z), "The hidden layers need their ReLU: A = tf.nn.relu(A @ W + b)."),
                 (run(hidden=lambda z: 1 / (1 + np.exp(-z))), "The hidden layers use ReLU, not the sigmoid."),
                 (run(bias=False), "You left out the biases: Z = A @ W + b in every layer.")]
        hint = next((text for value, text in hints if close(got, value, rtol=1e-4, atol=1e-4)), "")
        fail(f"For layers {dims} the logits differ from the expected ones (largest difference "
             f"{np.abs(got - run()).max():.3g}). {hint}".strip())
    return "two ReLU layers and linear logits correct for two networks."
