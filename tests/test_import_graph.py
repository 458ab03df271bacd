"""The import graph runs one way: the core imports no Jupyter, the views import no exercises.

For training only, not for treating patients.

Read from the code (every ``import`` and ``from … import``, also those inside functions), so a late import
cannot hide an edge: ``itbcore`` (pure functions and data) → ``widgets`` (views over the core) → ``exercises``
(cases, checking, the practice, assessment and class-view apps).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What "Jupyter" means for the core: the notebook, widget, kernel and server stacks and the plotting library.
JUPYTER = ("IPython", "ipykernel", "ipywidgets", "jupyter", "jupyter_client", "jupyter_core", "jupyter_server",
           "nbclient", "nbconvert", "nbformat", "notebook", "plotly", "tornado", "traitlets", "voila", "widgets",
           "exercises")


def imports(package: str) -> list[tuple[str, str]]:
    """(file, imported top-level name) for every import in ``package``; relative imports stay in the package."""
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out += [(path.relative_to(ROOT).as_posix(), a.name.split(".")[0]) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                out.append((path.relative_to(ROOT).as_posix(), node.module.split(".")[0]))
    return out


@pytest.mark.parametrize("package, forbidden", [("itbcore", JUPYTER), ("widgets", ("exercises",))])
def test_no_import_runs_back_up(package, forbidden):
    found = imports(package)
    assert len(found) > 20
    bad = [f"{file} imports {name}" for file, name in found if name in forbidden]
    assert not bad, "\n".join(bad)
