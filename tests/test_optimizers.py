"""Tests for course_utils.optimizers: bookkeeping, every update by hand, and trajectories against Keras."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from course_utils import optimizers, schedules


def hand_params():
    return {"W1": np.array([[1.0, -2.0], [0.5, 4.0]]), "b1": np.array([0.25, -1.0])}


def hand_grads():
    return {"W1": np.array([[0.5, 1.0], [-2.0, 0.0]]), "b1": np.array([4.0, -0.5])}


def test_gd_one_step_by_hand():
    """theta - 0.5 * g, worked out on paper."""
    params = hand_params()
    optimizers.GD(learning_rate=0.5).step(params, hand_grads())
    assert_array_equal(params["W1"], [[0.75, -2.5], [1.5, 4.0]])
    assert_array_equal(params["b1"], [-1.75, -0.75])


def test_gd_updates_arrays_in_place():
    """The notebooks (and train) hold references to net.params arrays; they must see the update."""
    params = hand_params()
    W1 = params["W1"]
    optimizers.GD(0.5).step(params, hand_grads())
    assert params["W1"] is W1
    assert W1[0, 0] == 0.75


def test_gd_two_steps_by_hand():
    params = {"w": np.array([2.0])}
    opt = optimizers.GD(0.25)
    for _ in range(2):
        opt.step(params, {"w": 2 * params["w"]})  # d/dw w^2: w <- w (1 - 2 * 0.25) = w / 2
    assert_array_equal(params["w"], [0.5])


def test_iterations_count_steps():
    opt = optimizers.GD(0.1)
    params = hand_params()
    assert opt.iterations == 0
    for expected in (1, 2, 3):
        opt.step(params, hand_grads())
        assert opt.iterations == expected


def test_schedule_is_called_with_steps_already_taken():
    calls = []

    def schedule(step):
        calls.append(step)
        return 0.5 / (1 + step)

    opt = optimizers.GD(schedule)
    params = {"w": np.array([0.0])}
    assert opt.current_learning_rate() == 0.5
    for _ in range(3):
        opt.step(params, {"w": np.array([1.0])})
    assert calls[-3:] == [0, 1, 2]
    assert_allclose(params["w"], [-(0.5 + 0.25 + 0.5 / 3)], rtol=1e-15)
    assert opt.current_learning_rate() == pytest.approx(0.5 / 4)


@pytest.mark.parametrize("learning_rate, expected", [(0.01, "GD(learning_rate=0.01)"), (1, "GD(learning_rate=1)"),
                                                     (2.5e-4, "GD(learning_rate=0.00025)")])
def test_repr(learning_rate, expected):
    assert repr(optimizers.GD(learning_rate)) == expected


def test_integer_learning_rate_becomes_float():
    assert isinstance(optimizers.GD(1).learning_rate, float)


@pytest.mark.parametrize("learning_rate, error", [
    pytest.param(-0.1, ValueError, id="negative"),
    pytest.param(0, ValueError, id="zero"),
    pytest.param(0.0, ValueError, id="zero-float"),
    pytest.param(math.nan, ValueError, id="nan"),
    pytest.param(math.inf, ValueError, id="inf"),
    pytest.param("0.1", TypeError, id="string"),
    pytest.param(None, TypeError, id="none"),
    pytest.param(True, TypeError, id="bool"),
    pytest.param(np.array([[0.1]]), ValueError, id="array-2d"),
    pytest.param(np.array([0.1, -0.1]), ValueError, id="array-negative"),
    pytest.param(np.array([0.1, np.nan]), ValueError, id="array-nan"),
    pytest.param(np.array([]), ValueError, id="array-empty"),
])
def test_bad_learning_rate_raises(learning_rate, error):
    with pytest.raises(error, match="learning_rate"):
        optimizers.GD(learning_rate)


@pytest.mark.parametrize("grads", [
    pytest.param({"W1": np.zeros((2, 2))}, id="missing-key"),
    pytest.param({**hand_grads(), "W2": np.zeros((2, 2))}, id="extra-key"),
    pytest.param({"W1": np.zeros((2, 2)), "b2": np.zeros(2)}, id="renamed-key"),
    pytest.param({"W1": np.zeros((2, 3)), "b1": np.zeros(2)}, id="W1-shape"),
    pytest.param({"W1": np.zeros((2, 2)), "b1": np.zeros((1, 2))}, id="b1-shape"),
])
def test_step_rejects_grads_that_do_not_match_params(grads):
    opt = optimizers.GD(0.1)
    with pytest.raises(ValueError, match="grads"):
        opt.step(hand_params(), grads)
    assert opt.iterations == 0


def test_rejected_step_leaves_params_untouched():
    params = hand_params()
    with pytest.raises(ValueError, match="grads"):
        optimizers.GD(0.1).step(params, {"W1": np.ones((2, 2)), "b1": np.ones(3)})
    assert_array_equal(params["W1"], hand_params()["W1"])


def test_base_class_update_is_abstract():
    with pytest.raises(NotImplementedError):
        optimizers.Optimizer(0.1).step(hand_params(), hand_grads())


@pytest.mark.parametrize("learning_rate, rtol", [
    (0.125, 1e-15),  # exactly representable in float32, so Keras's float32 learning rate loses nothing
    (0.01, 1e-6),  # Keras keeps the learning rate in float32: 0.01 becomes 0.0099999998
])
def test_gd_matches_keras_sgd(tf, keras, learning_rate, rtol):
    """Three steps on f(w) = sum(w^2 + w): the gradient 2w + 1 changes each step."""
    w0 = np.array([[0.5, -1.5, 3.0], [2.0, 0.25, -0.75]])
    params = {"W1": w0.copy()}
    opt = optimizers.GD(learning_rate)
    variable = tf.Variable(w0, dtype=tf.float64)
    keras_opt = keras.optimizers.SGD(learning_rate=learning_rate)
    for _ in range(3):
        opt.step(params, {"W1": 2 * params["W1"] + 1})
        keras_opt.apply_gradients([(2 * tf.convert_to_tensor(variable) + 1, variable)])
    assert_allclose(params["W1"], variable.numpy(), rtol=rtol, err_msg="GD and keras SGD differ after 3 steps")
    assert opt.iterations == int(keras_opt.iterations.numpy()) == 3


# ---------------------------------------------------------------- every optimizer, two steps by hand

W0, G1, G2 = 2.0, 4.0, -1.0  # one weight, two gradients


def two_steps(opt):
    params = {"w": np.array([W0])}
    opt.step(params, {"w": np.array([G1])})
    first = float(params["w"][0])
    opt.step(params, {"w": np.array([G2])})
    return first, float(params["w"][0])


def _adam_by_hand(lr, b1, b2, eps, decay=0.0):
    w, m, v = W0, 0.0, 0.0
    out = []
    for t, g in enumerate((G1, G2), start=1):
        w -= lr * decay * w
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        w -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        out.append(w)
    return tuple(out)


HAND = [
    # v1 = 0.1 * 4 = 0.4, w = 2 - 0.5 * 0.4 = 1.8; v2 = 0.9 * 0.4 + 0.1 * -1 = 0.26, w = 1.8 - 0.13 = 1.67
    pytest.param(optimizers.Momentum(0.5, beta=0.9), (1.8, 1.67), id="momentum-ema"),
    # m1 = -0.5 * 4 = -2, w = 0; m2 = 0.9 * -2 + 0.5 = -1.3, w = -1.3
    pytest.param(optimizers.SGD(0.5, momentum=0.9), (0.0, -1.3), id="sgd-classical"),
    # step 1: m = -2, w = 2 + 0.9 * -2 - 2 = -1.8; step 2: m = -1.3, w = -1.8 + 0.9 * -1.3 + 0.5 = -2.47
    pytest.param(optimizers.SGD(0.5, momentum=0.9, nesterov=True), (-1.8, -2.47), id="sgd-nesterov"),
    pytest.param(optimizers.SGD(0.5), (0.0, 0.5), id="sgd-plain"),
    # s1 = 1 + 16 = 17, w = 2 - 4 / sqrt(17 + 1); s2 = 18, w -= -1 / sqrt(18 + 1)
    pytest.param(optimizers.Adagrad(1.0, initial_accumulator_value=1.0, epsilon=1.0),
                 (2 - 4 / np.sqrt(18), 2 - 4 / np.sqrt(18) + 1 / np.sqrt(19)), id="adagrad"),
    # s1 = 0.5 * 16 = 8, w = 2 - 4 / sqrt(8 + 1) = 2 - 4/3; s2 = 4 + 0.5 = 4.5, w += 1 / sqrt(5.5)
    pytest.param(optimizers.RMSprop(1.0, rho=0.5, epsilon=1.0), (2 - 4 / 3, 2 - 4 / 3 + 1 / np.sqrt(5.5)),
                 id="rmsprop"),
    pytest.param(optimizers.Adam(0.1, beta_1=0.5, beta_2=0.75, epsilon=0.5), _adam_by_hand(0.1, 0.5, 0.75, 0.5),
                 id="adam"),
    pytest.param(optimizers.AdamW(0.1, weight_decay=0.2, beta_1=0.5, beta_2=0.75, epsilon=0.5),
                 _adam_by_hand(0.1, 0.5, 0.75, 0.5, decay=0.2), id="adamw"),
]


@pytest.mark.parametrize("opt, expected", HAND)
def test_two_steps_by_hand(opt, expected):
    assert_allclose(two_steps(opt), expected, rtol=1e-14)


def test_adam_first_step_moves_each_weight_by_the_learning_rate():
    """Bias correction: m_hat = g and v_hat = g^2 at t = 1, so the step is lr * g / |g| whatever g's size."""
    params = {"W": np.array([[3.0, -1e-3], [250.0, -40.0]])}
    before = params["W"].copy()
    optimizers.Adam(0.01).step(params, {"W": np.array([[1e-4, -5.0], [2.0, 1e3]])})
    assert_allclose(np.abs(params["W"] - before), 0.01, rtol=1e-3)


def test_adam_paper_epsilon_placement_differs_from_keras():
    """Pin both forms: ours adds epsilon after the bias correction, Keras's before it (eps / sqrt(1 - beta_2^t))."""
    g, lr, b2, eps = 0.02, 0.1, 0.999, 0.01
    paper = lr * g / (abs(g) + eps)
    keras_form = lr * g * np.sqrt(1 - b2) / (1 - 0.9) * 0.1 / (np.sqrt(1 - b2) * abs(g) + eps)
    params = {"w": np.array([0.0])}
    optimizers.Adam(lr, beta_2=b2, epsilon=eps).step(params, {"w": np.array([g])})
    assert params["w"][0] == pytest.approx(-paper, rel=1e-14)
    assert abs(keras_form - paper) / paper > 0.5  # with a large epsilon the two forms really differ


def test_momentum_ema_form_equals_classical_with_rescaled_learning_rate():
    """v_EMA = (1 - beta) sum beta^k g and m = -lr sum beta^k g: equal paths when lr_SGD = (1 - beta) lr."""
    rng = np.random.default_rng(3)
    a, b = {"w": rng.standard_normal(5)}, None
    b = {"w": a["w"].copy()}
    ema, classical = optimizers.Momentum(0.2, beta=0.8), optimizers.SGD(0.2 * (1 - 0.8), momentum=0.8)
    for _ in range(50):
        ema.step(a, {"w": np.sin(3 * a["w"]) + a["w"]})
        classical.step(b, {"w": np.sin(3 * b["w"]) + b["w"]})
    assert_allclose(a["w"], b["w"], rtol=1e-12)


def test_state_is_kept_per_parameter_name():
    opt = optimizers.Adam(0.1)
    params = {"a": np.array([1.0]), "b": np.array([1.0, 2.0])}
    opt.step(params, {"a": np.array([1.0]), "b": np.array([0.0, 0.0])})
    assert set(opt.slots["m"]) == {"a", "b"}
    assert_array_equal(opt.slots["m"]["b"], [0.0, 0.0])
    assert opt.slots["m"]["a"][0] == pytest.approx(0.1)


def test_schedule_drives_every_optimizer():
    schedule = schedules.PiecewiseConstantDecay([1], [0.5, 0.25])
    opt = optimizers.SGD(schedule)
    params = {"w": np.array([0.0])}
    for _ in range(3):
        opt.step(params, {"w": np.array([1.0])})
    assert params["w"][0] == pytest.approx(-(0.5 + 0.5 + 0.25))  # steps 0 and 1 use 0.5, step 2 uses 0.25


@pytest.mark.parametrize("opt, expected", [
    (optimizers.Momentum(0.01), "Momentum(learning_rate=0.01, beta=0.9)"),
    (optimizers.SGD(0.1, momentum=0.9, nesterov=True), "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)"),
    (optimizers.Adagrad(), "Adagrad(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-07)"),
    (optimizers.RMSprop(), "RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-07)"),
    (optimizers.Adam(), "Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-08)"),
    (optimizers.AdamW(), "AdamW(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-08)"),
    (optimizers.GD(schedules.ExponentialDecay(0.1, 100, 0.5)),
     "GD(learning_rate=ExponentialDecay(initial_learning_rate=0.1, decay_steps=100.0, decay_rate=0.5, "
     "staircase=False))"),
])
def test_repr_of_every_optimizer(opt, expected):
    assert repr(opt) == expected


@pytest.mark.parametrize("make, argument", [
    (lambda: optimizers.Momentum(0.1, beta=1.0), "beta"),
    (lambda: optimizers.Momentum(0.1, beta=-0.1), "beta"),
    (lambda: optimizers.Momentum(0.1, beta=math.nan), "beta"),
    (lambda: optimizers.SGD(0.1, momentum=1.5), "momentum"),
    (lambda: optimizers.SGD(-0.1), "learning_rate"),
    (lambda: optimizers.Adagrad(0.1, epsilon=0.0), "epsilon"),
    (lambda: optimizers.Adagrad(0.1, initial_accumulator_value=-1.0), "initial_accumulator_value"),
    (lambda: optimizers.RMSprop(0.1, rho=1.0), "rho"),
    (lambda: optimizers.RMSprop(0.1, epsilon=-1e-7), "epsilon"),
    (lambda: optimizers.Adam(0.1, beta_1=1.0), "beta_1"),
    (lambda: optimizers.Adam(0.1, beta_2=2.0), "beta_2"),
    (lambda: optimizers.Adam(math.nan), "learning_rate"),
    (lambda: optimizers.Adam(0.1, epsilon=0), "epsilon"),
    (lambda: optimizers.AdamW(0.1, weight_decay=-0.01), "weight_decay"),
])
def test_bad_hyperparameters_raise_value_error_naming_the_argument(make, argument):
    with pytest.raises(ValueError, match=rf"`{argument}`.*received {argument}="):
        make()


@pytest.mark.parametrize("make, argument", [
    (lambda: optimizers.Momentum(0.1, beta="0.9"), "beta"),
    (lambda: optimizers.SGD(0.1, nesterov="yes"), "nesterov"),
    (lambda: optimizers.Adam(0.1, beta_1=None), "beta_1"),
])
def test_hyperparameters_of_the_wrong_type_raise_type_error(make, argument):
    with pytest.raises(TypeError, match=f"`{argument}`"):
        make()


# ---------------------------------------------------------------- against Keras, 100 steps


def random_problem(seed=0):
    """A float64 problem with several parameters and a gradient that changes with them (and is never ~0)."""
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4), "W2": rng.standard_normal((4, 2))}
    targets = {k: rng.standard_normal(v.shape) for k, v in params.items()}

    def grads(p):  # the gradient of sum((p - t)^2 + 0.5 p^4) / 2 (convex, with curvature that varies)
        return {k: (p[k] - targets[k]) + p[k] ** 3 for k in p}

    return params, grads


KERAS_PAIRS = [
    pytest.param(lambda: optimizers.GD(0.01), lambda k: k.optimizers.SGD(0.01), id="gd"),
    pytest.param(lambda: optimizers.SGD(0.01), lambda k: k.optimizers.SGD(0.01), id="sgd"),
    pytest.param(lambda: optimizers.SGD(0.01, momentum=0.9), lambda k: k.optimizers.SGD(0.01, momentum=0.9),
                 id="sgd-momentum"),
    pytest.param(lambda: optimizers.SGD(0.01, momentum=0.9, nesterov=True),
                 lambda k: k.optimizers.SGD(0.01, momentum=0.9, nesterov=True), id="sgd-nesterov"),
    pytest.param(lambda: optimizers.Momentum(0.1, beta=0.9), lambda k: k.optimizers.SGD(0.01, momentum=0.9),
                 id="momentum-ema-vs-sgd"),
    pytest.param(lambda: optimizers.Adagrad(0.05), lambda k: k.optimizers.Adagrad(0.05), id="adagrad"),
    pytest.param(lambda: optimizers.RMSprop(0.01), lambda k: k.optimizers.RMSprop(0.01), id="rmsprop"),
    pytest.param(lambda: optimizers.Adam(0.01), lambda k: k.optimizers.Adam(0.01), id="adam"),
    pytest.param(lambda: optimizers.AdamW(0.01, weight_decay=0.1),
                 lambda k: k.optimizers.AdamW(0.01, weight_decay=0.1), id="adamw"),
    pytest.param(lambda: optimizers.Adam(schedules.CosineDecay(0.0, 60, warmup_target=0.02, warmup_steps=10)),
                 lambda k: k.optimizers.Adam(k.optimizers.schedules.CosineDecay(0.0, 60, warmup_target=0.02,
                                                                                warmup_steps=10)),
                 id="adam-cosine-warmup"),
    pytest.param(lambda: optimizers.SGD(schedules.InverseTimeDecay(0.05, 10, 1.0, staircase=True), momentum=0.5),
                 lambda k: k.optimizers.SGD(k.optimizers.schedules.InverseTimeDecay(0.05, 10, 1.0, staircase=True),
                                            momentum=0.5), id="sgd-inverse-time-staircase"),
    pytest.param(lambda: optimizers.RMSprop(schedules.ExponentialDecay(0.02, 7, 0.8)),
                 lambda k: k.optimizers.RMSprop(k.optimizers.schedules.ExponentialDecay(0.02, 7, 0.8)),
                 id="rmsprop-exponential"),
]


@pytest.mark.parametrize("ours, theirs", KERAS_PAIRS)
def test_follows_keras_trajectory_for_100_steps(tf, keras, ours, theirs):
    params, grads = random_problem()
    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in params.items()}
    opt, keras_opt = ours(), theirs(keras)
    if hasattr(keras_opt, "epsilon") and hasattr(opt, "epsilon"):
        keras_opt.epsilon = opt.epsilon  # compare the update rules, not the default epsilons (1e-7 vs 1e-8)
    for step in range(100):
        g = grads(params)
        keras_g = grads({k: v.numpy() for k, v in variables.items()})
        opt.step(params, g)
        keras_opt.apply_gradients([(tf.constant(keras_g[k]), variables[k]) for k in variables])
        for k in params:  # Keras holds the learning rate and hyperparameters such as 0.9 in float32 (~3e-8)
            theirs_k = variables[k].numpy()
            error = np.linalg.norm(params[k] - theirs_k) / np.linalg.norm(theirs_k)
            assert error < 1e-5, f"{type(opt).__name__} and Keras differ at step {step + 1} in {k}: {error:.2e}"
    assert opt.iterations == int(keras_opt.iterations.numpy()) == 100


def run_against_keras(tf, opt, keras_opt, steps=20):
    """Relative error ||ours - keras|| / ||keras|| of every parameter after ``steps`` steps (the worst one)."""
    params, grads = random_problem(seed=1)
    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in params.items()}
    for _ in range(steps):
        keras_g = grads({k: v.numpy() for k, v in variables.items()})
        opt.step(params, grads(params))
        keras_opt.apply_gradients([(tf.constant(keras_g[k]), variables[k]) for k in variables])
    return max(np.linalg.norm(params[k] - variables[k].numpy()) / np.linalg.norm(variables[k].numpy())
               for k in params), params


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad"])
def test_epsilon_inside_the_square_root_as_keras(tf, keras, name):
    """With a large epsilon, sqrt(s + eps) and sqrt(s) + eps differ a lot: ours must follow Keras's form."""
    error, _ = run_against_keras(tf, getattr(optimizers, name)(0.05, epsilon=0.5),
                                 getattr(keras.optimizers, name)(0.05, epsilon=0.5))
    assert error < 1e-6


def test_adam_epsilon_is_the_papers_not_keras(tf, keras):
    """With a large epsilon our default Adam (the paper's) leaves Keras's path; epsilon_form="keras" stays on it."""
    eps, lr = 0.5, 0.05
    error, _ = run_against_keras(tf, optimizers.Adam(lr, epsilon=eps), keras.optimizers.Adam(lr, epsilon=eps))
    assert error > 1e-3

    error, _ = run_against_keras(tf, optimizers.Adam(lr, epsilon=eps, epsilon_form="keras"),
                                 keras.optimizers.Adam(lr, epsilon=eps))
    assert error < 1e-5  # Keras rounds beta_2 = 0.999 to float32: 1 - beta_2 moves by 1.3e-5



@pytest.mark.parametrize("name", ["RMSprop", "Adagrad"])
def test_textbook_epsilon_form_by_hand(name):
    """epsilon_form="textbook": g / (sqrt(s) + eps); with s = 1 + g^2 (Adagrad) or 0.5 g^2 (RMSprop, rho = 0.5)."""
    opt = (optimizers.RMSprop(1.0, rho=0.5, epsilon=0.5, epsilon_form="textbook") if name == "RMSprop"
           else optimizers.Adagrad(1.0, initial_accumulator_value=1.0, epsilon=0.5, epsilon_form="textbook"))
    params = {"w": np.array([0.0])}
    opt.step(params, {"w": np.array([2.0])})
    s = 0.5 * 4.0 if name == "RMSprop" else 1.0 + 4.0
    assert params["w"][0] == pytest.approx(-2.0 / (np.sqrt(s) + 0.5), rel=1e-15)


def test_adam_keras_epsilon_form_by_hand():
    """Step 1: m_hat = g, v_hat = g^2, and Keras's epsilon is eps / sqrt(1 - beta_2)."""
    params = {"w": np.array([0.0])}
    optimizers.Adam(0.1, beta_2=0.99, epsilon=0.05, epsilon_form="keras").step(params, {"w": np.array([0.2])})
    assert params["w"][0] == pytest.approx(-0.1 * 0.2 / (0.2 + 0.05 / np.sqrt(0.01)), rel=1e-14)


@pytest.mark.parametrize("make", [lambda: optimizers.RMSprop(epsilon_form="inside"),
                                  lambda: optimizers.Adam(epsilon_form=None),
                                  lambda: optimizers.Adagrad(epsilon_form="Keras")])
def test_unknown_epsilon_form_is_rejected(make):
    with pytest.raises(ValueError, match="epsilon_form"):
        make()


def test_repr_shows_a_non_default_epsilon_form():
    assert repr(optimizers.RMSprop(0.01, epsilon_form="textbook")) == (
        "RMSprop(learning_rate=0.01, rho=0.9, epsilon=1e-07, epsilon_form='textbook')")


# ---------------------------------------------------------------- packed parameters

PACKED_CASES = [lambda: optimizers.GD(0.1), lambda: optimizers.Momentum(0.1, 0.8),
                lambda: optimizers.SGD(0.1, momentum=0.9), lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
                lambda: optimizers.Adagrad(0.1), lambda: optimizers.RMSprop(0.01),
                lambda: optimizers.RMSprop(0.01, epsilon_form="textbook"), lambda: optimizers.Adam(0.01),
                lambda: optimizers.Adam(0.01, epsilon_form="keras"), lambda: optimizers.AdamW(0.01, weight_decay=0.1),
                lambda: optimizers.Adam(schedules.ExponentialDecay(0.01, 2, 0.5))]


def packed_problem(dtype=np.float64):
    from course_utils.fastpath.packing import PackedArrays

    rng = np.random.default_rng(0)
    arrays = {"W1": rng.standard_normal((7, 5)), "b1": rng.standard_normal(5), "W2": rng.standard_normal((5, 3)),
              "b2": rng.standard_normal(3)}
    return PackedArrays(arrays, dtype), {name: value.astype(dtype) for name, value in arrays.items()}


def gradient_at(params, step):
    return {name: np.cos(value + step).astype(value.dtype) for name, value in params.items()}


@pytest.mark.parametrize("chunk", [optimizers.PACKED_CHUNK, 4])  # 4: many chunks, some cutting across arrays
@pytest.mark.parametrize("make", PACKED_CASES)
def test_a_packed_step_equals_the_step_array_by_array(monkeypatch, make, chunk):
    """The same elementwise arithmetic, so the same bits, whether the arrays are updated one by one or at once."""
    from course_utils.fastpath.packing import PackedArrays

    monkeypatch.setattr(optimizers, "PACKED_CHUNK", chunk)
    packed, plain = packed_problem()
    opt_packed, opt_plain = make(), make()
    for step in range(4):
        grads = gradient_at(plain, step)
        opt_plain.step(plain, grads)
        opt_packed.step(packed, PackedArrays(grads))
    for name in plain:
        assert_array_equal(packed[name], plain[name])
    for slot, arrays in opt_plain.slots.items():  # the state stays readable by name
        for name in plain:
            assert_array_equal(opt_packed.slots[slot][name], arrays[name])


def test_state_carries_over_between_packed_and_plain_steps():
    from course_utils.fastpath.packing import PackedArrays

    reference, _ = packed_problem()
    opt_ref = optimizers.Adam(0.01)
    packed, _ = packed_problem()
    opt = optimizers.Adam(0.01)
    for step in range(6):
        grads = gradient_at(reference, step)
        opt_ref.step(reference, PackedArrays(grads))
        if step in (2, 3):  # two steps with a plain dict of the same arrays, then packed again
            plain = dict(packed)
            opt.step(plain, grads)
        else:
            opt.step(packed, PackedArrays(grads))
    assert_array_equal(packed.flat, reference.flat)


def test_packed_float32_stays_float32():
    from course_utils.fastpath.packing import PackedArrays

    packed, _ = packed_problem(np.float32)
    opt = optimizers.Adam(0.01, epsilon_form="keras")
    opt.step(packed, PackedArrays(gradient_at(packed, 0), np.float32))
    assert packed.flat.dtype == np.float32
    assert all(arrays.flat.dtype == np.float32 for arrays in opt.slots.values())


class NamedClipGD(optimizers.GD):
    """A user's optimizer whose update uses the parameter's name: it must get one call per array."""

    def update(self, name, param, grad, learning_rate):
        self.seen = getattr(self, "seen", []) + [name]
        scale = 1.0 if name.startswith("b") else min(1.0, 1.0 / np.linalg.norm(grad))
        param -= learning_rate * scale * grad


def test_a_subclass_update_gets_one_call_per_array_with_its_name():
    from course_utils.fastpath.packing import PackedArrays

    packed, plain = packed_problem()
    opt_packed, opt_plain = NamedClipGD(0.1), NamedClipGD(0.1)
    grads = gradient_at(plain, 0)
    opt_packed.step(packed, PackedArrays(grads))
    opt_plain.step(plain, grads)
    assert opt_packed.seen == ["W1", "b1", "W2", "b2"]
    for name in plain:
        assert_array_equal(packed[name], plain[name])


def test_an_optimizer_keeps_no_reference_to_the_params_it_stepped():
    import pickle

    from course_utils.fastpath.packing import PackedArrays

    packed, _ = packed_problem()
    opt = optimizers.GD(0.1)
    opt.step(packed, PackedArrays(gradient_at(packed, 0)))
    assert not hasattr(opt, "_packed_params") and len(pickle.dumps(opt)) < 1000
