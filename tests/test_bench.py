"""The bench scripts at tiny sizes, so that they cannot rot (``make bench`` runs them at full size).

No timing is asserted: only that the rows are well formed.
"""

import contextlib
import io
import math

import pytest

from bench import table


@pytest.fixture(scope="module")
def quick_run():
    """``(rows, printed table)`` of ``python -m bench --quick``, run once for the tests below."""
    from bench import __main__ as make_bench

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rows = make_bench.main(["--quick"])
    return rows, out.getvalue()


def test_bench_gradcheck_quick(quick_run):
    rows = [row for row in quick_run[0] if row.section == "Gradient checking"]  # the loop and both checks agreed
    assert len(rows) == 3 and all(isinstance(row, table.Row) for row in rows)
    for row in rows:
        assert row.section == "Gradient checking" and row.what and row.context
        assert math.isfinite(row.ratio) and row.ratio > 0 and row.goal is None and row.met is None
    assert [row.what.split(",")[0] for row in rows] == ["full check vs a per-element loop",
                                                          "full check vs the same loop on one BLAS thread",
                                                          "directional check (k=5) vs full check"]
    assert "1,266 parameters" in rows[0].what and "2,535 loss evaluations" in rows[0].context
    assert "63 loss evaluations" in rows[2].context


def test_make_bench_quick_prints_one_table(quick_run):
    rows, out = quick_run
    sections = {row.section for row in rows}
    assert len(sections) == 5 and all(math.isfinite(row.ratio) and row.ratio > 0 for row in rows)
    assert all(row.goal is None for row in rows), "quick runs set no goals"
    assert out.count("\n| **") == 5 and "| measured | ratio | goal | met | figures |" in out
    assert "cores; Python" in out.splitlines()[0] and "0 of 0 goals met." in out
    suite = [row for row in rows if row.section.startswith("make test")]
    assert [row.what for row in suite][0] == "Tiny.ipynb (nbval)" and "s of" in suite[-2].context
    assert suite[-1].what.endswith("summed test time / wall-clock time") and "s of tests in" in suite[-1].context
    assert suite[-1].context.endswith("tests passed"), suite[-1].context
    assert all(row.percent for row in suite[:-1]) and not suite[-1].percent  # shares, then a factor
    assert "| Tiny.ipynb (nbval) | " in out and "%" in out.split("| Tiny.ipynb (nbval) | ")[1].split("|")[0]
    stacked = [row for row in rows if row.section.startswith("Stacked seeds")]
    assert [row.what for row in stacked] == ["4 x [2, 10, 5, 1], full batch of 300 points, Adam",
                                             "4 x [2, 10, 5, 1], full batch of 300 points, GD",
                                             "accuracy of 4 x [2, 10, 5, 1] on 2,000 fresh points"]
    assert "ms per epoch of all 4 nets" in stacked[0].context and " vs " in stacked[-1].context
