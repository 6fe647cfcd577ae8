"""The update-rule machinery of the Optimization_methods checks: fitting a wrong average, implied constants."""

import numpy as np

from course_utils.exercise_checks import update_rules


def test_fit_finds_the_coefficients_and_leaves_out_zero_terms():
    rng = np.random.default_rng(0)
    v, dW = rng.standard_normal(12), rng.standard_normal(12)
    coef = update_rules.fit(0.9 * v + dW, {"v": v, "dW": dW}, 1e-6)
    assert list(coef) == ["v", "dW"] and np.allclose(list(coef.values()), [0.9, 1.0])
    assert list(update_rules.fit(0.1 * dW, {"v": np.zeros(12), "dW": dW}, 1e-6)) == ["dW"]
    assert update_rules.fit(np.sin(dW), {"dW": dW}, 1e-6) is None


def test_average_message_names_the_measured_weights_and_a_recognised_cause():
    rng = np.random.default_rng(1)
    v, dW = rng.standard_normal(10), rng.standard_normal(10)
    terms, right = {"v": v, "dW": dW}, {"v": 0.75, "dW": 0.25}
    assert update_rules.average_message("v", 0.75 * v + 0.25 * dW, terms, right, {}, "beta", 0.75, 1e-6) is None
    text = update_rules.average_message("v", 0.9 * v + 0.1 * dW, terms, right, {}, "beta", 0.75, 1e-6,
                                        defaults=[({"v": 0.9, "dW": 0.1}, "(the lecture's value)")])
    assert text == "your new v = 0.9·v + 0.1·dW; with beta = 0.75 it should be 0.75·v + 0.25·dW. (the lecture's value)"


def test_implied_constant_and_factor():
    rng = np.random.default_rng(2)
    W, dW, s = rng.standard_normal(8), rng.standard_normal(8), rng.random(8)
    W_new = W - 0.1 * dW / (np.sqrt(s) + 1e-3)
    assert np.isclose(update_rules.implied_constant(W, W_new, 0.1 * dW, np.sqrt(s), 1e-6), 1e-3, rtol=1e-6)
    assert update_rules.implied_constant(W, W - 0.1 * dW / np.sqrt(s + 1e-3), 0.1 * dW, np.sqrt(s), 1e-6) is None
    assert np.isclose(update_rules.implied_factor(3 * dW, dW, 1e-6), 3.0)
