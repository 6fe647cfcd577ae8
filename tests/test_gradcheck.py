"""Tests for course_utils.gradcheck: the numerical gradient itself, params dicts, relative error."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import gradcheck


def test_numerical_gradient_of_sum_of_squares_is_2x(rng):
    """Centered differences are exact for a quadratic; what is left is rounding, ~|f| 1e-16 / 1e-7."""
    x = rng.uniform(-1.0, 1.0, size=(2, 3))
    grad = gradcheck.numerical_gradient(lambda v: np.sum(v**2), x)
    assert grad.shape == x.shape
    assert_allclose(grad, 2 * x, rtol=0, atol=1e-8)


def test_numerical_gradient_of_sum_of_sin_is_cos(rng):
    x = rng.uniform(-1.0, 1.0, size=6)
    assert_allclose(gradcheck.numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x), rtol=0, atol=1e-8)


def test_numerical_gradient_of_coupled_function(rng):
    """f(x) = x0 * x1 + exp(x2): every partial depends on another coordinate."""
    x = rng.normal(size=3)
    grad = gradcheck.numerical_gradient(lambda v: v[0] * v[1] + np.exp(v[2]), x)
    assert_allclose(grad, [x[1], x[0], np.exp(x[2])], rtol=0, atol=1e-8)


def test_numerical_gradient_on_transposed_view_restores_x_exactly(rng):
    base = rng.normal(size=(3, 5))
    before = base.copy()
    view = base.T  # (5, 3), not C-contiguous, shares memory with base
    weights = np.arange(15.0).reshape(5, 3)
    grad = gradcheck.numerical_gradient(lambda v: np.sum(weights * v**2), view)
    assert_allclose(grad, 2 * weights * view, rtol=1e-7, atol=1e-7)
    assert_array_equal(base, before)


def test_numerical_gradient_sees_perturbations_of_the_caller_array(rng):
    """f may ignore its argument and read the original array: the perturbation is in place."""
    x = rng.normal(size=4)
    grad = gradcheck.numerical_gradient(lambda _: np.sum(x**3), x)
    assert_allclose(grad, 3 * x**2, rtol=0, atol=1e-7)


def test_numerical_gradients_on_params_dict(rng):
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=2)}
    before = {name: value.copy() for name, value in params.items()}

    def loss():
        return np.sum(params["W1"] ** 2) + 3.0 * np.sum(params["b1"])

    grads = gradcheck.numerical_gradients(loss, params)
    assert list(grads) == ["W1", "b1"]
    assert_allclose(grads["W1"], 2 * params["W1"], rtol=0, atol=1e-8)
    assert_allclose(grads["b1"], [3.0, 3.0], rtol=0, atol=1e-8)
    for name in params:
        assert_array_equal(params[name], before[name])


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1.0, 2.0], [1.0, 2.0], 0.0),
        ([0.0, 0.0], [0.0, 0.0], 0.0),
        ([3.0, -4.0], [-3.0, 4.0], 1.0),
        ([3.0, 4.0], [0.0, 0.0], 1.0),
        ([3.0, 4.0], [3.0, 0.0], 4.0 / 8.0),  # ||(0, 4)|| / (5 + 3)
    ],
)
def test_relative_error_hand_cases(a, b, expected):
    assert gradcheck.relative_error(np.array(a), np.array(b)) == pytest.approx(expected, abs=1e-15)


def test_relative_error_returns_float():
    assert type(gradcheck.relative_error([1.0], [2.0])) is float


def test_relative_error_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"`a` and `b` must have the same shape; received \(2,\) and \(2, 1\)"):
        gradcheck.relative_error(np.zeros(2), np.zeros((2, 1)))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, bool])
def test_integer_x_raises(dtype):
    with pytest.raises(TypeError, match="`x` must be a float"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.ones(3, dtype=dtype))


def test_float32_x_raises_instead_of_returning_a_wrong_gradient():
    x = np.array([1.0, 3.0], dtype=np.float32)  # a 1e-7 step would give [2.38, 0.0] instead of [2, 6]
    with pytest.raises(TypeError, match="float64"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v.astype(np.float64) ** 2)), x)


# ---------------------------------------------------------------- numerical_gradient: accuracy


@pytest.mark.parametrize("f, grad", [
    (lambda v: np.sum(v**3 - 2 * v**2 + 5 * v), lambda v: 3 * v**2 - 4 * v + 5),
    (lambda v: v[0] ** 2 * v[1] + v[1] ** 4, lambda v: np.array([2 * v[0] * v[1], v[0] ** 2 + 4 * v[1] ** 3])),
    (lambda v: float(v @ np.array([[2.0, 1.0], [1.0, 3.0]]) @ v), lambda v: np.array([[4.0, 2.0], [2.0, 6.0]]) @ v),
])
def test_numerical_gradient_exact_to_1e9_on_polynomials(rng, f, grad):
    """At eps = 1e-5 the truncation error (eps^2 f'''/6 <~ 1e-9) and the rounding (~1e-16 |f| / eps) are both tiny."""
    x = rng.uniform(-1.0, 1.0, size=2)
    assert_allclose(gradcheck.numerical_gradient(f, x, epsilon=1e-5), grad(x), rtol=0, atol=1e-9)


def test_numerical_gradient_agrees_with_scipy_approx_fprime(rng):
    """scipy's approx_fprime takes forward differences (error ~ eps f''); both match the true gradient."""
    from scipy.optimize import approx_fprime

    A = rng.normal(size=(4, 4))

    def f(v):
        return float(np.log(np.sum(np.exp(A @ v))))

    x = rng.normal(size=4)
    ours = gradcheck.numerical_gradient(f, x.copy(), epsilon=1e-6)
    theirs = approx_fprime(x, f, 1e-8)
    assert_allclose(ours, theirs, rtol=0, atol=1e-6)
    p = np.exp(A @ x) / np.sum(np.exp(A @ x))
    assert_allclose(ours, A.T @ p, rtol=0, atol=1e-9)


def test_difference_quotient_error_orders():
    """Halving eps halves the forward error (O(eps)) and quarters the centered one (O(eps^2))."""
    f, theta, exact = (lambda t: t**3), 1.0, 3.0
    forward = [abs(gradcheck.difference_quotient(f, theta, e, "forward") - exact) for e in (1e-3, 5e-4)]
    centered = [abs(gradcheck.difference_quotient(f, theta, e, "centered") - exact) for e in (1e-3, 5e-4)]
    assert forward[0] / forward[1] == pytest.approx(2.0, rel=1e-3)
    assert centered[0] / centered[1] == pytest.approx(4.0, rel=1e-3)
    assert forward[0] == pytest.approx(3e-3, rel=1e-2) and centered[0] == pytest.approx(1e-6, rel=1e-2)


def test_difference_quotient_keeps_float32():
    value = gradcheck.difference_quotient(lambda t: t * t, np.float32(1.0), 1e-3)
    assert isinstance(value, np.float32)
    assert type(gradcheck.difference_quotient(lambda t: t * t, 1.0, 1e-3)) is np.float64


# ---------------------------------------------------------------- numerical_gradient: bad input


@pytest.mark.parametrize("epsilon", [0, 0.0, -1e-7, np.nan, np.inf])
def test_bad_epsilon_raises_value_error_naming_it(epsilon):
    with pytest.raises(ValueError, match=r"`epsilon` must be a finite number > 0.*received epsilon="):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), epsilon=epsilon)


@pytest.mark.parametrize("epsilon", ["1e-7", None, True])
def test_non_numeric_epsilon_raises_type_error(epsilon):
    with pytest.raises(TypeError, match="`epsilon` must be a number"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), epsilon=epsilon)


def test_epsilon_below_the_resolution_of_x_raises():
    with pytest.raises(ValueError, match=r"`epsilon`=1e-20 is below the float64 resolution of x\[0\]=1.0"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.ones(2), epsilon=1e-20)


def test_f_returning_an_array_says_f_must_return_a_scalar():
    with pytest.raises(ValueError, match=r"`f` must return a scalar .*received an array of shape \(3,\)"):
        gradcheck.numerical_gradient(lambda v: v**2, np.ones(3))


def test_f_returning_a_non_number_or_nan_raises():
    with pytest.raises(TypeError, match="`f` must return a number; received str"):
        gradcheck.numerical_gradient(lambda v: "loss", np.ones(3))
    with pytest.raises(ValueError, match="`f` returned nan"):
        gradcheck.numerical_gradient(lambda v: np.nan, np.ones(3))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_x_raises(bad):
    with pytest.raises(ValueError, match=r"`x` must be finite; received 1 NaN or inf value\(s\)"):
        gradcheck.numerical_gradient(lambda v: float(np.sum(v)), np.array([1.0, bad, 2.0]))


def test_x_is_restored_exactly_when_f_raises(rng):
    x = rng.normal(size=5)
    before = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return float(np.sum(v))

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck.numerical_gradient(f, x)
    assert_array_equal(x, before)


def test_numerical_gradient_restores_x_bit_for_bit(rng):
    x = rng.normal(size=(4, 3)) * 1e3
    before = x.copy()
    gradcheck.numerical_gradient(lambda v: float(np.sum(np.sin(v))), x, epsilon=1e-3)
    assert x.tobytes() == before.tobytes()


# ---------------------------------------------------------------- params <-> vector


def test_params_to_vector_and_back_round_trip(rng):
    params = {"W1": rng.normal(size=(2, 3)), "b1": rng.normal(size=3), "W2": rng.normal(size=(3, 1)), "b2": np.ones(1)}
    vector = gradcheck.params_to_vector(params)
    assert vector.shape == (13,)
    assert_array_equal(vector[:6], params["W1"].ravel())
    assert_array_equal(vector[6:9], params["b1"])
    back = gradcheck.vector_to_params(vector, params)
    assert list(back) == list(params)
    assert all(np.array_equal(back[k], params[k]) for k in params)
    back["W1"][0, 0] = 99.0
    assert params["W1"][0, 0] != 99.0, "vector_to_params must return new arrays"


def test_vector_to_params_bad_input():
    like = {"W1": np.zeros((2, 3)), "b1": np.zeros(3)}
    with pytest.raises(ValueError, match=r"`vector` must have shape \(9,\), the total size of `like`; received shape "
                                         r"\(8,\)"):
        gradcheck.vector_to_params(np.zeros(8), like)
    with pytest.raises(TypeError, match="`like` must be a non-empty dict"):
        gradcheck.vector_to_params(np.zeros(9), [np.zeros(9)])
    with pytest.raises(TypeError, match="`params` must be a non-empty dict"):
        gradcheck.params_to_vector({})


# ---------------------------------------------------------------- check_gradients / check_model


def quadratic_problem(rng):
    """J = sum(W^2) + 3 sum(b) + W[0, 1] b[1], with its exact gradient."""
    params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=3)}

    def loss():
        W, b = params["W"], params["b"]
        return float(np.sum(W**2) + 3 * np.sum(b) + W[0, 1] * b[1])

    grads = {"W": 2 * params["W"], "b": np.full(3, 3.0)}
    grads["W"][0, 1] += params["b"][1]
    grads["b"][1] += params["W"][0, 1]
    return params, loss, grads


@pytest.mark.parametrize("directions", [None, 3])
def test_check_gradients_passes_a_correct_gradient_and_restores_params(rng, directions):
    params, loss, grads = quadratic_problem(rng)
    before = {k: v.tobytes() for k, v in params.items()}
    report = gradcheck.check_gradients(loss, params, grads, directions=directions)
    assert report.passed and report.failed == [] and report.max_error < 1e-8
    assert all(params[k].tobytes() == before[k] for k in params)
    assert report.n_evaluations == (2 * 9 + 3 if directions is None else 2 * 3 * 2 + 3)
    assert "PASSED" in str(report)


def test_check_gradients_finds_the_wrong_entry(rng):
    params, loss, grads = quadratic_problem(rng)
    grads["W"][1, 2] += 0.5
    report = gradcheck.check_gradients(loss, params, grads, n_worst=2)
    assert report.failed == ["W"] and not report.passed
    index, analytic, numerical = report.arrays["W"].worst[0]
    assert index == (1, 2) and analytic - numerical == pytest.approx(0.5, abs=1e-8)
    assert report.arrays["W"].verdict() == "WRONG" and report.arrays["b"].verdict() == "ok"
    text = str(report)
    assert "FAILED: W (" in text and "[1, 2]:" in text


def test_check_gradients_detects_a_loss_that_changes_between_evaluations(rng):
    """Dropout re-drawn at each call: the check must say so, not report a pass or a meaningless table."""
    params, loss, grads = quadratic_problem(rng)
    noise = np.random.default_rng(0)
    report = gradcheck.check_gradients(lambda: loss() + 1e-3 * noise.random(), params, grads)
    assert not report.deterministic and not report.passed and report.loss_drift > 1e-6
    assert "the loss changed by" in report.summary() and "dropout" in report.summary()


def test_check_gradients_bad_input(rng):
    params, loss, grads = quadratic_problem(rng)
    with pytest.raises(ValueError, match=r"`grads` must have the keys of `params`, \['W', 'b'\]; received \['W'\]"):
        gradcheck.check_gradients(loss, params, {"W": grads["W"]})
    with pytest.raises(ValueError, match="`epsilon` must be a finite number > 0"):
        gradcheck.check_gradients(loss, params, grads, epsilon=0)
    with pytest.raises(ValueError, match="`threshold` must be a finite number > 0"):
        gradcheck.check_gradients(loss, params, grads, threshold=-1.0)
    with pytest.raises(ValueError, match="`directions` must be >= 1"):
        gradcheck.check_gradients(loss, params, grads, directions=0)
    with pytest.raises(ValueError, match=r"`loss_fn` must return a scalar"):
        gradcheck.check_gradients(lambda: np.zeros(2), params, grads)
    wrong_shape = {"W": grads["W"].T, "b": grads["b"]}
    report = gradcheck.check_gradients(loss, params, wrong_shape)
    assert report.failed == ["W"] and "wrong shape: grads has (3, 2)" in str(report)


def test_near_zero_gradient_counts_as_noise_not_as_a_bug():
    """A gradient of 1e-13 has a relative error of order 1 made of rounding noise alone."""
    params = {"w": np.array([0.3])}
    report = gradcheck.check_gradients(lambda: float(1.0 + 1e-13 * params["w"][0]), params, {"w": np.array([1e-13])})
    assert report.arrays["w"].error > gradcheck.THRESHOLD and report.passed
    assert report.arrays["w"].verdict() == "ok (noise)"


def small_net(rng, **kwargs):
    from course_utils import model

    net = model.MLP([3, 5, 4, 3], seed=0, **kwargs)
    for key, value in net.params.items():
        if key.startswith("b"):
            value[:] = 0.1 * rng.standard_normal(value.shape)
    return net, rng.standard_normal((12, 3)), np.arange(12) % 3


def test_check_model_holds_the_dropout_mask_fixed_and_detects_a_redrawn_mask(rng):
    net, X, y = small_net(rng, keep_prob=0.7, l2=0.4)
    fixed = gradcheck.check_model(net, X, y)
    assert fixed.passed and fixed.max_error < 1e-8
    redrawn = gradcheck.check_model(net, X, y, fix_mask=False)
    assert not redrawn.passed and not redrawn.deterministic


def test_check_model_sets_aside_entries_that_cross_a_relu_kink(rng):
    """An input row of zeros and zero biases put that row's z exactly on the kink at 0 in layers 1 and 2:
    perturbing b1 or b2 crosses it, and centered differences see half the slope that relu'(0) = 0 gives."""
    from course_utils import model

    net = model.MLP([3, 5, 4, 3], seed=0)
    X, y = rng.standard_normal((12, 3)), np.arange(12) % 3
    X[0] = 0.0
    report = gradcheck.check_model(net, X, y)
    assert {k: c.n_kinks for k, c in report.arrays.items()} == {"W1": 0, "b1": 5, "W2": 0, "b2": 4, "W3": 0, "b3": 0}
    # every entry of b1 and b2 was set aside: those two arrays were not checked, so the check does not pass,
    # and their entries are not counted again as set aside in "the other arrays"
    assert report.unchecked == ["b1", "b2"] and report.failed == [] and not report.passed
    assert report.summary().startswith("NOT PASSED: not checked: b1, b2")
    assert "set aside" not in report.summary()
    _, grads = net.loss_and_grads(X, y)
    naive = gradcheck.check_gradients(lambda: net.loss(X, y), net.params, grads)
    assert naive.failed == ["b1", "b2"]


def test_check_model_names_set_aside_entries_of_a_checked_array(rng):
    """With only b1[0] at 0 and a zero input row, unit 0 of layer 1 sits on the kink at that row: b1's entry 0 is set
    aside and b1's other entries are scored, so the summary names the one set-aside entry, and what to do."""
    from course_utils import model

    net = model.MLP([3, 5, 4, 3], seed=0)
    for key, value in net.params.items():
        if key.startswith("b"):
            value[:] = 0.1
    net.params["b1"][..., 0] = 0.0
    X, y = rng.standard_normal((12, 3)), np.arange(12) % 3
    X[0] = 0.0
    report = gradcheck.check_model(net, X, y)
    assert report.arrays["b1"].n_kinks == 1 and report.unchecked == [] and report.passed
    assert ("PASSED: every array below 1e-07 (1 entry set aside at ReLU kinks, not checked: check it again at a "
            "smaller epsilon or at another point") in " ".join(report.summary().split())


def test_check_model_rejects_other_models():
    with pytest.raises(TypeError, match="`net` must be a model.MLP; received dict"):
        gradcheck.check_model({}, np.zeros((2, 2)), np.zeros(2))


def test_directional_check_cost_does_not_grow_with_the_net(rng):
    from course_utils import model

    X, y = rng.standard_normal((8, 10)), np.arange(8) % 3
    for width in (5, 50):
        net = model.MLP([10, width, width, 3], hidden_activation="tanh", seed=0)
        report = gradcheck.directional_check(net, X, y, k=4)
        assert report.passed and report.n_evaluations == 2 * 4 * 6 + 3
        assert report.method == "directional (k=4)"


def test_worst_entries_break_ties_by_index_not_by_rounding(rng):
    """A transposed square gradient has equal gaps at [i, j] and [j, i]: the first index must win, whatever the CPU."""
    params = {"W": rng.normal(size=(3, 3))}
    grads = {"W": (2 * params["W"]).T}
    for noise in (1e-13, -1e-13):  # rounding noise on one side of the tie, then on the other
        report = gradcheck.check_gradients(lambda: float(np.sum(params["W"] ** 2)), params,
                                           {"W": grads["W"] + noise * np.eye(3)[::-1]}, n_worst=2)
        first, second = report.arrays["W"].worst
        assert first[0] < second[0] and first[0] == (first[0][0], first[0][1])
