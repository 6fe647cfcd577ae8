"""Tests for course_utils.fastpath.workspace: arrays reused by name and shape, never shared between requests."""

import copy
import pickle

import numpy as np

from course_utils.fastpath import workspace as workspace_module
from course_utils.fastpath.workspace import FRESH, Workspace


def test_the_same_request_gets_the_same_array_and_another_request_another():
    ws = Workspace()
    a = ws.empty("Z", (3, 4), np.float64)
    assert ws.empty("Z", (3, 4), np.float64) is a
    others = [ws.empty("Z", (3, 5), np.float64), ws.empty("A", (3, 4), np.float64), ws.empty("Z", (3, 4), np.float32)]
    assert all(other is not a and not np.shares_memory(other, a) for other in others)
    assert others[2].dtype == np.float32 and "4 arrays" in repr(ws)


def test_a_row_of_ones_is_set_once_and_kept():
    ws = Workspace()
    A = ws.with_ones_row(("A", 1), (2, 3, 5), np.float64)
    assert np.all(A[:, -1] == 1)
    A[:, :-1] = 7.0
    again = ws.with_ones_row(("A", 1), (2, 3, 5), np.float64)
    assert again is A and np.all(again[:, -1] == 1) and np.all(again[:, :-1] == 7.0)
    fresh = FRESH.with_ones_row(("A", 1), (3, 5), np.float64)
    assert fresh is not FRESH.with_ones_row(("A", 1), (3, 5), np.float64) and np.all(fresh[-1] == 1)


def test_the_number_of_arrays_is_bounded(monkeypatch):
    monkeypatch.setattr(workspace_module, "MAX_ARRAYS", 4)
    ws = Workspace()
    for m in range(10):
        ws.empty("Z", (m + 1,), np.float64)
    assert len(ws._arrays) <= 4


def test_copies_and_pickles_are_empty():
    ws = Workspace()
    ws.empty("Z", (100,), np.float64)
    assert not copy.deepcopy(ws)._arrays and not pickle.loads(pickle.dumps(ws))._arrays and ws._arrays
