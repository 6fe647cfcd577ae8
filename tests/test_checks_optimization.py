"""The Optimization exercise checks accept correct answers and reject each classic mistake, saying why."""

import functools

import numpy as np
import pytest

from course_utils import checks, optimizers, schedules, training
from check_helpers import passes


# ---------------------------------------------------------------- mini-batches


def batches_correct(X, y, batch_size, rng):
    return training.random_mini_batches(X, y, batch_size, rng=rng)


def batches_drop_last(X, y, batch_size, rng):
    return [b for b in batches_correct(X, y, batch_size, rng) if len(b[1]) == batch_size]


def batches_two_permutations(X, y, batch_size, rng):
    X, y = X[rng.permutation(len(y))], y[rng.permutation(len(y))]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(y), batch_size)]


def batches_unshuffled(X, y, batch_size, rng):
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(y), batch_size)]


def batches_empty_tail(X, y, batch_size, rng):
    order = rng.permutation(len(y))
    X, y = X[order], y[order]
    n = len(y) // batch_size
    return [(X[k * batch_size:(k + 1) * batch_size], y[k * batch_size:(k + 1) * batch_size]) for k in range(n)] + \
        [(X[n * batch_size:], y[n * batch_size:])]


def batches_global_rng(X, y, batch_size, rng):
    return training.random_mini_batches(X, y, batch_size, seed=np.random.randint(1 << 30))


def batches_with_replacement(X, y, batch_size, rng):
    order = rng.integers(0, len(y), len(y))
    X, y = X[order], y[order]
    return [(X[k:k + batch_size], y[k:k + batch_size]) for k in range(0, len(y), batch_size)]


def batches_column_y(X, y, batch_size, rng):
    return [(Xb, yb[:, None]) for Xb, yb in batches_correct(X, y, batch_size, rng)]


def test_mini_batches_accepts_correct_and_handwritten():
    assert passes(checks.check_random_mini_batches, batches_correct)

    def by_index(X, y, batch_size, rng):  # another correct way: index lists instead of slices of a copy
        order = rng.permutation(X.shape[0])
        return [(X[order[k:k + batch_size]], y[order[k:k + batch_size]]) for k in range(0, len(order), batch_size)]
    assert passes(checks.check_random_mini_batches, by_index)


@pytest.mark.parametrize("wrong, message", [
    (batches_drop_last, "dropped the last 5 examples"),
    (batches_two_permutations, "shuffled with different permutations"),
    (batches_unshuffled, "original order"),
    (batches_empty_tail, "last batch is empty"),
    (batches_global_rng, "not np.random"),
    (batches_with_replacement, "exactly once"),
    (batches_column_y, "y stays 1-D"),
], ids=["drops-last", "two-permutations", "no-shuffle", "empty-tail", "global-rng", "with-replacement", "column-y"])
def test_mini_batches_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_random_mini_batches(wrong)


# ---------------------------------------------------------------- Momentum


def momentum_package(W, dW, v, beta, learning_rate):
    """The package's optimizers.Momentum, driven for one step from the given velocity."""
    opt = optimizers.Momentum(learning_rate=learning_rate, beta=beta)
    params = {"W": W.copy()}
    opt.slot("velocity", "W", params["W"])[...] = v
    opt.step(params, {"W": dW})
    return params["W"], opt.slot("velocity", "W", params["W"]).copy()


def momentum(v_rule, w_rule):
    def update(W, dW, v, beta, learning_rate):
        v = v_rule(v, dW, beta)
        return w_rule(W, v, dW, learning_rate), v
    return update


def test_momentum_accepts_package():
    assert passes(checks.check_momentum_update, momentum_package)


@pytest.mark.parametrize("wrong, message", [
    (momentum(lambda v, g, b: b * v + g, lambda W, v, g, lr: W - lr * v), "yours equals dW"),
    (momentum(lambda v, g, b: (1 - b) * v + b * g, lambda W, v, g, lr: W - lr * v), "yours is beta \\* dW"),
    (momentum(lambda v, g, b: b * v + (1 - b) * g, lambda W, v, g, lr: W + lr * v), "moved up the gradient"),
    (momentum(lambda v, g, b: b * v + (1 - b) * g, lambda W, v, g, lr: W - lr * g), "step with the velocity"),
    (lambda W, dW, v, beta, lr: (W - lr * (beta * v + (1 - beta) * dW),) * 1, "Return the pair"),
    (momentum(lambda v, g, b: b * v + (1 - b) * g, lambda W, v, g, lr: W - lr * lr * v), "At step 1"),
], ids=["no-1-beta", "swapped-beta", "sign", "steps-with-gradient", "returns-W-only", "lr-squared"])
def test_momentum_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_momentum_update(wrong)


# ---------------------------------------------------------------- RMSprop


def rmsprop_package(W, dW, s, rho, learning_rate, epsilon):
    opt = optimizers.RMSprop(learning_rate=learning_rate, rho=rho, epsilon=epsilon, epsilon_form="textbook")
    params = {"W": W.copy()}
    opt.slot("velocity", "W", params["W"])[...] = s
    opt.step(params, {"W": dW})
    return params["W"], opt.slot("velocity", "W", params["W"]).copy()


def rmsprop(s_rule, w_rule):
    def update(W, dW, s, rho, learning_rate, epsilon):
        s = s_rule(s, dW, rho)
        return w_rule(W, s, dW, learning_rate, epsilon), s
    return update


def test_rmsprop_accepts_package_and_keras_epsilon_form():
    assert passes(checks.check_rmsprop_update, rmsprop_package)
    keras_form = rmsprop(lambda s, g, r: r * s + (1 - r) * g * g, lambda W, s, g, lr, e: W - lr * g / np.sqrt(s + e))
    assert passes(checks.check_rmsprop_update, keras_form)  # epsilon inside the root: a tolerance, not digits


@pytest.mark.parametrize("wrong, message", [
    (rmsprop(lambda s, g, r: r * s + (1 - r) * g, lambda W, s, g, lr, e: W - lr * g / (np.sqrt(np.abs(s)) + e)),
     "\\*squared\\* gradients"),
    (rmsprop(lambda s, g, r: r * s + r * g * g, lambda W, s, g, lr, e: W - lr * g / (np.sqrt(s) + e)),
     "yours is rho \\* dW\\*\\*2"),
    (rmsprop(lambda s, g, r: r * s + (1 - r) * g * g, lambda W, s, g, lr, e: W - lr * g / (s + e)),
     "divide by the square root"),
    (rmsprop(lambda s, g, r: r * s + (1 - r) * g * g, lambda W, s, g, lr, e: W - lr * g),
     "At step 1"),
], ids=["not-squared", "rho-swapped", "no-sqrt", "plain-gd"])
def test_rmsprop_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_rmsprop_update(wrong)


# ---------------------------------------------------------------- Adam


def adam_package(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon, epsilon_form="textbook"):
    opt = optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                          epsilon_form=epsilon_form)
    params = {"W": W.copy()}
    opt.slot("m", "W", params["W"])[...] = m
    opt.slot("v", "W", params["W"])[...] = v
    opt.iterations = t - 1
    opt.step(params, {"W": dW})
    return params["W"], opt.slot("m", "W", params["W"]).copy(), opt.slot("v", "W", params["W"]).copy()


def adam(correct_t=lambda t: t, correct=True, sign=1.0, square=True, return_hat=False, sqrt=True):
    def update(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * dW
        v = beta_2 * v + (1 - beta_2) * (dW * dW if square else dW)
        tc = correct_t(t)
        m_hat = m / (1 - beta_1 ** tc) if correct else m
        v_hat = v / (1 - beta_2 ** tc) if correct else v
        root = np.sqrt(np.abs(v_hat)) if sqrt else v_hat
        W = W - sign * learning_rate * m_hat / (root + epsilon)
        return (W, m_hat, v_hat) if return_hat else (W, m, v)
    return update


def test_adam_accepts_package():
    assert passes(checks.check_adam_update, adam_package)
    assert passes(checks.check_adam_update, adam())
    # Keras's epsilon / sqrt(1 - beta_2^t) differs from the textbook form by a relative 1e-6 or so: accepted
    assert passes(checks.check_adam_update, functools.partial(adam_package, epsilon_form="keras"))


@pytest.mark.parametrize("wrong, message", [
    (adam(correct=False), "moved W by 3.2x the learning rate.*forget bias correction"),
    (adam(correct_t=lambda t: t + 1), "is t right in the corrections"),
    (adam(correct_t=lambda t: t - 1), "did you use t - 1"),
    (adam(sign=-1.0), "moved up the gradient"),
    (adam(square=False), "\\*squared\\* gradients"),
    (adam(return_hat=True), "keep m_hat and v_hat out"),
    (adam(sqrt=False), "first Adam step moved W"),
    (lambda *args: adam()(*args)[:2], "Return the triple"),
], ids=["no-bias-correction", "t-plus-1", "t-minus-1", "sign", "v-not-squared", "returns-hats", "no-sqrt", "pair"])
def test_adam_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_adam_update(wrong)


# ---------------------------------------------------------------- step decay


def decay_package(learning_rate0, epoch, decay_rate, time_interval):
    return schedules.InverseTimeDecay(learning_rate0, time_interval, decay_rate, staircase=True)(epoch)


def test_step_decay_accepts_package_and_integer_division():
    assert passes(checks.check_step_decay, decay_package)
    assert passes(checks.check_step_decay, lambda lr0, e, r, k: lr0 / (1 + r * (e // k)))


@pytest.mark.parametrize("wrong, message", [
    (lambda lr0, e, r, k: lr0 / (1 + r * e / k), "use floor\\(epoch / time_interval\\)"),
    (lambda lr0, e, r, k: lr0 / (1 + r * round(e / k)), "You rounded epoch / time_interval"),
    (lambda lr0, e, r, k: lr0 / (1 + r * np.ceil(e / k)), "You rounded up"),
    (lambda lr0, e, r, k: lr0 / (1 + r * np.floor(e)), "Divide the epoch by time_interval"),
    (lambda lr0, e, r, k: lr0 * r ** np.floor(e / k), "exponential decay"),
    (lambda lr0, e, r, k: lr0 / (1 + r * np.floor((e + 1) / k)), "at epoch 999 the rate should be 0.5"),
], ids=["no-floor", "round", "ceil", "floor-epoch", "exponential", "off-by-one"])
def test_step_decay_rejects(wrong, message):
    with pytest.raises(checks.ExerciseError, match=message):
        checks.check_step_decay(wrong)
