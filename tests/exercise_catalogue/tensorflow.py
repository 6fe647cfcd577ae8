"""Tensorflow_introduction.ipynb: linear_function, one_hot_matrix, loss_from_logits, forward_pass.

TensorFlow is imported lazily-safe: when it is missing, the functions below still exist (they are only
called when a test runs), and every case here has ``needs_tf=True`` so the tests skip them.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

from . import Case  # noqa: E402

try:  # absolute import: this module's own name does not shadow the package
    import keras
    import tensorflow as tf
    AVAILABLE = True
except ImportError:  # pragma: no cover - exercised only without TensorFlow
    keras = tf = None
    AVAILABLE = False

LINEAR, ONE_HOT = "check_linear_function", "check_one_hot"
LOSS, FORWARD = "check_loss_from_logits", "check_forward_pass"


# ---------------------------------------------------------------- linear_function: correct

def lin_at_operator(X, W, b):
    # The @ operator on a tensor made from X.
    return tf.convert_to_tensor(X, dtype=W.dtype) @ W + b


def lin_add_linalg(X, W, b):
    # tf.add and tf.linalg.matmul.
    return tf.add(tf.linalg.matmul(X, W), b)


def lin_einsum(X, W, b):
    # tf.einsum.
    return tf.einsum("mi,io->mo", X, W) + b


def lin_keras_ops(X, W, b):
    # Keras 3's backend-agnostic ops (tf tensors on the TensorFlow backend).
    return keras.ops.add(keras.ops.matmul(X, W), b)


def lin_tensordot(X, W, b):
    # tf.tensordot over one axis, the bias as a (1, n_out) row.
    return tf.tensordot(X, W, axes=1) + tf.reshape(b, (1, -1))


# ---------------------------------------------------------------- linear_function: wrong

def lin_numpy_dot(X, W, b):
    # np.dot: a NumPy array comes back, outside TensorFlow's graph.
    return np.dot(X, W) + b


def lin_constant_of_numpy(X, W, b):
    # Computes in NumPy and wraps the result in tf.constant: a tensor with no gradient.
    return tf.constant(np.matmul(X, W) + b)


def lin_variable_assign(X, W, b):
    # Stores the result in a tf.Variable with assign: the tape does not see through it.
    Z = tf.Variable(tf.zeros((X.shape[0], W.shape[1]), dtype=W.dtype))
    Z.assign(tf.matmul(X, W) + b)
    return Z


def lin_returns_numpy(X, W, b):
    # .numpy() on the result "to see the values".
    return (tf.matmul(X, W) + b).numpy()


def lin_lecture_transposed(X, W, b):
    # The lecture's W^T X^T + b, shape (n_out, m).
    return tf.matmul(tf.transpose(W), tf.transpose(X)) + tf.reshape(b, (-1, 1))


def lin_no_bias(X, W, b):
    # Forgot + b.
    return tf.matmul(X, W)


def lin_minus_bias(X, W, b):
    # - b instead of + b.
    return tf.matmul(X, W) - b


def lin_elementwise(X, W, b):
    # * instead of matmul: fails to broadcast (m, n_in) with (n_in, n_out).
    return X * W + b


def lin_returns_pair(X, W, b):
    # Wrong kind: returns (Z, W).
    return tf.matmul(X, W) + b, W


# ---------------------------------------------------------------- one_hot_matrix: correct

def oh_keras_ops(labels, depth):
    # keras.ops.one_hot.
    return keras.ops.one_hot(labels, depth)


def oh_eye_gather(labels, depth):
    # Rows of the identity matrix.
    return tf.gather(tf.eye(depth), labels)


def oh_equal_range(labels, depth):
    # Compares each label with 0 .. depth-1.
    labels = tf.convert_to_tensor(labels)
    return tf.cast(tf.equal(tf.reshape(labels, (-1, 1)), tf.range(depth, dtype=labels.dtype)), tf.float32)


def oh_named_arguments(labels, depth):
    # tf.one_hot with every argument named.
    return tf.one_hot(indices=labels, depth=depth, on_value=1.0, off_value=0.0, axis=-1)


# ---------------------------------------------------------------- one_hot_matrix: wrong

def oh_numpy_rows(labels, depth):
    # Rows of NumPy's identity, made a tensor: right when called directly, but np.asarray of a symbolic tensor
    # fails inside Dataset.map, where the notebook calls it.
    return tf.constant(np.eye(depth, dtype=np.float32)[np.asarray(labels)])


def oh_depth_from_data(labels, depth):
    # The number of classes from the labels, not `depth`.
    return tf.one_hot(labels, int(np.max(labels)) + 1)


def oh_depth_reduce_max(labels, depth):
    # The same with tf.reduce_max (which also fails for int64 labels: one_hot wants an int32 depth).
    return tf.one_hot(labels, tf.reduce_max(labels) + 1)


def oh_hardcoded_10(labels, depth):
    # 10 classes, as in the digits.
    return tf.one_hot(labels, 10)


def oh_depth_minus_one(labels, depth):
    # depth - 1 "because classes start at 0".
    return tf.one_hot(labels, depth - 1)


def oh_transposed(labels, depth):
    # The lecture's (depth, m) layout.
    return tf.transpose(tf.one_hot(labels, depth))


def oh_axis_0(labels, depth):
    # axis=0, copied from the lecture's single-label version: (depth, m).
    return tf.one_hot(labels, depth, axis=0)


def oh_labels_minus_one(labels, depth):
    # Assumes labels start at 1.
    return tf.one_hot(labels - 1, depth)


def oh_reshape_single(labels, depth):
    # The lecture's one-label version, reshaped to (depth,): fails for m > 1.
    return tf.reshape(tf.one_hot(labels, depth, axis=0), (depth,))


def oh_list_of_rows(labels, depth):
    # Wrong kind: a Python list of (depth,) tensors.
    return [tf.one_hot(label, depth) for label in labels]


def oh_returns_pair(labels, depth):
    # Wrong kind: returns (one_hot, depth).
    return tf.one_hot(labels, depth), depth


# ---------------------------------------------------------------- loss_from_logits: correct

def loss_keras_class(logits, labels):
    # Keras's loss object, from logits (its default reduction is the mean over the batch).
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)


def loss_logsumexp_gather(logits, labels):
    # logsumexp of each row minus the label's logit.
    picked = tf.gather(logits, labels, batch_dims=1)
    return tf.reduce_mean(tf.reduce_logsumexp(logits, axis=1) - picked)


def loss_log_softmax_one_hot(logits, labels):
    # tf.nn.log_softmax and a one-hot mask.
    logits = tf.convert_to_tensor(logits)
    mask = tf.one_hot(labels, tf.shape(logits)[1], dtype=logits.dtype)
    return -tf.reduce_mean(tf.reduce_sum(mask * tf.nn.log_softmax(logits, axis=1), axis=1))


def loss_dense_labels(logits, labels):
    # The dense softmax cross-entropy with one-hot labels.
    logits = tf.convert_to_tensor(logits)
    dense = tf.one_hot(labels, depth=logits.shape[-1], dtype=logits.dtype)
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=dense, logits=logits))


def loss_keras_ops(logits, labels):
    # keras.ops.sparse_categorical_crossentropy, then the mean.
    return keras.ops.mean(keras.ops.sparse_categorical_crossentropy(labels, logits, from_logits=True))


# ---------------------------------------------------------------- loss_from_logits: wrong

def loss_log_of_softmax(logits, labels):
    # -log(softmax(logits)): log(0) = -inf once a logit gap exceeds ~100 (float32) or ~750 (float64).
    probabilities = tf.nn.softmax(logits, axis=1)
    return -tf.reduce_mean(tf.math.log(tf.gather(probabilities, labels, batch_dims=1)))


def loss_keras_probabilities(logits, labels):
    # Keras's loss with its default from_logits=False: the logits are taken for probabilities.
    return keras.losses.SparseCategoricalCrossentropy()(labels, logits)


def loss_exp_without_shift(logits, labels):
    # log(sum(exp(logits))) without subtracting the max: exp(1000) overflows.
    logits = tf.convert_to_tensor(logits)
    log_norm = tf.math.log(tf.reduce_sum(tf.exp(logits), axis=1))
    return tf.reduce_mean(log_norm - tf.gather(logits, labels, batch_dims=1))


def loss_clipped_probabilities(logits, labels):
    # Clips the softmax at 1e-7 before the log: finite, but wrong for large gaps.
    probabilities = tf.clip_by_value(tf.nn.softmax(logits, axis=1), 1e-7, 1.0)
    return -tf.reduce_mean(tf.math.log(tf.gather(probabilities, labels, batch_dims=1)))


def loss_sum_not_mean(logits, labels):
    # reduce_sum over the examples, not the mean.
    return tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def loss_per_example(logits, labels):
    # Forgot the mean: one loss per example.
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def loss_mean_over_classes(logits, labels):
    # reduce_mean over every (example, class) entry: divides by m K.
    logits = tf.convert_to_tensor(logits)
    mask = tf.one_hot(labels, tf.shape(logits)[1], dtype=logits.dtype)
    return -tf.reduce_mean(mask * tf.nn.log_softmax(logits))


def loss_sigmoid(logits, labels):
    # Sigmoid (one-vs-all) cross-entropy, not softmax.
    logits = tf.convert_to_tensor(logits)
    targets = tf.one_hot(labels, tf.shape(logits)[1], dtype=logits.dtype)
    return tf.reduce_mean(tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits),
                                        axis=1))


def loss_hardcoded_10_classes(logits, labels):
    # One-hot with 10 classes (the digits): shape mismatch for any other K.
    targets = tf.one_hot(labels, 10, dtype=tf.convert_to_tensor(logits).dtype)
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=targets, logits=logits))


def loss_swapped_arguments(logits, labels):
    # Positional arguments in the wrong order: labels=logits, logits=labels.
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(logits, labels))


def loss_returns_pair(logits, labels):
    # Wrong kind: returns (loss, probabilities).
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    return loss, tf.nn.softmax(logits)


def loss_returns_list(logits, labels):
    # Wrong kind: a list of per-example Python floats.
    return [float(x) for x in tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)]


# ---------------------------------------------------------------- forward_pass: correct

def fp_numpy_check_inside(X, params):
    # Checks the hidden activations with .numpy() on the way: right called directly, but a symbolic tensor
    # has no .numpy() inside the tf.function training step.
    A = tf.nn.relu(tf.matmul(X, params["W1"]) + params["b1"])
    assert np.all(A.numpy() >= 0)
    A = tf.nn.relu(tf.matmul(A, params["W2"]) + params["b2"])
    return tf.matmul(A, params["W3"]) + params["b3"]


def fp_keras_ops(X, params):
    # keras.ops.
    A1 = keras.ops.relu(keras.ops.matmul(X, params["W1"]) + params["b1"])
    A2 = keras.ops.relu(keras.ops.matmul(A1, params["W2"]) + params["b2"])
    return keras.ops.matmul(A2, params["W3"]) + params["b3"]


def fp_maximum(X, params):
    # ReLU as tf.maximum(Z, 0).
    Z1 = tf.matmul(X, params["W1"]) + params["b1"]
    Z2 = tf.matmul(tf.maximum(Z1, 0.0), params["W2"]) + params["b2"]
    return tf.matmul(tf.maximum(Z2, 0.0), params["W3"]) + params["b3"]


def fp_bias_add_loop(X, params):
    # A loop over the three layers with tf.nn.bias_add; no ReLU on the last.
    A = tf.convert_to_tensor(X)
    for l in range(1, 4):
        Z = tf.nn.bias_add(tf.matmul(A, params[f"W{l}"]), params[f"b{l}"])
        A = keras.activations.relu(Z) if l < 3 else Z
    return A


def fp_einsum(X, params):
    # tf.einsum for every product.
    A1 = tf.nn.relu(tf.einsum("mi,ij->mj", X, params["W1"]) + params["b1"])
    A2 = tf.nn.relu(tf.einsum("mi,ij->mj", A1, params["W2"]) + params["b2"])
    return tf.einsum("mi,ij->mj", A2, params["W3"]) + params["b3"]


# ---------------------------------------------------------------- forward_pass: wrong

def _dense(A, params, l):
    return tf.matmul(A, params[f"W{l}"]) + params[f"b{l}"]


def fp_relu_on_logits(X, params):
    # ReLU after the last layer too: negative logits become 0.
    A = X
    for l in (1, 2, 3):
        A = tf.nn.relu(_dense(A, params, l))
    return A


def fp_softmax_output(X, params):
    # Softmax on the output: probabilities, not logits.
    A = tf.nn.relu(_dense(tf.nn.relu(_dense(X, params, 1)), params, 2))
    return tf.nn.softmax(_dense(A, params, 3))


def fp_sigmoid_hidden(X, params):
    # Sigmoid hidden layers instead of ReLU.
    A = tf.sigmoid(_dense(tf.sigmoid(_dense(X, params, 1)), params, 2))
    return _dense(A, params, 3)


def fp_leaky_relu(X, params):
    # Leaky ReLU instead of ReLU.
    A = tf.nn.leaky_relu(_dense(tf.nn.leaky_relu(_dense(X, params, 1)), params, 2))
    return _dense(A, params, 3)


def fp_relu_before_bias(X, params):
    # relu(X W) + b: the bias added after the activation.
    A1 = tf.nn.relu(tf.matmul(X, params["W1"])) + params["b1"]
    A2 = tf.nn.relu(tf.matmul(A1, params["W2"])) + params["b2"]
    return tf.matmul(A2, params["W3"]) + params["b3"]


def fp_no_b2(X, params):
    # Forgot b2.
    A1 = tf.nn.relu(_dense(X, params, 1))
    A2 = tf.nn.relu(tf.matmul(A1, params["W2"]))
    return _dense(A2, params, 3)


def fp_through_numpy(X, params):
    # NumPy arithmetic on .numpy() copies, wrapped back into a tensor: no gradient.
    p = {k: v.numpy() for k, v in params.items()}
    A1 = np.maximum(np.asarray(X) @ p["W1"] + p["b1"], 0)
    A2 = np.maximum(A1 @ p["W2"] + p["b2"], 0)
    return tf.constant(A2 @ p["W3"] + p["b3"])


def fp_constant_weights(X, params):
    # tf.constant copies of the variables: the tape cannot reach the variables.
    W1, W2, W3 = (tf.constant(params[f"W{l}"]) for l in (1, 2, 3))
    b1, b2, b3 = (tf.constant(params[f"b{l}"]) for l in (1, 2, 3))
    A2 = tf.nn.relu(tf.nn.relu(X @ W1 + b1) @ W2 + b2)
    return A2 @ W3 + b3


def fp_variable_activations(X, params):
    # Keeps the hidden activations in tf.Variables (assign): the gradient stops there.
    A1 = tf.Variable(tf.nn.relu(_dense(X, params, 1)))
    A2 = tf.Variable(tf.zeros((A1.shape[0], params["W2"].shape[1]), dtype=A1.dtype))
    A2.assign(tf.nn.relu(_dense(A1, params, 2)))
    return _dense(A2, params, 3)


def fp_lecture_transposed(X, params):
    # The lecture's column layout W^T A^T: logits of shape (n_3, m).
    A = tf.transpose(tf.convert_to_tensor(X))
    for l in (1, 2, 3):
        Z = tf.matmul(tf.transpose(params[f"W{l}"]), A) + tf.reshape(params[f"b{l}"], (-1, 1))
        A = tf.nn.relu(Z) if l < 3 else Z
    return A


def fp_returns_cache(X, params):
    # Wrong kind: returns (logits, cache).
    A1 = tf.nn.relu(_dense(X, params, 1))
    A2 = tf.nn.relu(_dense(A1, params, 2))
    Z3 = _dense(A2, params, 3)
    return Z3, {"A1": A1, "A2": A2}


def fp_returns_activations(X, params):
    # Wrong kind: a list [A1, A2, Z3].
    A1 = tf.nn.relu(_dense(X, params, 1))
    A2 = tf.nn.relu(_dense(A1, params, 2))
    return [A1, A2, _dense(A2, params, 3)]


_DIFF = r"GradientTape|differentiab|gradient"


# ---------------------------------------------------------------- added with the checks' rewrite (issue 25)

def fp_tanh_hidden(X, params):
    # tanh hidden layers instead of ReLU.
    A = tf.tanh(_dense(tf.tanh(_dense(X, params, 1)), params, 2))
    return _dense(A, params, 3)


def fp_keras_relu_layer(X, params):
    # keras.layers.ReLU(): a Keras layer computes in float32, so a float64 network breaks.
    relu = keras.layers.ReLU()
    A = relu(_dense(relu(_dense(X, params, 1)), params, 2))
    return _dense(A, params, 3)


def oh_depth_plus_one(labels, depth):
    # depth + 1 "for safety".
    return tf.one_hot(labels, depth + 1)


CORRECT = [Case(c, n, f, needs_tf=True) for c, n, f in [
    (LINEAR, "lin_at_operator", lin_at_operator),
    (LINEAR, "lin_add_linalg", lin_add_linalg),
    (LINEAR, "lin_einsum", lin_einsum),
    (LINEAR, "lin_keras_ops", lin_keras_ops),
    (LINEAR, "lin_tensordot", lin_tensordot),
    (ONE_HOT, "oh_keras_ops", oh_keras_ops),
    (ONE_HOT, "oh_eye_gather", oh_eye_gather),
    (ONE_HOT, "oh_equal_range", oh_equal_range),
    (ONE_HOT, "oh_named_arguments", oh_named_arguments),
    (LOSS, "loss_keras_class", loss_keras_class),
    (LOSS, "loss_logsumexp_gather", loss_logsumexp_gather),
    (LOSS, "loss_log_softmax_one_hot", loss_log_softmax_one_hot),
    (LOSS, "loss_dense_labels", loss_dense_labels),
    (LOSS, "loss_keras_ops", loss_keras_ops),
    (FORWARD, "fp_keras_ops", fp_keras_ops),
    (FORWARD, "fp_maximum", fp_maximum),
    (FORWARD, "fp_bias_add_loop", fp_bias_add_loop),
    (FORWARD, "fp_einsum", fp_einsum),
]]

WRONG = [Case(c, n, f, p, r, needs_tf=True) for c, n, f, p, r in [
    (LINEAR, "lin_numpy_dot", lin_numpy_dot, "differentiable", _DIFF + r"|tf\.Tensor|numpy"),
    (LINEAR, "lin_constant_of_numpy", lin_constant_of_numpy, "differentiable", _DIFF),
    (LINEAR, "lin_variable_assign", lin_variable_assign, "differentiable", _DIFF + r"|Variable|tf\.Tensor"),
    (LINEAR, "lin_returns_numpy", lin_returns_numpy, "differentiable", _DIFF + r"|tf\.Tensor|numpy"),
    (LINEAR, "lin_lecture_transposed", lin_lecture_transposed, "value: shape (m, n_out)", r"shape|transpos"),
    (LINEAR, "lin_no_bias", lin_no_bias, "value: + b", r"bias|\bb\b"),
    (LINEAR, "lin_minus_bias", lin_minus_bias, "sign", r"bias|\bb\b|sign"),
    (LINEAR, "lin_elementwise", lin_elementwise, "learner error", r"raise|error|shape|matmul"),
    (LINEAR, "lin_returns_pair", lin_returns_pair, "wrong kind", r"tensor|tuple|return|expected|got"),

    (ONE_HOT, "oh_depth_from_data", oh_depth_from_data, "depth", r"depth"),
    (ONE_HOT, "oh_numpy_rows", oh_numpy_rows, "runs in a graph", r"tf\.function|Dataset\.map"),
    (ONE_HOT, "oh_depth_reduce_max", oh_depth_reduce_max, "depth", r"depth|raise|error"),
    (ONE_HOT, "oh_hardcoded_10", oh_hardcoded_10, "depth", r"depth"),
    (ONE_HOT, "oh_depth_minus_one", oh_depth_minus_one, "depth", r"depth|shape"),
    (ONE_HOT, "oh_transposed", oh_transposed, "value: shape (m, depth)", r"shape|transpos"),
    (ONE_HOT, "oh_axis_0", oh_axis_0, "value: shape (m, depth)", r"shape|transpos|axis"),
    (ONE_HOT, "oh_labels_minus_one", oh_labels_minus_one, "value: the 1 in column labels[i]",
     r"column|label|position|row"),
    (ONE_HOT, "oh_reshape_single", oh_reshape_single, "learner error", r"raise|error|shape|reshape"),
    (ONE_HOT, "oh_list_of_rows", oh_list_of_rows, "wrong kind", r"tensor|list|return|expected|got"),
    (ONE_HOT, "oh_returns_pair", oh_returns_pair, "wrong kind", r"tensor|tuple|return|expected|got"),

    (LOSS, "loss_log_of_softmax", loss_log_of_softmax, "numerical stability", r"stab|finite|inf|overflow|logits"),
    (LOSS, "loss_keras_probabilities", loss_keras_probabilities, "numerical stability",
     r"stab|finite|inf|overflow|logits|probab"),
    (LOSS, "loss_exp_without_shift", loss_exp_without_shift, "numerical stability",
     r"stab|finite|inf|overflow|logits"),
    (LOSS, "loss_clipped_probabilities", loss_clipped_probabilities, "numerical stability",
     r"stab|finite|inf|overflow|logits"),
    (LOSS, "loss_sum_not_mean", loss_sum_not_mean, "value: mean over examples", r"mean|sum|average"),
    (LOSS, "loss_per_example", loss_per_example, "value: mean over examples", r"mean|scalar|shape|average"),
    (LOSS, "loss_mean_over_classes", loss_mean_over_classes, "value: mean over examples",
     r"mean|average|class|\bK\b"),
    (LOSS, "loss_sigmoid", loss_sigmoid, "value: softmax cross-entropy", r"softmax|sigmoid|cross.?entropy|expected"),
    (LOSS, "loss_hardcoded_10_classes", loss_hardcoded_10_classes, "value: K from the logits",
     r"class|\bK\b|shape|raise|error"),
    (LOSS, "loss_swapped_arguments", loss_swapped_arguments, "learner error", r"raise|error|label"),
    (LOSS, "loss_returns_pair", loss_returns_pair, "wrong kind", r"scalar|number|tuple|return|expected|got"),
    (LOSS, "loss_returns_list", loss_returns_list, "wrong kind", r"scalar|number|list|return|expected|got"),

    (FORWARD, "fp_relu_on_logits", fp_relu_on_logits, "value: raw logits from layer 3",
     r"logit|last|output|activation|negative|linear"),
    (FORWARD, "fp_softmax_output", fp_softmax_output, "value: raw logits from layer 3",
     r"logit|softmax|probab|output|activation"),
    (FORWARD, "fp_sigmoid_hidden", fp_sigmoid_hidden, "value: ReLU hidden layers", r"ReLU|activation|hidden|logit"),
    (FORWARD, "fp_leaky_relu", fp_leaky_relu, "value: ReLU hidden layers", r"ReLU|activation|hidden|negative|logit"),
    (FORWARD, "fp_relu_before_bias", fp_relu_before_bias, "value: ReLU(X W + b)",
     r"bias|order|logits|value|expected"),
    (FORWARD, "fp_no_b2", fp_no_b2, "every layer", r"b2|bias|layer"),
    (FORWARD, "fp_through_numpy", fp_through_numpy, "differentiable", _DIFF),
    (FORWARD, "fp_constant_weights", fp_constant_weights, "differentiable", _DIFF),
    (FORWARD, "fp_variable_activations", fp_variable_activations, "differentiable", _DIFF),
    (FORWARD, "fp_lecture_transposed", fp_lecture_transposed, "value: shape (m, n_3)", r"shape|transpos"),
    (FORWARD, "fp_returns_cache", fp_returns_cache, "wrong kind", r"tensor|tuple|return|expected|got"),
    (FORWARD, "fp_returns_activations", fp_returns_activations, "wrong kind", r"tensor|list|return|expected|got"),
    (FORWARD, "fp_tanh_hidden", fp_tanh_hidden, "value: ReLU hidden layers", r"ReLU|activation|hidden|logit"),
    (FORWARD, "fp_keras_relu_layer", fp_keras_relu_layer, "value: the inputs' dtype kept", r"dtype"),
    (FORWARD, "fp_numpy_check_inside", fp_numpy_check_inside, "runs in a graph",
     r"tf\.function|training step"),
    (ONE_HOT, "oh_depth_plus_one", oh_depth_plus_one, "depth", r"depth"),
]]
