"""The checks of the Tensorflow_introduction notebook's exercises: a linear function, one-hot, the loss from logits,
a forward pass.

TensorFlow is imported inside each check, never at module level, so ``course_utils.checks`` stays
importable (and fast) without it; the expected values are computed in NumPy. Each check runs float32
and float64 cases of odd shapes and tests that the result is a ``tf.Tensor`` of the right shape, dtype
and value and, where the result feeds training, that ``tf.GradientTape`` differentiates it: the
gradients with respect to the inputs exist and equal the right ones. One-hot takes its classes from
``depth`` (the labels never reach ``depth - 1``); the loss stays exact for logits 2000 apart.
"""

import functools

import numpy as np

from . import tensorflow_twins as twins
from .tensorflow_graph import same_in_a_graph
from .harness import call, exercise, fail, hint, wrong_kind
from .probes import agree, unchanged


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


_CUT = ("the result must be computed from the tensors it is given with TensorFlow operations all the way: a detour "
        "through NumPy (np.*, .numpy()), a tf.constant(...) copy or a Variable's assign cuts the tape.")


def _tensor(value, name, what):
    """The learner's result as a NumPy array; it must be a TensorFlow tensor (or variable)."""
    tf = _tf()
    if isinstance(value, np.ndarray):
        fail(f"`{name}` returned a NumPy array; use TensorFlow operations, so that the result is a tf.Tensor that "
             f"GradientTape can differentiate.")
    if not isinstance(value, (tf.Tensor, tf.Variable)):
        wrong_kind(name, value, f"{what}, a tf.Tensor")
    return value.numpy()


def _gradients(tape, target, sources, expected, name, rtol):
    """Fail unless GradientTape differentiates ``target`` with respect to every source, giving ``expected``."""
    grads = tape.gradient(target, list(sources.values()))
    missing = [k for k, g in zip(sources, grads) if g is None]
    if missing:
        fail(f"GradientTape found no gradient of what `{name}` returned with respect to {', '.join(missing)} "
             f"(tape.gradient gave None): {_CUT}")
    for (key, g), right in zip(zip(sources, grads), expected):
        if not agree(g.numpy(), right, rtol):
            fail(f"GradientTape's gradient with respect to {key} differs from the right one by up to "
                 f"{np.max(np.abs(g.numpy() - right)):.3g}: {_CUT}")


def _dtype(value, dtype, what):
    """Fail unless the learner's result keeps the inputs' ``dtype``."""
    if value.dtype != dtype:
        fail(f"{what} has dtype {value.dtype.name} for {dtype.name} inputs: keep the inputs' dtype (no casts).")


_RTOL = {"float32": 1e-4, "float64": 1e-6}


@exercise("linear_function", reference=_course_linear_function)
def check_linear_function(linear_function):
    """``linear_function(X, W, b) -> tf.Tensor``: Z = X @ W + b for X (m, n_in), W (n_in, n_out), b (n_out,)."""
    tf = _tf()
    cases = [(0, (5, 3, 4), "float32"), (1, (2, 6, 1), "float64"), (2, (7, 1, 3), "float32")]
    for seed, (m, n_in, n_out), dtype in cases:
        rng = np.random.default_rng(seed)
        X, W0, b0 = rng.standard_normal((m, n_in)), rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)
        X, W0, b0 = X.astype(dtype), W0.astype(dtype), b0.astype(dtype)
        C = rng.standard_normal((m, n_out)).astype(dtype)
        W, b, rtol = tf.Variable(W0), tf.Variable(b0), _RTOL[dtype]
        with tf.GradientTape() as tape:
            out = call(linear_function, "linear_function", tf.constant(X), W, b)
            unchanged("linear_function", "W", W0, W.numpy())
            unchanged("linear_function", "b", b0, b.numpy())
            Z = _tensor(out, "linear_function", "Z")
            if Z.shape == (n_out, m) != (m, n_out):
                fail(f"Z has shape {Z.shape}, the lecture's column layout (W^T X^T); here examples are rows and "
                     f"Z = X W + b has shape (m, n_out) = {(m, n_out)}.")
            if Z.shape != (m, n_out):
                fail(f"For X of shape {X.shape} and W of shape {W0.shape}, Z should have shape {(m, n_out)}; "
                     f"got {Z.shape}.")
            _dtype(out, tf.as_dtype(dtype), "Z")
            loss = tf.reduce_sum(out * C)
        right = X.astype(float) @ W0 + b0
        if not agree(Z, right, rtol):
            words = hint([
                (X.astype(float) @ W0, "Z is missing the bias: Z = X W + b."),
                (X.astype(float) @ W0 - b0, "Z = X W - b: the bias is added, + b."),
                (np.maximum(right, 0), "Z went through a ReLU: the linear function is X W + b alone.")],
                lambda value: agree(Z, value, rtol))
            fail(f"For X of shape {X.shape} and W of shape {W0.shape}, Z differs from X W + b by up to "
                 f"{np.max(np.abs(Z - right)):.3g}. {words}".strip())
        _gradients(tape, loss, {"W": W, "b": b}, [X.T.astype(float) @ C, C.sum(axis=0)], "linear_function", rtol)
    same_in_a_graph(tf, linear_function, "linear_function", (tf.constant(X), W, b), right, rtol, "a training step")
    return ("Z = X @ W + b correct in float32 and float64 for odd shapes, differentiable by GradientTape, "
            "and inside a tf.function.")


@exercise("one_hot_matrix", reference=_course_one_hot)
def check_one_hot(one_hot):
    """``one_hot(labels, depth) -> tf.Tensor`` of shape (m, depth), row i is 1 at column labels[i]."""
    tf = _tf()
    for labels, depth, as_tensor in [([2, 0, 3, 1, 3], 7, False), ([1, 0, 3, 3, 2], 6, True), ([4], 5, False),
                                     ([9, 0, 5], 10, True)]:
        given = tf.constant(labels, tf.int32) if as_tensor else np.array(labels)
        got = _tensor(call(one_hot, "one_hot", given, depth), "one_hot", "the one-hot matrix")
        unchanged("one_hot", "labels", np.array(labels), np.asarray(given))
        m, expected = len(labels), np.eye(depth)[labels]
        if got.shape == (depth, m) != (m, depth):
            fail(f"For {m} labels and depth={depth} the result should have shape {(m, depth)}, one row per example; "
                 f"got {got.shape}, the lecture's (depth, m) layout.")
        if got.shape != (m, depth):
            columns = got.shape[-1] if got.ndim == 2 else None
            data = (f" Its {columns} columns are max(labels) + 1: the number of classes comes from `depth`, whatever "
                    f"labels occur." if columns == max(labels) + 1 else
                    f" Its {columns} columns are depth - 1; the classes are 0, ..., depth - 1, `depth` of them."
                    if columns == depth - 1 else " The result has `depth` columns, one per class.")
            fail(f"For labels {labels} and depth={depth} the result should have shape {(m, depth)}; got "
                 f"{got.shape}.{data}")
        if not np.array_equal(got, expected):
            shifted = np.array([np.eye(depth)[k - 1] if k > 0 else np.zeros(depth) for k in labels])
            words = (" Every 1 sits one column to the left: label k goes to column k." if np.array_equal(got, shifted)
                     else "")
            fail(f"For labels {labels} row i should be 1 at column labels[i] and 0 elsewhere.{words}")
    same_in_a_graph(tf, one_hot, "one_hot", (tf.constant(labels, tf.int32), depth), expected, 1e-6,
                    "tf.data's Dataset.map")
    return "shapes and positions correct for several label sets, classes from depth, and inside a tf.function."


_BIG = np.array([[1000, 0, -1000], [0, 1000, 0], [-1000, 0, 1000]])  # logits 2000 apart


@exercise("loss_from_logits", reference=_course_loss_from_logits)
def check_loss_from_logits(loss_from_logits):
    """``loss_from_logits(logits, labels) -> scalar tf.Tensor``: mean softmax cross-entropy, labels are integers."""
    tf = _tf()
    rng = np.random.default_rng(2)
    cases = [(rng.standard_normal((6, 4)) * 3, rng.integers(0, 4, 6), "float32", False),
             (rng.standard_normal((11, 10)) * 3, rng.integers(0, 10, 11), "float64", True),
             (_BIG, np.array([2, 0, 1]), "float32", False)]
    for logits, labels, dtype, as_tensor in cases:
        m, big = len(labels), logits is _BIG
        x = tf.constant(logits.astype(dtype))
        with tf.GradientTape() as tape:
            tape.watch(x)
            given = tf.constant(labels, tf.int32) if as_tensor else labels.copy()
            out = call(loss_from_logits, "loss_from_logits", x, given)
            unchanged("loss_from_logits", "labels", labels, np.asarray(given))
            got = _tensor(out, "loss_from_logits", "the mean loss")
        if got.shape == (m,):
            fail(f"You returned one loss per example, shape ({m},): the loss is their mean, one number.")
        if got.shape != ():
            fail(f"The loss should be one number (a tensor of shape ()); got shape {got.shape}.")
        per_example = -twins.log_softmax(logits.astype(float))[np.arange(m), labels]
        expected, value = per_example.mean(), float(got)
        where = (f"With large logits (rows such as [1000, 0, -1000], {m} examples)" if big else
                 f"For these {m} examples ({logits.shape[1]} classes, {dtype} logits)")
        if not np.isfinite(value):
            fail(f"{where} your loss is {value}, while the mean cross-entropy is {expected:.6g}: the loss must stay "
                 f"finite and exact at any gap between logits, so it is computed from the logits in a numerically "
                 f"stable way, not from softmax probabilities.")
        rtol = max(_RTOL[dtype], _RTOL[out.dtype.name] if out.dtype.name in _RTOL else 1e-4)
        if not np.isclose(value, expected, rtol=rtol, atol=0):
            hints = [(per_example.sum(), "That is the sum over the examples; the loss is their mean."),
                     (expected / logits.shape[1], "That is the mean over every (example, class) entry, divided by "
                                                  "m K; the loss averages over the m examples only."),
                     (-twins.log_softmax(np.exp(twins.log_softmax(logits.astype(float))))[np.arange(m), labels].mean(),
                      "That is the cross-entropy of softmax(logits) taken as logits: the softmax was applied twice.")]
            words = hint(hints, lambda v: np.isclose(value, v, rtol=rtol))
            stable = (" The spec asks for the numerically stable way: computed from the logits, the loss is exact at "
                      "any gap." if big else "")
            fail(f"{where} the mean softmax cross-entropy of the logits is {expected:.6g}; you returned {value:.6g}."
                 f"{stable} {words}".rstrip())
        probabilities = np.exp(twins.log_softmax(logits.astype(float)))
        _gradients(tape, out, {"the logits": x}, [(probabilities - np.eye(logits.shape[1])[labels]) / m],
                   "loss_from_logits", rtol)
    same_in_a_graph(tf, loss_from_logits, "loss_from_logits", (x, tf.constant(labels, tf.int32)), expected, rtol,
                    "a training step")
    return ("the mean softmax cross-entropy from logits correct in float32 and float64, exact for logits "
            "2000 apart, differentiable, and inside a tf.function.")


@exercise("forward_pass", reference=_course_forward_pass)
def check_forward_pass(forward_pass):
    """``forward_pass(X, params) -> logits``: ReLU(X W1 + b1), ReLU(. W2 + b2), then . W3 + b3 (no activation)."""
    tf = _tf()
    for seed, dims, dtype in [(4, [8, 6, 5, 3], "float32"), (5, [4, 7, 2, 10], "float64")]:
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((9, dims[0])).astype(dtype)
        C = rng.standard_normal((9, dims[3])).astype(dtype)
        params = {}
        for l in range(1, 4):
            params[f"W{l}"] = (rng.standard_normal((dims[l - 1], dims[l])) * np.sqrt(2 / dims[l - 1])).astype(dtype)
            params[f"b{l}"] = (0.5 * rng.standard_normal(dims[l])).astype(dtype)
        variables, rtol = {k: tf.Variable(v) for k, v in params.items()}, _RTOL[dtype]
        with tf.GradientTape() as tape:
            out = call(forward_pass, "forward_pass", tf.constant(X), dict(variables))
            unchanged("forward_pass", "params", params, {k: v.numpy() for k, v in variables.items()})
            Z = _tensor(out, "forward_pass", "the logits")
            if Z.shape == (dims[3], 9):
                fail(f"The logits have shape {Z.shape}, the lecture's column layout; here examples are rows: "
                     f"(m, n_3) = {(9, dims[3])}.")
            if Z.shape != (9, dims[3]):
                fail(f"For 9 examples and layers {dims} the logits should have shape {(9, dims[3])}; got {Z.shape}.")
            _dtype(out, tf.as_dtype(dtype), "The logits")
            loss = tf.reduce_sum(out * C)
        p = {k: v.astype(float) for k, v in params.items()}
        right = twins.network(X.astype(float), p)
        if not agree(Z, right, rtol):
            net = functools.partial(twins.network, X.astype(float), p)
            hints = [(net(output=lambda z: np.maximum(z, 0)), "You applied ReLU to the output: the last layer returns "
                                                               "the raw logits Z3 (the loss applies the softmax)."),
                     (net(output=lambda z: np.exp(twins.log_softmax(z))), "You applied softmax to the output: return "
                                                                          "the raw logits Z3; the loss applies it."),
                     (net(hidden=lambda z: z), "The hidden layers have no activation: ReLU after layers 1 and 2."),
                     (net(hidden=lambda z: 1 / (1 + np.exp(-z))), "The hidden layers use the sigmoid; the spec's "
                                                                  "are ReLU."),
                     (net(hidden=lambda z: np.where(z > 0, z, 0.2 * z)), "The hidden layers use a leaky ReLU "
                      "(negative inputs scaled by 0.2); the spec's ReLU sets them to 0."),
                     (net(bias_after=True), "Each bias is added after the activation; it goes inside: ReLU(A W + b).")]
            hints += [(net(skip=(k,)), f"Your logits match the net without {k}: every layer adds its bias.")
                      for k in ("b1", "b2", "b3")]
            words = hint(hints, lambda value: agree(Z, value, rtol))
            fail(f"For layers {dims} the logits differ from the expected ones by up to "
                 f"{np.max(np.abs(Z - right)):.3g}. {words}".strip())
        grads = twins.network_gradients(X.astype(float), p, C.astype(float))
        _gradients(tape, loss, variables, [grads[k] for k in variables], "forward_pass", rtol)
    same_in_a_graph(tf, forward_pass, "forward_pass", (tf.constant(X), dict(variables)), right, rtol, "a training step")
    return ("two ReLU layers and linear logits correct for a float32 and a float64 network, with "
            "GradientTape's gradients, and inside a tf.function.")
