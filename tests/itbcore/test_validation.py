"""The validation table: every case of ``validation_cases`` against the core, its quotations in their sources, and
``docs/VALIDATION.md`` the table those cases give.

For training only, not for treating patients.

Run as a script to write the table again after a change to the cases or to the core::

    python tests/itbcore/test_validation.py --write

(from the project root, with the project's environment).  Without ``--write`` it prints the table.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pint
import pytest

# Run as a script, the project root is not on the path: put it first, then this folder (the sibling modules).
sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]
from test_citation_audit import SEEDS, fold, section_text
from validation_cases import CASES, Between, Case, Refused

from itbcore.units import fmt

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "VALIDATION.md"
REGENERATE = "python tests/itbcore/test_validation.py --write"
BEYOND_LABELS = SEEDS.parent / "reference" / "beyond-labels.md"


# ---------------------------------------------------------------------------------------------- comparing
def run(case: Case) -> Any:
    """The suite's value for ``case``, or the exception the call raised."""
    try:
        return case.call()
    except Exception as exc:  # noqa: BLE001  (a refusal is a value to compare)
        return exc


def agrees(expected: Any, value: Any, rtol: float) -> bool:
    """Whether the suite's ``value`` is the ``expected`` one (quantities in the expected unit, within ``rtol``)."""
    if isinstance(expected, Refused):
        return isinstance(value, expected.error)
    if isinstance(value, Exception):
        return False
    if isinstance(expected, Between):
        return agrees_at_least(expected.low, value, rtol) and agrees_at_least(value, expected.high, rtol)
    if isinstance(expected, tuple):
        return (
            isinstance(value, tuple)
            and len(value) == len(expected)
            and all(agrees(e, v, rtol) for e, v in zip(expected, value, strict=True))
        )
    if isinstance(expected, pint.Quantity):
        if not isinstance(value, pint.Quantity) or not value.is_compatible_with(expected.units):
            return False
        e, v = float(expected.magnitude), float(value.to(expected.units).magnitude)
        return abs(v - e) <= rtol * abs(e) + 1e-9
    if isinstance(expected, float):
        return isinstance(value, (int, float)) and abs(value - expected) <= rtol * abs(expected) + 1e-12
    return type(value) is type(expected) and value == expected


def agrees_at_least(low: Any, high: Any, rtol: float) -> bool:
    """``low <= high`` within ``rtol``, both quantities of one dimension."""
    if not all(isinstance(q, pint.Quantity) for q in (low, high)) or not low.is_compatible_with(high.units):
        return False
    lo, hi = float(low.magnitude), float(high.to(low.units).magnitude)
    return lo <= hi + rtol * abs(hi) + 1e-9


# ---------------------------------------------------------------------------------------------- the table
def show(value: Any) -> str:
    """A value as the table prints it (four significant digits)."""
    if isinstance(value, Refused):
        return f"refused ({value.error.__name__})"
    if isinstance(value, Exception):
        return f"refused ({type(value).__name__})"
    if isinstance(value, Between):
        return f"{show(value.low)} to {show(value.high)}"
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ")"
    if isinstance(value, pint.Quantity):
        return fmt(value, digits=4)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown_as(expected: Any, value: Any) -> Any:
    """``value`` in the units of ``expected``, so both columns read alike."""
    if isinstance(expected, Between):
        expected = expected.low
    if (
        isinstance(expected, pint.Quantity)
        and isinstance(value, pint.Quantity)
        and value.is_compatible_with(expected.units)
    ):
        return value.to(expected.units)
    if isinstance(expected, tuple) and isinstance(value, tuple) and len(expected) == len(value):
        return tuple(_shown_as(e, v) for e, v in zip(expected, value, strict=True))
    return value


def _cell(text: str) -> str:
    return fold(text).replace("|", "\\|")


def status(case: Case, value: Any) -> str:
    if agrees(case.expected, value, case.rtol):
        return "agrees" if not case.difference else "agrees (the known difference is gone: update the case)"
    return f"differs (known): {case.difference}" if case.difference else "DIFFERS"


def _source_cell(case: Case) -> str:
    parts = []
    for q in case.quotes:
        kind, _, name = q.source.partition(" ")
        where = f"practice guidance, beyond-labels.md «{name}»" if kind == "practice" else q.source
        parts.append(f"{where}: “{q.text}”" + (f" ({q.english})" if q.english else ""))
    return "<br>".join(_cell(p) for p in parts)


def render() -> str:
    """docs/VALIDATION.md as the cases and the core give it now."""
    counts: dict[str, int] = {}
    for c in CASES:
        counts[c.calculator] = counts.get(c.calculator, 0) + 1
    agreeing = sum(agrees(c.expected, run(c), c.rtol) for c in CASES)
    lines = [
        "# Validation: the calculators against worked values from their sources",
        "",
        "For training only, not for treating patients.",
        "",
        "Each calculator of `itbcore` is checked against values worked out by hand from the numbers of the labels "
        "(lionova SmPC, lioresal instructions, baclorex leaflet) or of published practice guidance, the way clinical "
        "calculator sites publish their checks. The *expected* column shows the arithmetic from the source's numbers; "
        "the *source* column quotes the words that give them, as the source prints them (an English rendering in "
        "brackets). The suite's value is computed by the core when this file is written; quantities agree within "
        "0.1 % unless a case says otherwise.",
        "",
        "This file is generated from `tests/itbcore/validation_cases.py`; `tests/itbcore/test_validation.py` runs "
        "every case, finds every quotation in the section it cites, and fails when this file differs from what the "
        f"cases give. After changing a case or the core, regenerate it with `{REGENERATE}`.",
        "",
        f"{len(CASES)} cases, {agreeing} agree with their source; "
        f"{sum(bool(c.difference) for c in CASES)} differ knowingly (the reason is in their row).",
        "",
        "| calculator | cases |",
        "|---|---|",
        *(f"| `{name}` | {n} |" for name, n in counts.items()),
        "",
        "| # | calculator | case (inputs) | expected (from source) | suite's value | source | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, c in enumerate(CASES, 1):
        value = run(c)
        expected = f"{show(c.expected)}: {c.working}"
        lines.append(
            f"| {i} | `{c.calculator}` | {_cell(c.inputs)} | {_cell(expected)} | "
            f"{_cell(show(_shown_as(c.expected, value)))} | {_source_cell(c)} | {_cell(status(c, value))} |"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- the tests
needs_sources = pytest.mark.skipif(
    not (SEEDS.exists() and BEYOND_LABELS.exists()),
    reason="shared/seeds and shared/reference are not beside the project",
)


@cache
def _practice_section(heading: str) -> str:
    text = BEYOND_LABELS.read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(heading)}.*?(?=^## |\Z)", text, re.M | re.S)
    assert m, f"beyond-labels.md has no section {heading!r}"
    return fold(m.group(0))


def _section(source: str) -> str:
    if source.startswith("practice "):
        return _practice_section(source.split(" ", 1)[1])
    return section_text(source)


def _param(c: Case) -> Any:
    marks = [pytest.mark.xfail(reason=c.difference, strict=True)] if c.difference else []
    return pytest.param(c, id=c.id, marks=marks)


def test_the_cases_are_many_named_once_and_quoted():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "two cases share an id"
    assert len(CASES) >= 25
    for c in CASES:
        assert c.quotes and c.working.strip() and c.inputs.strip(), c.id


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_the_calculator_gives_the_sources_value(case: Case):
    value = run(case)
    assert agrees(case.expected, value, case.rtol), (
        f"{case.calculator}: {case.inputs}: expected {show(case.expected)} ({case.working}), "
        f"the suite gives {show(_shown_as(case.expected, value))}"
    )


@needs_sources
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_quotation_is_in_the_section_it_cites(case: Case):
    for q in case.quotes:
        assert fold(q.text) in _section(q.source), f"{case.id}: {q.text!r} is not in {q.source}"


def test_validation_md_matches_the_cases():
    wanted = render()
    found = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    assert found == wanted, (
        f"docs/VALIDATION.md is not the table the validation cases give (a case or the core changed); "
        f"regenerate it with: {REGENERATE}"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        TABLE.write_text(render(), encoding="utf-8")
        print(f"wrote {TABLE.relative_to(ROOT)} ({len(CASES)} cases)")
    elif not sys.argv[1:]:
        sys.stdout.write(render())
    else:
        sys.exit(__doc__)
