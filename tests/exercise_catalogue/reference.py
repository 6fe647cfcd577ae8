"""Judges that test the catalogue itself, without course_utils.checks.

``JUDGES[check](*fns)`` returns None when the implementation meets its exercise's spec and raises
``Wrong(reason)`` when it does not. Each judge compares with the package's reference implementation
(``initializers``, ``optimizers``, ``schedules``, ``regularization``, ``gradcheck``, ``training``)
where one exists, on inputs chosen so that every wrong case in the catalogue shows its mistake, and
probes the properties the spec states (draws only from ``rng``, leaves its inputs alone, ...).
"""
import copy
import math
import sys

import numpy as np

from course_utils import gradcheck, initializers, optimizers, regularization, schedules, training


class Wrong(Exception):
    """The implementation does not meet the spec; the message says how."""


def _call(fn, *args):
    """fn(*args), with any exception the learner's code raises turned into Wrong."""
    try:
        return fn(*args)
    except Exception as err:  # noqa: BLE001 - anything the learner's code raises
        raise Wrong(f"the function raised {type(err).__name__}: {err}") from err


def _require(condition, message):
    if not condition:
        raise Wrong(message)


def _scalar(value, what="the result"):
    """value as a float, or Wrong unless it is one real number (not a bool, tuple, list or array)."""
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (tuple, list, dict, str)):
        raise Wrong(f"{what} must be a number; got {type(value).__name__}")
    if np.ndim(value) != 0:
        raise Wrong(f"{what} must be a number; got shape {np.shape(value)}")
    try:
        return float(value)
    except (TypeError, ValueError) as err:
        raise Wrong(f"{what} must be a number; got {type(value).__name__}") from err


def _pair(result, n, names):
    _require(isinstance(result, (tuple, list)) and len(result) == n,
             f"expected a tuple {names}; got {type(result).__name__}"
             + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    return result


def _close(got, expected, what, rtol=1e-6, atol=1e-12):
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    _require(got.shape == expected.shape, f"{what}: shape {got.shape}, expected {expected.shape}")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise Wrong(f"{what}: max difference {np.nanmax(np.abs(got - expected)):.3g} from the expected values")


class _GlobalRngUntouched:
    """Wrong if the code inside the block draws from (or reseeds) NumPy's global generator."""

    def __enter__(self):
        np.random.seed(12345)
        self.state = np.random.get_state()

    def __exit__(self, *exc):
        if exc[0] is None:
            after = np.random.get_state()
            same = np.array_equal(after[1], self.state[1]) and after[2] == self.state[2]
            _require(same, "it draws from (or seeds) np.random, not the rng it is given")
        return False


# ================================================================ Initialization

_DIMS = [30, 50, 400, 60]     # fans differ between layers and between fan-in and fan-out


def _init_judge(method, scale=None):
    def judge(fn):
        extra = () if scale is None else (scale,)
        for dims in ([5, 3], _DIMS):
            with _GlobalRngUntouched():
                params = _call(fn, dims, np.random.default_rng(7), *extra)
            _require(isinstance(params, dict), f"expected a dict of arrays; got {type(params).__name__}")
            keys = {f"{p}{l}" for l in range(1, len(dims)) for p in "Wb"}
            _require(set(params) == keys, f"keys {sorted(params)}; expected {sorted(keys)}")
            for l in range(1, len(dims)):
                W, b = params[f"W{l}"], params[f"b{l}"]
                for name, arr, shape in ((f"W{l}", W, (dims[l - 1], dims[l])), (f"b{l}", b, (dims[l],))):
                    _require(isinstance(arr, np.ndarray), f"{name} is {type(arr).__name__}, not an array")
                    _require(arr.shape == shape, f"{name} has shape {arr.shape}, expected {shape}")
                    _require(arr.dtype.kind == "f", f"{name} has dtype {arr.dtype}, expected a float dtype")
                _require(not b.any(), f"b{l}: biases must start at zero")
                if method == "zeros":
                    _require(not W.any(), f"W{l} must be all zeros")
                    continue
                var = initializers.weight_variance(method, dims[l - 1], dims[l], random_scale=scale or 10.0)
                if W.size >= 500:
                    sample_var = float(np.mean(np.square(W, dtype=np.float64)))
                    _require(abs(float(np.mean(W, dtype=np.float64))) < 0.1 * math.sqrt(sample_var),
                             f"W{l}: mean {np.mean(W):.3g}, expected 0 (normal draws)")
                    _require(abs(sample_var / var - 1) < 0.15,
                             f"W{l}: variance {sample_var:.4g}, expected {var:.4g}")
        if method != "zeros":
            a = _call(fn, _DIMS, np.random.default_rng(3), *extra)
            b = _call(fn, _DIMS, np.random.default_rng(3), *extra)
            c = _call(fn, _DIMS, np.random.default_rng(4), *extra)
            _require(all(np.array_equal(a[k], b[k]) for k in a), "the same rng seed gives different weights")
            _require(not np.array_equal(a["W2"], c["W2"]), "different rng seeds give the same W2: rng unused")
            # The spec's draws: W_l = rng.standard_normal((n_{l-1}, n_l)) * std, layer 1 first (the notebook
            # compares initializers given one seed, so they must draw the same numbers).
            rng = np.random.default_rng(3)
            for l in range(1, len(_DIMS)):
                std = math.sqrt(initializers.weight_variance(method, _DIMS[l - 1], _DIMS[l],
                                                             random_scale=scale or 10.0))
                drawn = rng.standard_normal((_DIMS[l - 1], _DIMS[l])) * std
                _require(np.allclose(np.asarray(a[f"W{l}"], np.float64), drawn, rtol=1e-5, atol=0),
                         f"W{l} is not rng.standard_normal((n_{{l-1}}, n_l)) * std, drawn layer by layer")
    return judge


# ================================================================ Optimization

def judge_mini_batches(fn):
    for m, n, b in ((50, 3, 8), (48, 3, 16), (7, 2, 10), (64, 5, 64), (9, 2, 1)):
        data_rng = np.random.default_rng(m)
        X = np.column_stack([np.arange(m, dtype=float), data_rng.standard_normal((m, n - 1))])
        y = np.arange(m) + 1000
        X0, y0 = X.copy(), y.copy()
        with _GlobalRngUntouched():
            batches = _call(fn, X, y, b, np.random.default_rng(11))
        _require(np.array_equal(X, X0) and np.array_equal(y, y0), "it modified the caller's X or y")
        _require(isinstance(batches, list), f"expected a list of (X_batch, y_batch); got {type(batches).__name__}")
        sizes = [b] * (m // b) + ([m % b] if m % b else [])
        for batch in batches:
            _pair(batch, 2, "(X_batch, y_batch)")
        got_sizes = [np.shape(Xb)[0] for Xb, _ in batches]
        _require(got_sizes == sizes, f"batch sizes {got_sizes}, expected {sizes} (m={m}, batch_size={b})")
        ids = []
        for Xb, yb in batches:
            _require(np.shape(Xb) == (len(Xb), n) and np.shape(yb) == (len(Xb),), "batch shapes")
            _require(np.array_equal(np.asarray(Xb)[:, 0], np.asarray(yb) - 1000),
                     "rows of X_batch and labels y_batch no longer match (one shared permutation)")
            ids.extend(np.asarray(yb) - 1000)
        _require(sorted(ids) == list(range(m)), "rows missing or repeated")
        if m >= 7:
            _require(ids != list(range(m)), "the rows are not shuffled")
        again = _call(fn, X, y, b, np.random.default_rng(11))
        other = _call(fn, X, y, b, np.random.default_rng(12))
        _require(all(np.array_equal(p[1], q[1]) for p, q in zip(batches, again)), "same rng, different batches")
        if m >= 7:
            _require(not all(np.array_equal(p[1], q[1]) for p, q in zip(batches, other)),
                     "different rng seeds give the same order: rng unused")
        # the spec's rng.permutation(m): with the same generator state, the course's function gives these rows
        reference = training.random_mini_batches(X0, y0, b, rng=np.random.default_rng(11))
        _require(all(np.array_equal(p[1], q[1]) for p, q in zip(batches, reference)),
                 "not the order of rng.permutation(m)")


def _run_updates(fn, kind, settings, steps=4):
    """Run `steps` updates of fn from zero state against the package's optimizer; Wrong on any difference."""
    for setting in settings:
        data = np.random.default_rng(5)
        W = data.standard_normal((3, 4))
        grads = [setting.get("grad_scale", 1.0) * data.standard_normal((3, 4)) for _ in range(steps)]
        state = [np.zeros((3, 4)) for _ in range(2 if kind == "adam" else 1)]
        ref_W = {"W": W.copy()}
        if kind == "momentum":
            opt = optimizers.Momentum(learning_rate=setting["learning_rate"], beta=setting["beta"])
        elif kind == "rmsprop":
            opt = optimizers.RMSprop(learning_rate=setting["learning_rate"], rho=setting["rho"],
                                     epsilon=setting["epsilon"], epsilon_form="textbook")
        else:
            opt = optimizers.Adam(learning_rate=setting["learning_rate"], beta_1=setting["beta_1"],
                                  beta_2=setting["beta_2"], epsilon=setting["epsilon"], epsilon_form="textbook")
        ref_state = [s.copy() for s in state]
        for t, dW in enumerate(grads, start=1):
            inputs = [W, dW, *state]
            copies = [a.copy() for a in inputs]
            if kind == "momentum":
                out = _call(fn, W, dW, state[0], setting["beta"], setting["learning_rate"])
            elif kind == "rmsprop":
                out = _call(fn, W, dW, state[0], setting["rho"], setting["learning_rate"], setting["epsilon"])
            else:
                out = _call(fn, W, dW, state[0], state[1], t, setting["learning_rate"], setting["beta_1"],
                            setting["beta_2"], setting["epsilon"])
            _pair(out, 1 + len(state), "(W, state...)")
            _require(all(np.array_equal(a, c) for a, c in zip(inputs, copies)),
                     "it modified an input array in place")
            opt.step(ref_W, {"W": dW})
            if kind == "momentum":
                ref_state = [setting["beta"] * ref_state[0] + (1 - setting["beta"]) * dW]
            elif kind == "rmsprop":
                ref_state = [setting["rho"] * ref_state[0] + (1 - setting["rho"]) * dW ** 2]
            else:
                ref_state = [setting["beta_1"] * ref_state[0] + (1 - setting["beta_1"]) * dW,
                             setting["beta_2"] * ref_state[1] + (1 - setting["beta_2"]) * dW ** 2]
            for i, ref in enumerate(ref_state, start=1):
                _require(isinstance(out[i], np.ndarray), f"state {i} is not an array")
                _close(out[i], ref, f"state {i} after step {t} ({setting})", rtol=1e-9)
            _require(isinstance(out[0], np.ndarray), "W is not an array")
            _close(out[0], ref_W["W"], f"W after step {t} ({setting})", rtol=1e-9)
            W, state = out[0], list(out[1:])


def judge_momentum(fn):
    _run_updates(fn, "momentum", [{"beta": 0.9, "learning_rate": 0.01}, {"beta": 0.7, "learning_rate": 0.2}])


def judge_rmsprop(fn):
    _run_updates(fn, "rmsprop", [{"rho": 0.9, "learning_rate": 0.01, "epsilon": 1e-8},
                                 {"rho": 0.75, "learning_rate": 0.1, "epsilon": 0.1, "grad_scale": 0.05}])


def judge_adam(fn):
    _run_updates(fn, "adam", [
        {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8},
        {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 0.05, "grad_scale": 0.05}])


def judge_step_decay(fn):
    for lr0 in (0.5, 0.01):
        for T in (1, 3, 10):
            for r in (1.0, 0.7, 2.5):
                schedule = schedules.InverseTimeDecay(lr0, T, r, staircase=True)
                for epoch in range(26):
                    got = _scalar(_call(fn, lr0, epoch, r, T), "the learning rate")
                    expected = schedule(epoch)
                    _require(math.isclose(got, expected, rel_tol=1e-6),
                             f"lr0={lr0}, epoch={epoch}, decay_rate={r}, time_interval={T}: "
                             f"got {got:.6g}, expected {expected:.6g}")


# ================================================================ Regularization

def _params(dims, seed):
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l - 1], dims[l]))
        params[f"b{l}"] = rng.standard_normal(dims[l])
    return params


def judge_l2_cost(fn):
    for dims, l2, m in (([4, 5, 3, 2], 0.7, 10), ([3, 6, 4, 5, 2], 0.1, 3), ([2, 3], 1.3, 64)):
        params = _params(dims, len(dims))
        copies = {k: v.copy() for k, v in params.items()}
        got = _scalar(_call(fn, 0.6931, params, l2, m), "the cost")
        _require(all(np.array_equal(params[k], copies[k]) for k in copies), "it modified params")
        expected = 0.6931 + regularization.l2_penalty(copies, l2, m)
        _require(math.isclose(got, expected, rel_tol=1e-6), f"dims {dims}: cost {got:.7g}, expected {expected:.7g}")


def judge_l2_backward(fn):
    for l2, m in ((0.7, 10), (0.1, 3), (2.0, 1)):
        W = np.random.default_rng(m).standard_normal((4, 3))
        W0 = W.copy()
        got = _call(fn, W, l2, m)
        _require(np.array_equal(W, W0), "it modified W")
        _require(isinstance(got, np.ndarray), f"expected an array; got {type(got).__name__}")
        _close(got, regularization.l2_gradient(W0, l2, m), f"l2={l2}, m={m}")


def judge_dropout_forward(fn):
    A = np.random.default_rng(0).uniform(0.5, 2.0, (400, 300))
    A0 = A.copy()
    for keep_prob in (0.8, 0.3):
        with _GlobalRngUntouched():
            out = _pair(_call(fn, A, keep_prob, np.random.default_rng(21)), 2, "(A_drop, mask)")
        _require(np.array_equal(A, A0), "it modified A")
        A_drop, mask = out
        _require(isinstance(A_drop, np.ndarray) and A_drop.shape == A.shape, "A_drop must be an array of A's shape")
        _require(np.shape(mask) == A.shape, f"mask shape {np.shape(mask)}, expected {A.shape}")
        mask = np.asarray(mask, dtype=float)
        _require(np.isin(mask, (0.0, 1.0)).all(), "the mask must hold 0s and 1s")
        _close(A_drop, A0 * mask / keep_prob, f"A_drop (keep_prob={keep_prob})")
        _require(abs(mask.mean() - keep_prob) < 0.01, f"kept fraction {mask.mean():.3f}, expected {keep_prob}")
        again = np.asarray(_call(fn, A, keep_prob, np.random.default_rng(21))[1], dtype=float)
        other = np.asarray(_call(fn, A, keep_prob, np.random.default_rng(22))[1], dtype=float)
        _require(np.array_equal(mask, again), "the same rng seed gives different masks")
        _require(not np.array_equal(mask, other), "different rng seeds give the same mask: rng unused")


def judge_dropout_backward(fn):
    rng = np.random.default_rng(1)
    dA = rng.standard_normal((50, 40))
    dA0 = dA.copy()
    for keep_prob in (0.8, 0.3):
        mask = rng.random(dA.shape) < keep_prob
        for given in (mask, mask.astype(float)):
            with _GlobalRngUntouched():
                got = _call(fn, dA, given, keep_prob)
            _require(np.array_equal(dA, dA0), "it modified dA")
            _require(isinstance(got, np.ndarray), f"expected an array; got {type(got).__name__}")
            _close(got, regularization.apply_dropout(dA0, mask, keep_prob), f"keep_prob={keep_prob}")


# ================================================================ Gradient checking

def _rel(g, a):
    return abs(g - a) / (abs(g) + abs(a))


def judge_gradient_check_1d(fn):
    functions = [(lambda x: x ** 3, lambda x: 3 * x ** 2), (math.sin, math.cos), (lambda x: math.exp(-x), None)]
    for J, dJ in functions:
        true = dJ if dJ is not None else (lambda x: -math.exp(-x))
        for theta in (1.3, -0.7, 2.0):
            for derivative in (true, lambda x, f=true: 0.5 * f(x), lambda x, f=true: -f(x),
                               lambda x, f=true: f(x) + 0.3):
                for eps in (1e-2, 1e-4, 1e-7):
                    got = _scalar(_call(fn, J, derivative, theta, eps), "the relative error")
                    expected = _rel(derivative(theta), (J(theta + eps) - J(theta - eps)) / (2 * eps))
                    tol = 1e-6 * expected + (1e-9 if eps >= 1e-4 else 1e-6)
                    _require(abs(got - expected) <= tol,
                             f"theta={theta}, epsilon={eps}: got {got:.6g}, expected {expected:.6g}")
    seen = set()  # float32 theta and epsilon: the notebook's float32 curve needs J evaluated in float32

    def cube(x):
        seen.add(np.asarray(x).dtype.name)
        return x ** 3

    _call(fn, cube, lambda x: 3 * x ** 2, np.float32(1.3), np.float32(1e-3))
    _require(seen == {"float32"}, f"J was evaluated in {sorted(seen)} for float32 inputs")


def _vector_params():
    rng = np.random.default_rng(2)
    return {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4),
            "W2": rng.standard_normal((4, 2)), "b2": rng.standard_normal(2)}


def judge_params_vector(p2v, v2p):
    params = _vector_params()
    arrays = dict(params)
    copies = {k: v.copy() for k, v in params.items()}
    vector = _call(p2v, params)
    _require(list(params) == list(copies) and all(params[k] is arrays[k] for k in params)
             and all(np.array_equal(params[k], copies[k]) for k in params), "params_to_vector modified params")
    _require(isinstance(vector, np.ndarray), f"params_to_vector: expected an array, got {type(vector).__name__}")
    reference = gradcheck.params_to_vector(copies)
    _require(vector.shape == reference.shape, f"params_to_vector: shape {vector.shape}, expected {reference.shape}")
    _require(np.array_equal(vector, reference), "params_to_vector: not the arrays in key order, row by row")
    new_vector = 2 * reference + 1
    like = params
    back = _call(v2p, new_vector.copy(), like)
    _require(all(like[k] is arrays[k] and np.array_equal(like[k], copies[k]) for k in like),
             "vector_to_params modified like")
    _require(isinstance(back, dict), f"vector_to_params: expected a dict, got {type(back).__name__}")
    expected = gradcheck.vector_to_params(new_vector, copies)
    _require(list(back) == list(expected), f"vector_to_params: keys {list(back)}")
    for k in expected:
        _require(isinstance(back[k], np.ndarray) and back[k].shape == expected[k].shape,
                 f"vector_to_params: {k} has shape {np.shape(back[k])}")
        _require(np.array_equal(back[k], expected[k]), f"vector_to_params: wrong values in {k}")
        _require(not np.shares_memory(back[k], like[k]), f"vector_to_params: {k} shares memory with like")
    round_trip = _call(v2p, _call(p2v, params), params)
    _require(all(np.array_equal(round_trip[k], copies[k]) for k in copies), "the round trip changes params")


def _gc_problem(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((5, 3))
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4),
              "W2": rng.standard_normal((4, 2)), "b2": rng.standard_normal(2), "c": np.zeros(2)}

    def J(p):
        out = np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        return float(0.5 * np.mean(np.sum(out ** 2, axis=1)) + 0.1 * np.sum(np.sin(p["W1"])))

    return J, params


def judge_gradient_check(fn):
    for eps in (1e-5, 1e-2):
        J, params = _gc_problem(3)
        approx = {}
        for key in params:
            x = params[key].copy()
            approx[key] = gradcheck.numerical_gradient(lambda v, k=key: J({**params, k: v}), x, epsilon=eps)
        noise = np.random.default_rng(4).standard_normal(params["W1"].shape)
        grads = {"W1": approx["W1"] * (1 + 1e-3 * noise), "b1": -approx["b1"], "W2": approx["W2"].copy(),
                 "b2": 2 * approx["b2"], "c": np.zeros(2)}
        expected = {k: gradcheck.relative_error(grads[k], approx[k]) for k in params}
        arrays = dict(params)
        copies = {k: v.copy() for k, v in params.items()}
        grad_copies = {k: v.copy() for k, v in grads.items()}
        got = _call(fn, J, params, grads, eps)
        _require(list(params) == list(copies) and all(params[k] is arrays[k] for k in params),
                 "it replaced arrays in params")
        for k in params:
            _require(np.all(np.abs(params[k] - copies[k]) <= 4 * np.spacing(np.abs(copies[k]) + eps)),
                     f"params[{k!r}] changed (max {np.max(np.abs(params[k] - copies[k])):.3g})")
            _require(np.array_equal(grads[k], grad_copies[k]), f"grads[{k!r}] changed")
        _require(isinstance(got, dict), f"expected a dict {{name: relative error}}; got {type(got).__name__}")
        _require(set(got) == set(params), f"keys {sorted(got)}, expected {sorted(params)}")
        for k in params:
            value = _scalar(got[k], f"the error of {k}")
            _require(abs(value - expected[k]) <= 1e-6 * expected[k] + 1e-8,
                     f"epsilon={eps}, {k}: got {value:.6g}, expected {expected[k]:.6g}")


# ================================================================ TensorFlow

def _tf():
    import tensorflow as tf
    return tf


def _tensor(tf, value, what="the result"):
    _require(isinstance(value, tf.Tensor), f"{what} must be a tf.Tensor; got {type(value).__name__}")
    return value


def _in_a_graph(tf, fn, args, expected, what):
    """The notebook calls these functions inside tf.function / Dataset.map: they must trace and agree there."""
    try:
        got = tf.function(fn)(*args)
    except Exception as error:
        raise Wrong(f"{what} fails inside a tf.function: {type(error).__name__}") from error
    _close(np.asarray(got), expected, f"{what} inside a tf.function", rtol=1e-4, atol=1e-5)


def judge_linear_function(fn):
    tf = _tf()
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 3)).astype(np.float32)
    W = tf.Variable(rng.standard_normal((3, 4)).astype(np.float32))
    b = tf.Variable(rng.standard_normal(4).astype(np.float32))
    C = rng.standard_normal((5, 4)).astype(np.float32)
    for given in (X, tf.constant(X)):
        with tf.GradientTape() as tape:
            Z = _call(fn, given, W, b)
            _tensor(tf, Z)
            _require(tuple(Z.shape) == (5, 4), f"Z has shape {tuple(Z.shape)}, expected (m, n_out) = (5, 4)")
            loss = tf.reduce_sum(Z * C)
        _close(Z.numpy(), X @ W.numpy() + b.numpy(), "Z", rtol=1e-5, atol=1e-5)
        dW, db = tape.gradient(loss, [W, b])
        _require(dW is not None and db is not None, "GradientTape gives no gradient for W or b")
        _close(dW.numpy(), X.T @ C, "dZ/dW", rtol=1e-5, atol=1e-5)
        _close(db.numpy(), C.sum(axis=0), "dZ/db", rtol=1e-5, atol=1e-5)
    _in_a_graph(tf, fn, (tf.constant(X), W, b), X @ W.numpy() + b.numpy(), "Z")


def judge_one_hot(fn):
    tf = _tf()
    labels = np.array([2, 0, 3, 1, 3, 5])
    for given, depth in ((labels, 7), (tf.constant(labels, dtype=tf.int32), 6), (labels[:1], 4)):
        got = _tensor(tf, _call(fn, given, depth))
        _close(got.numpy(), np.eye(depth)[np.asarray(given)], f"depth={depth}", atol=0)
    _in_a_graph(tf, fn, (tf.constant(labels, dtype=tf.int32), 7), np.eye(7)[labels], "the one-hot matrix")


def _reference_loss(logits, labels):
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=1))
    return float(np.mean(lse - shifted[np.arange(len(labels)), labels]))


def judge_loss_from_logits(fn):
    tf = _tf()
    rng = np.random.default_rng(0)
    logits = (3 * rng.standard_normal((7, 5))).astype(np.float32)
    labels = rng.integers(0, 5, 7)
    big = np.array([[1000, 0, -1000], [0, 1000, 0], [-1000, 0, 1000]], dtype=np.float32)
    cases = [(logits, labels), (tf.constant(logits), tf.constant(labels, dtype=tf.int32)),
             (logits.astype(np.float64), labels), (big, np.array([2, 0, 1])), (tf.constant(big), np.array([0, 1, 2]))]
    for given_logits, given_labels in cases:
        got = _scalar(_call(fn, given_logits, given_labels), "the loss")
        expected = _reference_loss(np.asarray(given_logits), np.asarray(given_labels))
        _require(math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-6), f"loss {got:.6g}, expected {expected:.6g}")
    _in_a_graph(tf, fn, (tf.constant(logits), tf.constant(labels, dtype=tf.int32)),
                np.array(_reference_loss(logits, labels)), "the loss")


def judge_forward_pass(fn):
    tf = _tf()
    for dims in ([64, 25, 12, 10], [6, 5, 4, 3]):
        rng = np.random.default_rng(len(dims) + dims[0])
        params = {}
        for l in range(1, 4):
            params[f"W{l}"] = tf.Variable((rng.standard_normal((dims[l - 1], dims[l])) *
                                           np.sqrt(2 / dims[l - 1])).astype(np.float32))
            params[f"b{l}"] = tf.Variable((0.3 * rng.standard_normal(dims[l])).astype(np.float32))
        X = rng.standard_normal((8, dims[0])).astype(np.float32)
        C = rng.standard_normal((8, dims[3])).astype(np.float32)
        variables = list(params.values())
        with tf.GradientTape(persistent=True) as tape:
            A = tf.constant(X)
            for l in (1, 2):
                A = tf.nn.relu(A @ params[f"W{l}"] + params[f"b{l}"])
            ref = A @ params["W3"] + params["b3"]
            ref_loss = tf.reduce_sum(ref * C)
            for given in (X, tf.constant(X)):
                Z = _tensor(tf, _call(fn, given, params))
                _close(Z.numpy(), ref.numpy(), f"logits for dims {dims}", rtol=1e-4, atol=1e-5)
            loss = tf.reduce_sum(Z * C)
        grads = tape.gradient(loss, variables)
        ref_grads = tape.gradient(ref_loss, variables)
        for name, g, r in zip(params, grads, ref_grads):
            _require(g is not None, f"GradientTape gives no gradient for {name}")
            _close(g.numpy(), r.numpy(), f"gradient of {name}", rtol=1e-4, atol=1e-5)
        _in_a_graph(tf, fn, (tf.constant(X), params), ref.numpy(), "the logits")
    # The notebook also runs it on a float64 network: the result keeps the inputs' dtype.
    rng = np.random.default_rng(1)
    params = {}
    for l, (n_in, n_out) in enumerate([(3, 4), (4, 2), (2, 2)], start=1):
        params[f"W{l}"] = tf.Variable(rng.standard_normal((n_in, n_out)))
        params[f"b{l}"] = tf.Variable(rng.standard_normal(n_out))
    X = rng.standard_normal((5, 3))
    A = np.maximum(X @ params["W1"].numpy() + params["b1"].numpy(), 0)
    A = np.maximum(A @ params["W2"].numpy() + params["b2"].numpy(), 0)
    Z = _tensor(tf, _call(fn, tf.constant(X), params))
    _require(Z.dtype == tf.float64, f"a float64 network gives {Z.dtype.name} logits")
    _close(Z.numpy(), A @ params["W3"].numpy() + params["b3"].numpy(), "float64 logits", rtol=1e-10, atol=1e-12)


def judge_my_backward(fn):
    """Against finite differences of f(params) = sum(Z3(params) * dZ3), whose gradient the backward pass gives."""
    from course_utils import model

    for seed, dims, m in ((20, [3, 6, 4, 2], 9), (21, [2, 5, 5, 3], 4)):
        rng = np.random.default_rng(seed)
        params = {}
        for l in range(1, 4):
            params[f"W{l}"] = rng.standard_normal((dims[l - 1], dims[l]))
            params[f"b{l}"] = 0.5 * rng.standard_normal(dims[l])
        X, dZ3 = rng.standard_normal((m, dims[0])), rng.standard_normal((m, dims[3]))
        _, caches = model.forward(params, X, hidden_activation="relu")
        dZ3_copy, params_copy = dZ3.copy(), copy.deepcopy(params)
        package_calls = []    # calls into the package's backward code, seen by a profiler while fn runs

        def profile(frame, event, arg):
            code = frame.f_code
            if event == "call" and "course_utils" in code.co_filename and "back" in code.co_name:
                package_calls.append(code.co_name)

        sys.setprofile(profile)
        try:
            grads = _call(fn, dZ3, caches, params)
        finally:
            sys.setprofile(None)
        _require(not package_calls, f"hands the work to the package ({', '.join(sorted(set(package_calls)))}), "
                 "not its own fixed lines")
        _require(np.array_equal(dZ3, dZ3_copy) and all(np.array_equal(params[k], params_copy[k]) for k in params),
                 "changed its inputs")
        _require(isinstance(grads, dict) and sorted(grads) == sorted(params), "must return a dict keyed like params")

        def f(p):
            Z3, _ = model.forward(p, X, hidden_activation="relu")
            return float(np.sum(Z3 * dZ3))

        for key in params:
            numeric = np.zeros_like(params[key])
            for i in np.ndindex(params[key].shape):
                plus, minus = copy.deepcopy(params), copy.deepcopy(params)
                plus[key][i] += 1e-6
                minus[key][i] -= 1e-6
                numeric[i] = (f(plus) - f(minus)) / 2e-6
            _close(np.asarray(grads[key], dtype=float), numeric, f"d/d{key}", rtol=1e-5, atol=1e-6)


JUDGES = {
    "check_zeros_initialization": _init_judge("zeros"),
    "check_random_initialization": lambda fn: (_init_judge("random", 10.0)(fn), _init_judge("random", 0.5)(fn)),
    "check_he_initialization": _init_judge("he"),
    "check_xavier_initialization": _init_judge("xavier"),
    "check_random_mini_batches": judge_mini_batches,
    "check_momentum_update": judge_momentum,
    "check_rmsprop_update": judge_rmsprop,
    "check_adam_update": judge_adam,
    "check_step_decay": judge_step_decay,
    "check_l2_cost": judge_l2_cost,
    "check_l2_backward": judge_l2_backward,
    "check_dropout_forward": judge_dropout_forward,
    "check_dropout_backward": judge_dropout_backward,
    "check_gradient_check_1d": judge_gradient_check_1d,
    "check_params_vector": judge_params_vector,
    "check_gradient_check": judge_gradient_check,
    "check_my_backward": judge_my_backward,
    "check_linear_function": judge_linear_function,
    "check_one_hot": judge_one_hot,
    "check_loss_from_logits": judge_loss_from_logits,
    "check_forward_pass": judge_forward_pass,
}
