"""Tests for course_utils.tables: fixed-width per-seed tables and their median row."""

import math

import pytest

from course_utils import tables

ROWS = [
    {"seed": 0, "cost": 0.5, "acc": 0.9, "steps": 100},
    {"seed": 1, "cost": 0.25, "acc": 0.5, "steps": math.inf},
    {"seed": 2, "cost": 1.0, "acc": 0.75, "steps": 300},
]


def test_table_rows_header_and_median():
    text = tables.format_table(ROWS, {"cost": ".3f", "acc": ".1%", "steps": ".0f"}, median=True)
    lines = text.splitlines()
    assert lines[0].split() == ["seed", "cost", "acc", "steps"]
    assert lines[1].split() == ["0", "0.500", "90.0%", "100"]
    assert lines[2].split() == ["1", "0.250", "50.0%", "never"]
    assert lines[-1].split() == ["median", "0.500", "75.0%", "300"]
    assert len({len(line) for line in lines}) == 1  # columns line up


def test_median_row_counts_inf_as_largest():
    assert tables.median_row(ROWS[:2], {"steps": ""})["steps"] == math.inf
    assert tables.median_row(ROWS, {"cost": "", "steps": ""}) == {"cost": 0.5, "steps": 300.0}


def test_none_and_nan_print_as_dash_and_strings_pass_through():
    text = tables.format_table([{"net": "relu He", "x": None, "y": math.nan, "z": "ok"}],
                               {"x": ".2f", "y": ".2f", "z": ""}, label="net")
    assert text.splitlines()[1].split() == ["relu", "He", "-", "-", "ok"]


def test_wide_headers_widen_their_column():
    text = tables.format_table([{"seed": 0, "a_very_long_header": 1.0}], {"a_very_long_header": ".1f"})
    header, row = text.splitlines()
    assert header.endswith("a_very_long_header") and len(header) == len(row)


def test_median_needs_numbers():
    with pytest.raises(TypeError):
        tables.median_row([{"seed": 0, "x": None}], {"x": ""})


def test_text_columns_have_no_median():
    rows = [{"seed": 0, "dead": "0, 2", "x": 1.0}, {"seed": 1, "dead": "1, 0", "x": 3.0}]
    assert tables.median_row(rows, {"dead": "", "x": ""}) == {"dead": None, "x": 2.0}
    assert tables.format_table(rows, {"dead": "", "x": ".1f"}, median=True).splitlines()[-1].split() == ["median", "-", "2.0"]
