"""The Optimization_methods checks of the update rules: Momentum, RMSprop, Adam (run by update_rules)."""

import numpy as np
import pytest

from course_utils import checks, optimizers
from check_helpers import cpu_seconds, message, passes


def one_step(optimizer, slots, t=1):
    """An update rule driven by the package's ``optimizer``, from the given state, for one step."""
    def update(W, dW, *state):
        params = {"W": np.array(W, dtype=float)}
        for name, value in zip(slots, state):
            optimizer.slot(name, "W", params["W"])[...] = value
        optimizer.iterations = state[len(slots)] - 1 if len(state) > len(slots) else 0
        optimizer.step(params, {"W": np.asarray(dW, dtype=float)})
        return (params["W"], *[optimizer.slot(name, "W", params["W"]).copy() for name in slots])
    return update


def momentum_package(W, dW, v, beta, learning_rate):
    return one_step(optimizers.Momentum(learning_rate=learning_rate, beta=beta), ["velocity"])(W, dW, v)


def rmsprop_package(W, dW, s, rho, learning_rate, epsilon):
    opt = optimizers.RMSprop(learning_rate=learning_rate, rho=rho, epsilon=epsilon, epsilon_form="textbook")
    return one_step(opt, ["velocity"])(W, dW, s)


def adam_package(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    opt = optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                          epsilon_form="textbook")
    return one_step(opt, ["m", "v"])(W, dW, m, v, t)


def test_the_package_optimizers_and_the_references_pass():
    assert passes(checks.check_momentum_update, momentum_package)
    assert passes(checks.check_rmsprop_update, rmsprop_package)
    assert passes(checks.check_adam_update, adam_package)
    for check in (checks.check_momentum_update, checks.check_rmsprop_update, checks.check_adam_update):
        assert passes(check, check.reference)


def float32_adam(W, dW, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    """Adam computed in float32 whatever it is given, returning lists."""
    W, dW, m, v = (np.asarray(a, dtype=np.float32) for a in (W, dW, m, v))
    m = np.float32(beta_1) * m + np.float32(1 - beta_1) * dW
    v = np.float32(beta_2) * v + np.float32(1 - beta_2) * dW * dW
    m_hat, v_hat = m / np.float32(1 - beta_1 ** t), v / np.float32(1 - beta_2 ** t)
    return [W - np.float32(learning_rate) * m_hat / (np.sqrt(v_hat) + np.float32(epsilon)), m, v]


def test_float32_arithmetic_and_lists_pass():
    assert passes(checks.check_adam_update, float32_adam)
    assert passes(checks.check_momentum_update, lambda W, dW, v, beta, lr: [
        np.float32(W) - np.float32(lr) * (np.float32(beta) * v + np.float32(1 - beta) * dW).astype(np.float32),
        (np.float32(beta) * v + np.float32(1 - beta) * dW).astype(np.float32)])


def adam(correct=lambda t: (t, t), epsilon_inside=False, learning_rate=None, return_hat=False):
    def update(W, dW, m, v, t, lr, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * dW
        v = beta_2 * v + (1 - beta_2) * dW ** 2
        t1, t2 = correct(t)
        m_hat = m / (1 - beta_1 ** t1) if t1 else m
        v_hat = v / (1 - beta_2 ** t2) if t2 else v
        root = np.sqrt(v_hat + epsilon) if epsilon_inside else np.sqrt(v_hat) + epsilon
        W = W - (learning_rate or lr) * m_hat / root
        return (W, m_hat, v_hat) if return_hat else (W, m, v)
    return update


@pytest.mark.parametrize("wrong, words", [
    (adam(lambda t: (0, 0)), "moved W by 3.2× the learning rate"),
    (adam(lambda t: (t, 0)), "only m is bias-corrected"),
    (adam(lambda t: (0, t)), "only v is bias-corrected"),
    (adam(lambda t: (t + 1, t + 1)), "bias correction with t + 1 = 2"),
    (adam(lambda t: (1, 1)), "1 - beta_1 and 1 - beta_2 at every step"),
    (adam(epsilon_inside=True), "sqrt(v_hat + epsilon)"),
    (adam(learning_rate=0.001), "a learning rate of 0.001, not the learning_rate = 0.01"),
    (adam(return_hat=True), "bias-corrected m_hat"),
    (lambda *args: adam()(*args)[:2], "should return the triple (W, m, v); it returned a tuple of 2 items"),
], ids=["no-correction", "only-m", "only-v", "t+1", "no-power", "eps-inside", "hard-coded-lr", "returns-hats", "pair"])
def test_adam_names_what_it_measured(wrong, words):
    text = message(checks.check_adam_update, wrong)
    assert words in text
    assert "is t right" not in text


@pytest.mark.parametrize("wrong, words", [
    (lambda W, dW, v, b, lr: (W - lr * (b * v + dW), b * v + dW), "your new v = 1·dW; with beta = 0.9 it should be"),
    (lambda W, dW, v, b, lr: (W + lr * (b * v + (1 - b) * dW), b * v + (1 - b) * dW), "moved up the gradient"),
    (lambda W, dW, v, b, lr: (W - lr * dW, b * v + (1 - b) * dW), "moves by learning_rate * v"),
    (lambda W, dW, v, b, lr: (b * v + (1 - b) * dW, W - lr * (b * v + (1 - b) * dW)), "return them in the order (W, v)"),
    (lambda W, dW, v, b, lr: (W - lr * lr * (b * v + (1 - b) * dW), b * v + (1 - b) * dW), "a learning rate of"),
], ids=["classical", "sign", "steps-with-dW", "swapped", "lr-squared"])
def test_momentum_names_what_it_measured(wrong, words):
    assert words in message(checks.check_momentum_update, wrong)


def rmsprop(root=lambda s, e: np.sqrt(s) + e, average=lambda s, g, r: r * s + (1 - r) * g * g):
    def update(W, dW, s, rho, lr, epsilon):
        s = average(s, dW, rho)
        return W - lr * dW / root(s, epsilon), s
    return update


@pytest.mark.parametrize("wrong, words", [
    (rmsprop(root=lambda s, e: np.sqrt(s)), "exactly where dW = 0"),
    (rmsprop(root=lambda s, e: np.sqrt(s + e)), "inside the square root"),
    (rmsprop(root=lambda s, e: np.sqrt(s) + 1e-8), "epsilon = 1e-08, not the epsilon = 0.1 passed"),
    (rmsprop(root=lambda s, e: s + e), "divide by the square root of s"),
    (rmsprop(average=lambda s, g, r: r * s + (1 - r) * g), "s averages the squared gradients"),
    (rmsprop(average=lambda s, g, r: 0.9 * s + 0.1 * g * g), "0.9 is the lecture's value, not the `rho` argument"),
], ids=["no-epsilon", "keras-epsilon", "hard-coded-epsilon", "no-sqrt", "not-squared", "hard-coded-rho"])
def test_rmsprop_names_what_it_measured(wrong, words):
    assert words in message(checks.check_rmsprop_update, wrong)


def test_inputs_changed_in_place_are_caught():
    def in_place(W, dW, v, beta, learning_rate):
        v *= beta
        v += (1 - beta) * dW
        return W - learning_rate * v, v
    assert "changed its input `v` in place" in message(checks.check_momentum_update, in_place)


@pytest.mark.parametrize("check", [checks.check_momentum_update, checks.check_rmsprop_update, checks.check_adam_update])
def test_each_check_is_quick(check):
    assert cpu_seconds(check, check.reference) < 0.5
