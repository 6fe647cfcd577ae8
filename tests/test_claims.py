"""Tests for course_utils.claims: a claim prints itself with its values, and a false one fails loudly."""

import numpy as np
import pytest

from course_utils import claims


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.setenv("COURSE_UTILS_STRICT_CLAIMS", "0")


def test_a_true_claim_prints_one_line_with_its_evidence(capsys):
    assert claims.claim("zeros stay at chance", np.bool_(True), "50.0% on 20 of 20 seeds") is None
    assert capsys.readouterr().out == "✓ zeros stay at chance: 50.0% on 20 of 20 seeds\n"


def test_a_false_claim_raises_under_pytest_with_its_values():
    with pytest.raises(claims.ClaimError, match=r"^✗ He is faster: 3 > 5$") as info:
        claims.claim("He is faster", False, "3 > 5")
    assert info.value._render_traceback_() == ["✗ He is faster: 3 > 5"]


def test_in_a_learners_session_a_false_claim_is_shown_and_the_notebook_goes_on(lenient, capsys):
    assert claims.claim("He is faster", False, "3 > 5") is None
    out = capsys.readouterr().out
    assert out.startswith("✗ He is faster: 3 > 5\n") and "did you change one above?" in out


def test_strict_mode_follows_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_UTILS_STRICT_CLAIMS", "1")
    assert claims.strict()
    monkeypatch.setenv("COURSE_UTILS_STRICT_CLAIMS", "0")
    assert not claims.strict()
    monkeypatch.delenv("COURSE_UTILS_STRICT_CLAIMS")
    assert claims.strict()  # PYTEST_CURRENT_TEST is set while a test runs
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert not claims.strict()


def test_long_claims_wrap_at_100_characters_with_an_indent(capsys):
    claims.claim("a statement " * 6, True, "evidence " * 12)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 1 and all(len(line) <= 100 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])


def test_claims_need_a_statement_and_a_truth_value():
    with pytest.raises(TypeError, match="`holds` must be True or False"):
        claims.claim("x", 1.0)
    with pytest.raises(TypeError, match="`statement`"):
        claims.claim("", True)


def test_count_reports_k_of_n_and_checks_the_bounds(capsys):
    flags = np.array([True] * 7 + [False] * 13)
    claims.count("the layer dies on some seeds", flags, at_least=1, at_most=10)
    assert capsys.readouterr().out == "✓ the layer dies on some seeds: on 7 of 20 seeds\n"
    with pytest.raises(claims.ClaimError, match="on 7 of 20 seeds"):
        claims.count("the layer dies on every seed", flags)
    with pytest.raises(claims.ClaimError):
        claims.count("rarely", flags, at_most=6)


def test_count_of_nothing_fails_instead_of_holding_vacuously():
    # a count over an empty selection (say, nets that crossed a kink when none did) must not print "on 0 of 0" as ✓
    for bounds in ({}, {"at_most": 3}, {"at_least": 0}):
        with pytest.raises(claims.ClaimError, match="nothing to count: 0 nets"):
            claims.count("every net that crossed a kink fails", np.array([], dtype=bool), of="nets", **bounds)


def test_beats_needs_a_better_median_and_a_significant_sign_test(capsys):
    rng = np.random.default_rng(0)
    b = rng.uniform(0.7, 0.9, 20)
    a = b + rng.uniform(0.01, 0.05, 20)  # ahead on every seed
    claims.beats("Adam beats GD on test accuracy", a, b, fmt=".1%")
    out = " ".join(capsys.readouterr().out.split())  # unwrapped
    assert out.startswith("✓ Adam beats GD on test accuracy: median ") and "ahead on 20 of 20 seeds, behind on 0" in out
    assert "p < 0.0001" in out and "%" in out
    a_few = b.copy()
    a_few[:13] += 0.01  # ahead on 13, tied on 7: 13 of 13 non-ties is significant
    claims.beats("ahead", a_few, b)
    assert "tied on 7" in " ".join(capsys.readouterr().out.split())
    mixed = b + np.where(np.arange(20) < 12, 0.02, -0.02)  # ahead on 12 of 20: p = 0.5, not enough
    with pytest.raises(claims.ClaimError, match=r"ahead\s+on\s+12\s+of\s+20\s+seeds,\s+behind\s+on\s+8.*p = 0.5"):
        claims.beats("mixed beats b", mixed, b)
    with pytest.raises(claims.ClaimError):
        claims.beats("b beats a", b, a)
    claims.beats("lower cost", b, a, higher_is_better=False)  # b's cost is lower on every seed


def test_close_below_and_above(capsys):
    claims.close("Var[W] matches 2/fan_in", 0.0102, 0.01, rtol=0.05)
    assert capsys.readouterr().out == ("✓ Var[W] matches 2/fan_in: measured 0.0102, expected 0.01 "
                                       "(off by 2.0%; allowed 5%)\n")
    with pytest.raises(claims.ClaimError, match="off by 10.0%"):
        claims.close("too far", 1.1, 1.0, rtol=0.05)
    claims.below("the error is tiny", 3e-10, 1e-7, what="relative error")
    assert capsys.readouterr().out == "✓ the error is tiny: relative error 3e-10 < 1e-07\n"
    with pytest.raises(claims.ClaimError, match="0.5 > 0.9"):
        claims.above("high", 0.5, 0.9)
