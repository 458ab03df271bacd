"""One home for every clinical constant: no dose, volume or concentration is typed again outside itbcore.

The drug library (itbcore/drug_library.toml) and the rule modules of itbcore hold every clinical number;
widgets, exercises and notebooks read them.  Docstrings and doctests (examples of what a user types) are
not constants and are not counted.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A quoted dose, volume or concentration: "100 ug", '2 mL', "0.5 mg/mL", "400 µg/day".
QUANTITY = re.compile(r"^\s*[0-9][0-9.,]* ?(ug|µg|μg|mcg|mg|mL|ml)(/(day|h|mL|min|kg))?\s*$")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _literals(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            # a whole literal, or a quoted quantity inside a message
            texts = [node.value, *re.findall(r"'([^']*)'", node.value)]
            out += [(node.lineno, t) for t in texts if QUANTITY.match(t)]
    return out


def _outside_itbcore() -> list[Path]:
    files = [*ROOT.glob("widgets/**/*.py"), *ROOT.glob("exercises/*.py"), *ROOT.glob("exercises/catalogue/*.py")]
    return sorted(files)


def test_no_clinical_quantity_is_typed_again_in_widgets_or_exercises():
    found = [
        f"{p.relative_to(ROOT)}:{line}: {text!r}"
        for p in _outside_itbcore()
        for line, text in _literals(p.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "clinical quantities typed outside itbcore (read them from itbcore or its drug library):\n" + "\n".join(found)
    )


def test_no_clinical_quantity_is_typed_in_the_apps_notebooks():
    found = []
    for nb in sorted(ROOT.glob("notebooks/*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "code":
                found += [f"{nb.name} cell {i}: {t!r}" for _, t in _literals("".join(cell["source"]))]
    assert not found, "\n".join(found)


def test_the_check_finds_a_typed_quantity():
    # the check itself can fail: a typed dose in a message or as a value is found, a docstring is not
    src = 'def f():\n    """Give \'50 ug\'."""\n    x = "100 ug"\n    raise ValueError(f"such as \'20 mL\', not {x}")\n'
    assert [t for _, t in _literals(src)] == ["100 ug", "20 mL"]


def test_the_limited_experience_constant_has_one_home():
    from itbcore import maintenance, pump, titration

    assert maintenance.LIMITED_EXPERIENCE_ABOVE is titration.LIMITED_EXPERIENCE_ABOVE
    assert pump.LIMITED_EXPERIENCE_ABOVE is titration.LIMITED_EXPERIENCE_ABOVE
    for mod in ("maintenance", "pump"):
        files = (
            [ROOT / "itbcore" / f"{mod}.py"]
            if (ROOT / "itbcore" / f"{mod}.py").exists()
            else sorted((ROOT / "itbcore" / mod).rglob("*.py"))
        )
        assert files, mod
        text = "\n".join(f.read_text(encoding="utf-8") for f in files)
        assert not re.search(r"^LIMITED_EXPERIENCE_ABOVE\b[^\n=]*=", text, re.M), mod
        assert not re.search(r"Q_\(1000, \"ug/day\"\)", text), mod
