"""Fixed-width text tables for notebook results: one row per seed, then the median.

Numbers are formatted here, with fixed precision, so a stored notebook output does not change
with the last float digits of a CPU.
"""

import math

import numpy as np


def _cell(value, fmt, width):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{'-':>{width}}"
    if isinstance(value, float) and math.isinf(value):
        return f"{'never':>{width}}"
    if isinstance(value, str):
        return f"{value:>{width}}"
    return f"{format(value, fmt):>{width}}"


def format_table(rows, columns, median=False, label="seed", width=9):
    """Format ``rows`` (a list of dicts) as a text table.

    Args:
        rows: one dict per line; ``rows[i][label]`` names the line.
        columns: ``{key: format_spec}``, e.g. ``{"train_acc": ".1%", "cost": ".4f"}``; the keys are
            the headers. A value of None or NaN prints as "-", and inf as "never".
        median: append a line with the median of each column (see ``median_row``).
        label: the key that names each line.
        width: the narrowest column; a column is widened to fit its header.
    """
    label_width = max(width, len("median"), *(len(str(row[label])) for row in rows))
    widths = {key: max(width, len(key)) for key in columns}
    lines = [f"{label:>{label_width}}" + "".join(f"  {key:>{widths[key]}}" for key in columns)]
    for row in rows:
        lines.append(f"{str(row[label]):>{label_width}}"
                     + "".join("  " + _cell(row[k], f, widths[k]) for k, f in columns.items()))
    if median:
        medians = median_row(rows, columns)
        lines.append(f"{'median':>{label_width}}"
                     + "".join("  " + _cell(medians[k], f, widths[k]) for k, f in columns.items()))
    return "\n".join(lines)


def median_row(rows, columns):
    """``{key: median of rows[i][key]}`` for each key of ``columns``.

    inf is allowed (it counts as larger than any number); a column of strings has no median and
    gets None (printed as "-"); None among numbers raises TypeError.
    """
    medians = {}
    for key in columns:
        values = [row[key] for row in rows]
        text = any(isinstance(value, str) for value in values)
        medians[key] = None if text else float(np.median([float(value) for value in values]))
    return medians
