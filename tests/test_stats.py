"""Tests for course_utils.stats: intervals for medians, the sign test, standard errors, counts."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from course_utils import stats


def test_the_median_interval_of_20_values_is_the_6th_to_the_15th():
    values = np.arange(20.0)[::-1]  # any order
    interval = stats.median_interval(values)
    assert (interval.median, interval.low, interval.high, interval.n) == (9.5, 5.0, 14.0, 20)
    assert interval.coverage == pytest.approx(1 - 2 * scipy_stats.binom.cdf(5, 20, 0.5))  # 0.9586
    assert interval.coverage == pytest.approx(0.9586, abs=1e-4)


@pytest.mark.parametrize("n", [6, 9, 10, 20, 21, 40])
def test_the_interval_is_the_narrowest_with_the_coverage_asked(n):
    interval = stats.median_interval(np.arange(float(n)), confidence=0.9)
    k = int(interval.low) + 1  # 1-based rank of the lower end
    assert interval.high == n - k and interval.coverage >= 0.9
    assert 1 - 2 * scipy_stats.binom.cdf(k, n, 0.5) < 0.9  # one rank narrower covers less


def test_the_interval_covers_the_true_median_as_often_as_it_says():
    rng = np.random.default_rng(0)
    samples = rng.exponential(size=(4000, 20))  # skewed: the true median is ln 2
    hits = [(lambda i: i.low <= math.log(2) <= i.high)(stats.median_interval(row)) for row in samples]
    assert np.mean(hits) == pytest.approx(0.9586, abs=0.01)


def test_small_samples_get_their_whole_range_with_its_coverage():
    interval = stats.median_interval([3.0, 1.0, 2.0])
    assert (interval.low, interval.high) == (1.0, 3.0) and interval.coverage == pytest.approx(0.75)
    assert interval.format(".1f") == "2.0 [1.0, 3.0]"
    assert stats.median_interval([0.93, 0.95, 0.91]).format(".1%") == "93.0% [91.0%, 95.0%]"


def test_the_sign_test_counts_and_gives_the_exact_p_value():
    a = np.array([3, 2, 5, 5, 7, 1, 9, 9, 9, 9], dtype=float)
    b = np.array([1, 1, 1, 5, 1, 2, 1, 1, 1, 1], dtype=float)
    test = stats.sign_test(a, b)
    assert (test.wins, test.losses, test.ties, test.n) == (8, 1, 1, 10)
    assert test.p_value == pytest.approx(2 * scipy_stats.binom.sf(7, 9, 0.5))  # P(>= 8 of 9), two-sided
    assert stats.sign_test([1.0, 2.0], [1.0, 2.0]).p_value == 1.0
    with pytest.raises(ValueError, match=r"one value per seed.*\(3,\) and \(2,\)"):
        stats.sign_test([1.0, 2.0, 3.0], [1.0, 2.0])


def test_the_one_sided_sign_test_is_the_upper_binomial_tail_counted_by_hand():
    a = np.array([1.0] * 9 + [0.0] * 11 + [5.0])        # 9 wins, 11 losses, 1 tie
    b = np.array([0.0] * 9 + [1.0] * 11 + [5.0])
    by_hand = sum(math.comb(20, k) for k in range(9, 21)) / 2 ** 20     # P(W >= 9 of 20)
    assert stats.sign_test(a, b, alternative="greater").p_value == pytest.approx(by_hand, rel=1e-12)
    assert stats.sign_test(b, a, alternative="greater").p_value == pytest.approx(
        sum(math.comb(20, k) for k in range(11, 21)) / 2 ** 20, rel=1e-12)
    assert stats.sign_test([1.0], [1.0], alternative="greater").p_value == 1.0
    with pytest.raises(ValueError, match=r"`alternative`.*received alternative='less'"):
        stats.sign_test(a, b, alternative="less")


def test_accuracy_se_and_count():
    assert stats.accuracy_se(0.8, 200) == pytest.approx(math.sqrt(0.8 * 0.2 / 200))  # 2.8 points
    assert stats.accuracy_se(1.0, 10) == 0.0
    with pytest.raises(ValueError, match="accuracy=93"):
        stats.accuracy_se(93, 100)
    with pytest.raises(ValueError, match="m=0"):
        stats.accuracy_se(0.5, 0)
    assert stats.count(np.array([True, False, True])) == 2
    with pytest.raises(TypeError, match="booleans"):
        stats.count([1, 0, 1])


def test_bad_values_are_refused_by_name():
    with pytest.raises(ValueError, match="`values` must be finite"):
        stats.median_interval([1.0, np.nan])
    with pytest.raises(ValueError, match="confidence=1.5"):
        stats.median_interval([1.0, 2.0], confidence=1.5)
