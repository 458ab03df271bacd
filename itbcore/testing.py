"""Unit-aware assertions shared by the tests and the exercise checks.

>>> assert_quantity_close("0.5 mL", "500 uL")
>>> assert_quantity_close("0.1 mg/day", "100 ug/day")
>>> quantity_close("0.5 mL", "0.6 mL", rtol=0.01)
False
>>> import numpy as np
>>> from itbcore.units import Q_
>>> assert_quantity_close(Q_(np.array([1.0, 2.0]), "mg"), Q_(np.array([1000.0, 2000.0]), "ug"))
>>> typed(1.125), typed(0.075), typed(1000.125), typed(2.5)
('1.1250', '0.075', '1000.125', '2.5')
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .units import as_quantity

__all__ = ["quantity_close", "assert_quantity_close", "typed"]


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


#: A number the reader refuses as ambiguous: one to three digits (not a lone 0), a dot and exactly three digits
#: ("1.125" is 1.125, or 1125 with the dot grouping thousands as Turkish and Norwegian write it).
_DOT_GROUPED = re.compile(r"-?(?!0\.)[0-9]{1,3}\.[0-9]{3}")


def typed(x: float) -> str:
    """``x`` as a person would type it so that the reader reads back exactly ``x``: its ``repr``, with a
    zero added where the reader would refuse the text as dot-grouped ("1.125" is written "1.1250")."""
    text = repr(float(x))
    return text + "0" if _DOT_GROUPED.fullmatch(text) else text
