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
