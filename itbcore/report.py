"""Plain-text reports of any result of the core, for a Python prompt or a printed handout.

>>> import itbcore
>>> plan = itbcore.refill_plan("20 mL", "2 mg/mL", "400 ug/day", fill_date="2026-11-21")
>>> print(explain(plan))  # doctest: +ELLIPSIS
RefillPlan
  reservoir volume: 20 mL
  alarm volume: 2 mL
  concentration: 2000 µg/mL
  daily dose: 400 µg/day
  daily volume: 0.2 mL/day
  days to alarm: 90 days
  days to empty: 100 days
  ...
  refill date: 2027-02-15
  limited by: alarm margin
  label: lionova
  findings:
    - [info] Keep the refill date: ... (lionova 4.4; lioresal Special instructions)
    ...
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pint

from .sources import Action, Finding
from .units import fmt

__all__ = ["explain"]


def _shown_fields(result: Any) -> list[tuple[str, Any]]:
    """(label, value) of each field of a result; a code field ``x_code`` with display text ``x`` shows the text,
    and so does an English field ``x_msgid`` with its text ``x`` in the locale in force."""
    out = []
    for f in dataclasses.fields(result):
        name = f.name
        for suffix in ("_code", "_msgid"):
            if name.endswith(suffix) and isinstance(getattr(type(result), name[: -len(suffix)], None), property):
                name = name[: -len(suffix)]
        out.append((name, getattr(result, name)))
    return out


def _value(v: Any, indent: str) -> str | list[str]:
    if isinstance(v, pint.Quantity):
        return fmt(v) if np.ndim(v.magnitude) == 0 else f"{np.size(v.magnitude)} values in {v.units:~}"
    if isinstance(v, (Finding, Action)):
        kind = v.severity if isinstance(v, Finding) else "action"
        text = v.message if isinstance(v, Finding) else v.text
        # Many messages already end with their citation; do not write it twice.
        cited = text.rstrip(". ").endswith(")") and v.source.split(";")[0].split(",")[0] in text[-120:]
        return f"[{kind}] {text}" if cited else f"[{kind}] {text} ({v.source})"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        if not v:
            return "none"
        if len(v) == 2 and all(isinstance(x, pint.Quantity) for x in v) and not dataclasses.is_dataclass(v[0]):
            return f"{_value(v[0], indent)} to {_value(v[1], indent)}"
        return [f"{indent}  - {_flat(x, indent + '    ')}" for x in v]
    if isinstance(v, dict):
        return [f"{indent}  - {k}: {_flat(x, indent + '    ')}" for k, x in v.items()]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        # Nested records (a plan's steps) on one line each: "day 1 · dose 110 µg/day · …".
        parts = []
        for name, x in _shown_fields(v):
            shown = _value(x, indent)
            if isinstance(shown, str):
                parts.append(f"{name.replace('_', ' ')} {shown}")
        return " · ".join(parts)
    return str(v)


def _flat(v: Any, indent: str) -> str:
    out = _value(v, indent)
    return out if isinstance(out, str) else "\n" + "\n".join(out)


def explain(result: Any) -> str:
    """A readable, multi-line report of a result object (or list of them), quantities in clinical units.

    Every finding and action is written with its severity and source.
    """
    if isinstance(result, (list, tuple)):
        return "\n".join(_flat(x, "") if not dataclasses.is_dataclass(x) else explain(x) for x in result)
    if not dataclasses.is_dataclass(result) or isinstance(result, type):
        return _flat(result, "")
    lines = [type(result).__name__]
    for field_name, v in _shown_fields(result):
        shown = _value(v, "  ")
        name = field_name.replace("_", " ")
        if isinstance(shown, str):
            lines.append(f"  {name}: {shown}")
        else:
            lines.append(f"  {name}:")
            lines.extend(shown)
    return "\n".join(lines)
