"""The kink rule: a step eps in theta crosses a ReLU kink when some pre-activation has |z| < eps |dz/dtheta|.

For a weight W_l[i, j] the pre-activation moves by eps * A_{l-1}[r, i], not by eps: an input above 1 carries
the step past a z more than eps from 0, and an input below 1 stops it short of a z within eps. The rule
(``gradcheck.kink_crossings``) must name exactly the entries whose perturbation flips a hidden sign, which are
the entries ``check_model`` sets aside.
"""

import numpy as np
import pytest

from course_utils import datasets, gradcheck, losses, model, optimizers, stacked, training

EPS = 1e-5


def flips(params, X, name, index, epsilon, activation):
    """Brute force: does a step of +-epsilon in params[name][index] change the sign pattern of a hidden layer?"""
    def pattern():
        _, caches = model.forward(params, X, activation)
        return [c.Z > 0 for c in caches[:-1]]

    base, x = pattern(), params[name]
    old = x[index]
    changed = False
    for step in (epsilon, -epsilon):
        x[index] = old + step
        changed |= any(np.any(a != b) for a, b in zip(pattern(), base))
    x[index] = old
    return changed


def one_unit_net(z, x0):
    """A [2, 1, 2] ReLU net and one example x = (x0, 0) whose hidden pre-activation is z (W1[0, 0] = 1)."""
    params = {"W1": np.array([[1.0], [0.3]]), "b1": np.array([z - x0]), "W2": np.array([[0.5, -0.5]]),
              "b2": np.zeros(2)}
    return params, np.array([[x0, 0.0]])


def test_a_weight_step_moves_z_by_eps_times_the_input():
    # z = 2 eps, input 2.5: the W1 step moves z by 2.5 eps and crosses; the b1 step moves it by eps and does not
    params, X = one_unit_net(2 * EPS, 2.5)
    crossed = gradcheck.kink_crossings(params, X, EPS)
    assert crossed["W1"][0, 0] and not crossed["b1"][0] and not crossed["W1"][1, 0]  # x_1 = 0 moves nothing
    assert not crossed["W2"].any() and not crossed["b2"].any()  # the output layer moves no hidden z
    # z = 0.5 eps, input 0.25: the b1 step crosses, the W1 step (0.25 eps) does not
    params, X = one_unit_net(0.5 * EPS, 0.25)
    crossed = gradcheck.kink_crossings(params, X, EPS)
    assert crossed["b1"][0] and not crossed["W1"][0, 0]
    for name in ("W1", "b1"):
        for index in np.ndindex(params[name].shape):
            assert crossed[name][index] == flips(params, X, name, index, EPS, "relu"), (name, index)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
@pytest.mark.parametrize("seed", range(3))
def test_the_rule_names_exactly_the_entries_whose_step_flips_a_sign(activation, seed):
    """A large step, so that many entries cross, in either layer, and through a deeper layer's weights."""
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_in, n_out) in enumerate(zip([3, 5, 4], [5, 4, 2]), start=1):
        params[f"W{l}"] = rng.standard_normal((n_in, n_out))
        params[f"b{l}"] = 0.3 * rng.standard_normal(n_out)
    X = rng.standard_normal((12, 3)) * 1.5
    epsilon = 0.2
    crossed = gradcheck.kink_crossings(params, X, epsilon, activation)
    n = 0
    for name, value in params.items():
        for index in np.ndindex(value.shape):
            assert crossed[name][index] == flips(params, X, name, index, epsilon, activation), (name, index)
            n += bool(crossed[name][index])
    assert 5 < n < sum(v.size for k, v in params.items() if k not in ("W3", "b3"))  # neither none nor all


def test_without_a_kink_nothing_is_crossed():
    params, X = one_unit_net(0.0, 1.0)  # z exactly 0: every step that moves z crosses, for ReLU
    assert gradcheck.kink_crossings(params, X, EPS)["b1"][0]
    assert not any(a.any() for a in gradcheck.kink_crossings(params, X, EPS, "tanh").values())


def test_it_predicts_what_check_model_sets_aside_on_trained_nets():
    """The Gradient_Checking nets: on seed 6 a b1 entry crosses; on seed 70 a W2 entry crosses although no
    pre-activation lies within eps of 0 (its input is above 1)."""
    X, y, _, _ = datasets.spirals(seed=1)
    nets, _ = stacked.train_nets([2, 8, 8, 3], [6, 70], X, y, optimizers.GD(learning_rate=0.5), epochs=100)
    for net in nets:
        report = gradcheck.check_model(net, X, y, epsilon=EPS)
        crossed = gradcheck.kink_crossings(net.params, X, EPS)
        assert {k: int(v.sum()) for k, v in crossed.items()} == {k: c.n_kinks for k, c in report.arrays.items()}
        assert sum(c.n_kinks for c in report.arrays.values()) > 0
    _, caches = model.forward(nets[1].params, X)
    assert min(float(np.abs(c.Z).min()) for c in caches[:-1]) > EPS  # seed 70: nothing within eps, yet W2 crosses
    assert gradcheck.kink_crossings(nets[1].params, X, EPS)["W2"].any()
    # a step ten times smaller crosses nothing there, and the correct backward pass then passes a plain check
    for net in nets:
        assert not any(a.any() for a in gradcheck.kink_crossings(net.params, X, EPS / 10).values())
        logits, caches = model.forward(net.params, X)
        grads = model.backward(losses.softmax_cross_entropy_grad(logits, y), caches, net.params)
        J = lambda: losses.softmax_cross_entropy(model.forward(net.params, X)[0], y)  # noqa: E731
        for eps, passes in ((EPS, False), (EPS / 10, True)):
            numerical = gradcheck.numerical_gradients(J, net.params, eps)
            worst = max(gradcheck.relative_error(grads[k], numerical[k]) for k in grads)
            assert (worst < gradcheck.THRESHOLD) == passes, (eps, worst)


@pytest.mark.parametrize("vectorized", [True, False])
def test_the_rule_names_the_same_entries_check_model_sets_aside(vectorized):
    """Not only as many: the same entries, both where every bias entry crosses (an untrained net on a batch that
    holds the origin) and where a few do (the trained nets of seeds 6 and 70); the report records them."""
    X, y, _, _ = datasets.spirals(seed=1)
    cases = []
    for seed in range(3):
        for X_batch, y_batch in training.random_mini_batches(X, y, 16, seed=seed):
            if np.all(X_batch == 0, axis=1).any():
                cases.append((model.MLP([2, 8, 8, 3], seed=seed), X_batch, y_batch))
                break
    nets, _ = stacked.train_nets([2, 8, 8, 3], [6, 70], X, y, optimizers.GD(learning_rate=0.5), epochs=100)
    cases += [(net, X, y) for net in nets]
    for net, X_c, y_c in cases:
        report = gradcheck.check_model(net, X_c, y_c, epsilon=EPS, vectorized=vectorized)
        crossed = gradcheck.kink_crossings(net.params, X_c, EPS)
        for name, check in report.arrays.items():
            assert check.kinked.shape == net.params[name].shape and check.kinked.dtype == bool
            assert int(check.kinked.sum()) == check.n_kinks
            np.testing.assert_array_equal(check.kinked, crossed[name], err_msg=name)
    assert sum(int(c.sum()) for c in crossed.values()) > 0
    directional = gradcheck.check_model(cases[0][0], cases[0][1], cases[0][2], directions=3)
    assert all(c.kinked.shape == (3,) and int(c.kinked.sum()) == c.n_kinks for c in directional.arrays.values())
