"""The package's layout: no import cycle, TensorFlow only where it must be, and every public name in place."""

import ast
import json
import re
from pathlib import Path

import pytest

import course_utils

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course_utils"


def module_name(path, package_dir):
    """``course_utils.gradcheck.report`` for ``course_utils/gradcheck/report.py`` (a package is its ``__init__``)."""
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package_dir):
    """``{module: {modules it imports}}`` within the package, from the source (imports inside functions too).

    Importing ``a.b.c`` imports the packages ``a.b`` and ``a`` first, so those count as imported as well,
    except a module's own packages: they are always imported before the module itself is.
    """
    paths = sorted(package_dir.rglob("*.py"))
    modules = {module_name(path, package_dir): path for path in paths}
    graph = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name.split(".") if is_package else name.split(".")[:-1]  # the package the module sits in
        own_packages = {".".join(name.split(".")[:k]) for k in range(1, name.count(".") + 1)}
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here[: len(here) - node.level + 1] if node.level else []
                stem = ".".join(base + ([node.module] if node.module else []))
                found = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in found:
                parts = target.split(".")
                for k in range(1, len(parts) + 1):  # the target and the packages above it
                    prefix = ".".join(parts[:k])
                    if prefix in modules and prefix != name and prefix not in own_packages:
                        targets.add(prefix)
        graph[name] = targets
    return graph


def find_cycle(graph):
    """A list of modules forming an import cycle, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_package_has_no_import_cycle():
    graph = import_graph(PACKAGE)
    assert len(graph) > 20 and "course_utils.gradcheck.model_check" in graph
    assert "course_utils.gradcheck.numerical" in graph["course_utils.gradcheck.report"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_cycle_finder_finds_a_cycle_through_a_facade(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from .low import f\nfrom .high import g\n")
    (package / "sub" / "low.py").write_text("def f():\n    from . import high  # inside a function: still an edge\n")
    (package / "sub" / "high.py").write_text("from .low import f\ndef g(): pass\n")
    (package / "plain.py").write_text("import numpy\n")
    graph = import_graph(package)
    assert graph["pkg.sub.high"] == {"pkg.sub.low"}  # not its own packages pkg and pkg.sub
    cycle = find_cycle(graph)
    assert cycle is not None and cycle[0] == cycle[-1] and "pkg.sub.low" in cycle


def test_only_the_tensorflow_modules_import_tensorflow():
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
        if any(name.split(".")[0] in ("tensorflow", "keras") for name in names):
            importers.add(module_name(path, PACKAGE))
    assert importers == {"course_utils.keras_bridge", "course_utils.exercise_checks.tensorflow_intro"}


def test_facades_only_re_export():
    """A facade's body is its docstring, imports and ``__all__``: no code of its own."""
    facades = [PACKAGE / "checks.py", PACKAGE / "gradcheck" / "__init__.py", PACKAGE / "fastpath" / "__init__.py",
               PACKAGE / "optimizers" / "__init__.py", PACKAGE / "stacked" / "__init__.py",
               PACKAGE / "exercise_checks" / "__init__.py"]
    for path in facades:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            is_all = isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__all__"]
            assert is_docstring or is_all or isinstance(node, (ast.Import, ast.ImportFrom)), (path, ast.dump(node)[:80])


# The public API of ../shared/DESIGN.md, and the modules a notebook imports.
DESIGN_API = {
    "datasets": ["circles", "moons", "digits"],
    "initializers": ["initialize"],
    "model": ["MLP", "forward", "backward"],
    "optimizers": ["GD", "Momentum", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW"],
    "schedules": ["ExponentialDecay", "InverseTimeDecay", "PiecewiseConstantDecay", "CosineDecay"],
    "training": ["train", "History", "random_mini_batches"],
    "gradcheck": ["numerical_gradient", "relative_error", "check_model", "params_to_vector", "vector_to_params"],
}


def notebook_names():
    """``{module: {attribute}}`` for every ``module.attribute`` the notebooks and exercise notebooks use."""
    used = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
        imported = set()
        for match in re.finditer(r"from course_utils import (\([^)]*\)|[\w ,]+)", source):
            imported |= {name.strip() for name in match.group(1).strip("()").replace("\n", " ").split(",") if name.strip()}
        for module in imported:
            used.setdefault(module, set()).update(re.findall(rf"(?<![\w.]){module}\.([A-Za-z]\w*)", source))
    return used


def test_every_public_name_and_every_name_a_notebook_uses_is_there():
    import importlib

    used = notebook_names()
    assert {"checks", "gradcheck", "model", "training"} <= set(used)
    assert "check_he_initialization" in used["checks"] and "check_model" in used["gradcheck"]
    for module, names in [*DESIGN_API.items(), *used.items()]:
        imported = importlib.import_module(f"course_utils.{module}")
        missing = [name for name in names if not hasattr(imported, name)]
        assert missing == [], f"course_utils.{module} lacks {missing}"


@pytest.mark.parametrize("old, new", [("course_utils.gradcheck", "course_utils.gradcheck.numerical")])
def test_the_facade_gives_the_same_objects_as_the_modules_behind_it(old, new):
    import importlib

    facade, module = importlib.import_module(old), importlib.import_module(new)
    assert facade.relative_error is module.relative_error
    assert course_utils.__version__
