"""The bench scripts at tiny sizes, so that they cannot rot (``make bench`` runs them at full size).

No timing is asserted: only that the rows are well formed.
"""

import math

from bench import bench_gradcheck, table


def test_bench_gradcheck_quick():
    rows = bench_gradcheck.measure(quick=True)  # also asserts that the loop and both checks agree
    assert len(rows) == 3 and all(isinstance(row, table.Row) for row in rows)
    for row in rows:
        assert row.section == "Gradient checking" and row.what and row.context
        assert math.isfinite(row.ratio) and row.ratio > 0 and row.goal is None and row.met is None
    assert [row.what.split(",")[0] for row in rows] == ["full check vs a per-element loop",
                                                          "full check vs the same loop on one BLAS thread",
                                                          "directional check (k=5) vs full check"]
    assert "1,266 parameters" in rows[0].what and "2,535 loss evaluations" in rows[0].context
    assert "63 loss evaluations" in rows[2].context


def test_make_bench_quick_prints_one_table(capsys):
    from bench import __main__ as make_bench

    rows = make_bench.main(["--quick"])
    out = capsys.readouterr().out
    sections = {row.section for row in rows}
    assert len(sections) == 4 and all(math.isfinite(row.ratio) and row.ratio > 0 for row in rows)
    assert all(row.goal is None for row in rows), "quick runs set no goals"
    assert out.count("\n| **") == 4 and "| measured | ratio | goal | met | figures |" in out
    assert "cores; Python" in out.splitlines()[0] and "0 of 0 goals met." in out
    suite = [row for row in rows if row.section.startswith("make test")]
    assert [row.what for row in suite][0] == "Tiny.ipynb (nbval)" and "s of" in suite[-2].context
    assert suite[-1].what.endswith("summed test time / wall-clock time") and "s of tests in" in suite[-1].context
    assert all(row.percent for row in suite[:-1]) and not suite[-1].percent  # shares, then a factor
    assert "| Tiny.ipynb (nbval) | " in out and "%" in out.split("| Tiny.ipynb (nbval) | ")[1].split("|")[0]
