"""Unit-aware assertions shared by the tests and the exercise checks.

>>> assert_quantity_close("0.5 mL", "500 uL")
>>> assert_quantity_close("0.1 mg/day", "100 ug/day")
>>> quantity_close("0.5 mL", "0.6 mL", rtol=0.01)
False
>>> import numpy as np
>>> from itbcore.units import Q_
>>> assert_quantity_close(Q_(np.array([1.0, 2.0]), "mg"), Q_(np.array([1000.0, 2000.0]), "ug"))
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .units import as_quantity

__all__ = ["quantity_close", "assert_quantity_close"]


def _pair(actual: Any, expected: Any) -> tuple[Any, Any]:
    exp = as_quantity(expected, _unit_of(expected), array=True)
    act = as_quantity(actual, str(exp.units), array=True)
    return act, exp


def _unit_of(value: Any) -> str:
    from .units import _parse_text

    if isinstance(value, str):
        q = _parse_text(value, "expected value")
        return str(getattr(q, "units", ""))
    if isinstance(value, (list, tuple)) and value:
        return _unit_of(value[0])
    return str(value.units)


def quantity_close(actual: Any, expected: Any, rtol: float = 1e-9, atol: Any = None) -> bool:
    """Whether two quantities (or strings) agree after conversion to the expected unit."""
    act, exp = _pair(actual, expected)
    a = 0.0 if atol is None else as_quantity(atol, str(exp.units)).magnitude
    return bool(np.all(np.isclose(act.magnitude, exp.magnitude, rtol=rtol, atol=a)))


def assert_quantity_close(actual: Any, expected: Any, rtol: float = 1e-9, atol: Any = None) -> None:
    """Assert that two quantities agree after unit conversion (raises ``AssertionError``)."""
    act, exp = _pair(actual, expected)
    if not quantity_close(act, exp, rtol=rtol, atol=atol):
        raise AssertionError(f"{act} is not close to {exp} (rtol={rtol}, atol={atol})")
