"""The report never vouches for what it did not check: arrays whose entries all crossed a ReLU kink.

With kinks set aside, an array every entry of which crossed a kink has nothing left to compare. Such an
array is reported "not checked" (its error is NaN), the report does not pass while any array is unchecked,
and an array with fewer than half of its entries scored says how many were. The case that showed the defect:
a backward pass whose b1 gradient is 16 times too small, checked on a batch where every b1 entry crosses a
kink (zero biases and an input row at the origin), was reported "ok" and PASSED.
"""

import numpy as np
import pytest

from course_utils import datasets, gradcheck, model, training


def b1_too_small(dZ, caches, params, hidden_activation, keep_prob, l2):
    """``model.backward`` with the b1 gradient 16 times too small."""
    grads = model.backward(dZ, caches, params, hidden_activation, keep_prob, l2)
    grads["b1"] = grads["b1"] / 16
    return grads


def origin_batch(seed):
    """A mini-batch of 16 rows of the spirals that holds a point at the origin (the spirals start there)."""
    X, y, _, _ = datasets.spirals(seed=1)
    for X_batch, y_batch in training.random_mini_batches(X, y, batch_size=16, seed=seed):
        if np.all(X_batch == 0, axis=1).any():
            return X_batch, y_batch
    raise AssertionError("no batch with a point at the origin")


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("directions", [None, 3])
def test_a_b1_gradient_16_times_too_small_is_not_passed_where_every_b1_entry_crosses_a_kink(seed, directions):
    net = model.MLP([2, 8, 8, 3], hidden_activation="relu", seed=seed)  # untrained: every bias is exactly 0
    X, y = origin_batch(seed)
    report = gradcheck.check_model(net, X, y, backward=b1_too_small, directions=directions)
    b1 = report.arrays["b1"]
    n = 8 if directions is None else directions
    assert b1.n_kinks == n and b1.n_scored == 0 and b1.n_total == n  # every entry (direction) crossed a kink
    assert not b1.checked and b1.verdict() == "not checked" and np.isnan(b1.error) and not b1.ok()
    assert "b1" in report.unchecked and "b1" not in report.failed
    assert not report.passed and "PASSED: every" not in str(report)
    summary = " ".join(report.summary().split())
    assert "not checked: b1" in summary and summary.startswith("NOT PASSED")
    assert np.isnan(report.errors()["b1"]) and np.isfinite(report.max_error)
    line = next(line for line in report.table().splitlines() if line.startswith("b1"))
    assert line.split()[2] == "-" and "not checked" in line and f"all {n}" in line


def test_the_same_bug_is_caught_at_a_point_away_from_the_kinks():
    """Away from the kinks (non-zero biases) the same check blames b1, and the correct backward pass passes."""
    net = model.MLP([2, 8, 8, 3], hidden_activation="relu", seed=0)
    rng = np.random.default_rng(0)
    for name in ("b1", "b2", "b3"):
        net.params[name][...] = 0.1 * rng.standard_normal(net.params[name].shape)
    X, y = origin_batch(0)
    buggy = gradcheck.check_model(net, X, y, backward=b1_too_small)
    assert buggy.failed == ["b1"] and buggy.unchecked == []
    assert buggy.arrays["b1"].error == pytest.approx(15 / 17, rel=1e-6)  # |c - 1| / (c + 1) with c = 1/16
    correct = gradcheck.check_model(net, X, y)
    assert correct.passed and correct.unchecked == [] and sum(c.n_kinks for c in correct.arrays.values()) == 0


def test_a_failure_and_an_unchecked_array_are_both_named():
    net = model.MLP([2, 8, 8, 3], hidden_activation="relu", seed=0)
    X, y = origin_batch(0)

    def bugs(*args):
        grads = b1_too_small(*args)
        grads["W3"] = 2 * grads["W3"]
        return grads

    report = gradcheck.check_model(net, X, y, backward=bugs)
    assert report.failed == ["W3"] and report.unchecked == ["b1", "b2"] and not report.passed
    summary = " ".join(report.summary().split())  # as one line, whatever the wrapping
    assert summary.startswith("FAILED: W3 (3.3e-01)") and "not checked: b1, b2" in summary


def test_an_array_with_few_scored_entries_says_how_many():
    """Three of the five units of layer 1 sit exactly on the kink for the origin row: b1 is scored on 2 of 5."""
    net = model.MLP([3, 5, 4, 3], seed=0)
    net.params["b1"][...] = [0.0, 0.0, 0.0, 0.5, -0.5]
    X, y = np.random.default_rng(0).standard_normal((12, 3)), np.arange(12) % 3
    X[0] = 0.0
    report = gradcheck.check_model(net, X, y)
    b1 = report.arrays["b1"]
    assert (b1.n_kinks, b1.n_scored, b1.n_total) == (3, 2, 5) and b1.checked and b1.few_scored
    assert report.passed and b1.verdict() == "ok"
    assert "only 2 of 5 entries scored" in report.table() and "b1 scored on 2 of 5 only" in " ".join(report.summary().split())
    assert not any(c.few_scored for name, c in report.arrays.items() if name != "b1")


def test_report_rules_on_hand_made_checks():
    ok = gradcheck.ArrayCheck("W1", (2, 2), 1e-10, [], n_scored=4, n_total=4)
    unchecked = gradcheck.ArrayCheck("b1", (2,), float("nan"), [], n_kinks=2, n_scored=0, n_total=2)
    legacy = gradcheck.ArrayCheck("W2", (2, 2), 1e-10, [])  # no counts recorded: every entry scored
    report = gradcheck.GradcheckReport("full", {"W1": ok, "b1": unchecked, "W2": legacy}, gradcheck.THRESHOLD, 1e-5, 15)
    assert legacy.checked and not legacy.few_scored and ok.verdict() == "ok"
    assert report.unchecked == ["b1"] and report.failed == [] and not report.passed
    assert report.max_error == 1e-10
    alone = gradcheck.GradcheckReport("full", {"b1": unchecked}, gradcheck.THRESHOLD, 1e-5, 7)
    assert np.isnan(alone.max_error) and not alone.passed


def test_printed_lines_fit_100_characters():
    """The summary wraps (a notebook prints it), even the long message about a re-drawn dropout mask."""
    net = model.MLP([2, 8, 8, 3], seed=0, keep_prob=0.8)
    X, y = origin_batch(1)
    for report in (gradcheck.check_model(net, X, y, fix_mask=False), gradcheck.check_model(net, X, y)):
        assert all(len(line) <= 100 for line in str(report).splitlines()), str(report)


def test_format_error_prints_as_the_table_does():
    assert gradcheck.format_error(0.3333) == "3.3e-01" and gradcheck.format_error(2e-9) == "<1e-08"
    assert gradcheck.format_error(float("nan")) == "-" and gradcheck.format_error(2e-9, floor=None) == "2.0e-09"
    assert gradcheck.format_error(np.float64(1e-3)) == "1.0e-03"
