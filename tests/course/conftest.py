"""The nbgrader course graded end to end (`make test-course`).

The tests here run `make course` and nbgrader's release/collect/autograde/feedback/export on real
submissions, executing notebooks in kernels: minutes, not seconds. So they never run in `make test`:
every test here is marked `course` and is deselected unless the run selects that marker
(`pytest tests/course -m course`, which is what `make test-course` runs).
"""



def pytest_configure(config):
    config.addinivalue_line("markers", "course: grades real submissions with nbgrader (make test-course)")


def pytest_collection_modifyitems(config, items):
    """Deselect the course tests unless the marker expression asks for them."""
    if "course" in (config.getoption("markexpr", "") or ""):
        return
    dropped = [item for item in items if item.get_closest_marker("course") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.get_closest_marker("course") is None]

