"""The suite's one unit registry and the parsing every public function uses.

All quantities in :mod:`itbcore` belong to :data:`ureg`; :data:`Q_` is its
Quantity.  Public functions accept a Quantity or a string such as ``"50 ug"``,
``"50 mcg"``, ``"50 µg"`` (micro sign), ``"50 μg"`` (Greek mu), ``"0.05 mg"``,
``"12 h"``, ``"2 mg/mL"`` or ``"500 ug/day"``; a bare number is refused because a
dose without a unit is how decimal-point and mg/µg errors reach patients.

>>> as_quantity("50 mcg", "ug")
<Quantity(50, 'microgram')>
>>> as_quantity("0.05 mg", "ug")
<Quantity(50.0, 'microgram')>
>>> fmt(as_quantity("500 ug/day", "ug/day"))
'500 µg/day'
>>> as_quantity(50, "ug", name="test dose")
Traceback (most recent call last):
...
itbcore.errors.UnitError: The test dose 50 has no unit; give it in µg (for example '50 µg').
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import numpy as np
import pint

from .errors import InputError, UnitError

__all__ = ["ureg", "Q_", "as_quantity", "as_array_quantity", "fmt", "display_unit", "magnitude_in"]

#: The one registry of the suite. Never create another.
ureg: pint.UnitRegistry = pint.UnitRegistry(cache_folder=None)
ureg.formatter.default_format = "~"
#: Quantity class of :data:`ureg`.
Q_ = ureg.Quantity

# pint parses a unit string such as "ug/day" afresh on every Q_(x, "ug/day") and q.to("mL");
# the suite uses a few dozen unit strings millions of times, so the registry remembers them.
# A UnitsContainer is immutable, so sharing the parsed result is safe.
_parse_units_as_container = ureg.parse_units_as_container


@lru_cache(maxsize=4096)
def _cached_units_container(input_string: str, as_delta: Any = None, case_sensitive: Any = None):
    return _parse_units_as_container(input_string, as_delta, case_sensitive)


def _parse_units_as_container_cached(input_string: Any, as_delta: Any = None, case_sensitive: Any = None):
    if isinstance(input_string, str):
        return _cached_units_container(input_string, as_delta, case_sensitive)
    return _parse_units_as_container(input_string, as_delta, case_sensitive)


ureg.parse_units_as_container = _parse_units_as_container_cached

# Spellings clinicians write that pint reads differently or not at all.
_SPELLINGS = [
    (re.compile(r"\bmicrograms?\b", re.I), "ug"),
    (re.compile(r"\bmcg\b", re.I), "ug"),
    (re.compile("[\u00b5\u03bc]g"), "ug"),
    (re.compile(r"\bmilligrams?\b", re.I), "mg"),
    (re.compile(r"\bml\b"), "mL"),
    (re.compile(r"\bhrs?\b", re.I), "h"),
    (re.compile(r"\bhours?\b", re.I), "h"),
    (re.compile(r"\bdays?\b", re.I), "day"),
    (re.compile(r"\bd\b"), "day"),
    (re.compile(r"\bmins?\b", re.I), "min"),
    (re.compile(r"\bminutes?\b", re.I), "min"),
    (re.compile(r"\bweeks?\b", re.I), "week"),
    (re.compile(r"\bwk\b", re.I), "week"),
    (re.compile("\u00d7"), "*"),
    (re.compile(","), "."),  # decimal comma, as in the Norwegian and Turkish texts
]

# How the suite writes units to a clinician.
_DISPLAY = {
    "microgram": "µg",
    "milligram": "mg",
    "gram": "g",
    "nanogram": "ng",
    "milliliter": "mL",
    "microliter": "µL",
    "liter": "L",
    "hour": "h",
    "minute": "min",
    "second": "s",
    "day": "day",
    "week": "week",
    "kilogram": "kg",
    "millimole": "mmol",
    "centimeter": "cm",
    "year": "year",
}


def _unit(spec: Any) -> pint.Unit:
    if isinstance(spec, pint.Unit):
        return spec
    if not isinstance(spec, str):
        raise UnitError(f"A unit is named by text such as 'ug/day', not {spec!r}.")
    return _parse_unit(spec)


@lru_cache(maxsize=256)
def _parse_unit(spec: str) -> pint.Unit:
    try:
        return ureg.Unit(_normalise(spec))
    except Exception:
        raise UnitError(f"The unit {spec!r} is not known; write it as, for example, 'ug/day' or 'mL'.") from None


# ---------------------------------------------------------------------------------------------- fast path
# Core calls read every argument into one canonical unit and compute on plain floats.  pint's
# ``q.to(unit)`` re-derives the conversion on each call; for the multiplicative units the suite uses,
# the conversion is ``magnitude * factor`` with a factor that depends only on (source units, target
# unit), so the factor is remembered per pair.  Anything pint converts otherwise (offset or
# logarithmic units) or anything unknown falls back to pint: the fast path only ever answers what
# pint would answer, bit for bit (pint also multiplies by the very same factor, and returns the
# magnitude untouched when the units are the same).

#: (source UnitsContainer, target unit text) -> factor, or ``None`` when the pair is not for the fast path.
_FACTORS: dict[tuple[Any, str], float | None] = {}
#: (id of the source UnitsContainer, target unit text) -> (that container, its factor or ``None``).
_BY_ID: dict[tuple[int, str], tuple[Any, Any]] = {}
_SAME = object()  # marks a pair whose source units are the target units (pint returns the magnitude as is)
_FACTOR_CACHE_MAX = 4096


def _factor(src: Any, unit: str) -> Any:
    """The multiplicative factor from ``src`` (a UnitsContainer of :data:`ureg`) to ``unit``, or ``None``."""
    key = (src, unit)
    try:
        return _FACTORS[key]
    except KeyError:
        pass
    factor: Any = None
    try:
        dst = _parse_unit(unit)._units
        if src == dst:
            factor = _SAME
        elif all(ureg._is_multiplicative(n) for n in src) and all(ureg._is_multiplicative(n) for n in dst):
            if ureg._get_dimensionality(src) == ureg._get_dimensionality(dst):
                f = ureg._get_conversion_factor(src, dst)
                # pint keeps an int factor (day -> h is 24) and so an int magnitude; so does the fast path.
                if f.__class__ in (float, int) and math.isfinite(f) and f != 0:
                    factor = f
    except Exception:  # an unknown unit, or anything pint refuses: leave it to the full path
        factor = None
    if len(_FACTORS) < _FACTOR_CACHE_MAX:
        _FACTORS[key] = factor
    return factor


def _fast_magnitude(value: Any, unit: str) -> Any:
    """``as_quantity(value, unit).magnitude`` when it can be had cheaply, else ``None``.

    Covers a scalar Quantity of :data:`ureg` and a quantity written as text (the parse is remembered),
    with a finite float or int magnitude (an int within ±2**53), in units the fast path knows.  Returns
    ``None`` for anything else, including every input :func:`as_quantity` would refuse, so its messages
    stay the only ones.
    """
    cls = value.__class__
    if cls is Q_:
        mag, src = value._magnitude, value._units
    elif cls is str:
        try:
            parsed = _parse_text_cached(value.strip())
        except Exception:
            return None
        if parsed.__class__ is not tuple:
            return None
        mag, src = parsed[0], parsed[1]._units
    else:
        return None
    cls = mag.__class__
    if cls is not float and (cls is not int or not -_INT_EXACT < mag < _INT_EXACT):
        return None
    if ureg._active_ctx.contexts:  # a pint context can redefine conversions: leave it to pint
        return None
    # By identity first: the suite's Quantities share a few remembered containers, and hashing a
    # UnitsContainer is a Python-level call.  The entry holds the container, so its id stays its own.
    entry = _BY_ID.get((id(src), unit))
    if entry is not None and entry[0] is src:
        factor = entry[1]
    else:
        factor = _factor(src, unit)
        if len(_BY_ID) < _FACTOR_CACHE_MAX:
            _BY_ID[(id(src), unit)] = (src, factor)
    if factor is None:
        return None
    out = mag if factor is _SAME else mag * factor
    # finite (an inf or a NaN, given or from an overflow, goes to the full path and its message)
    return out if out - out == 0 else None


_INT_EXACT = 2**53


def _make_q(magnitude: Any, unit: str) -> pint.Quantity:
    """``Q_(magnitude, unit)`` for a scalar int or float magnitude, without pint's argument sniffing.

    pint's ``Quantity.__new__`` checks the value's type, parses ``unit`` and builds the container on
    every call; for a plain number and a remembered container this sets the same two attributes.
    """
    q = _new_quantity(Q_)
    q._magnitude = magnitude
    q._units = _parse_unit(unit)._units  # immutable, so safe to share between Quantities
    return q


_new_quantity = object.__new__


def _quantity_maker(unit: str) -> Any:
    """A function ``make(magnitude)`` equal to :func:`_make_q` for a fixed ``unit``, with the container
    looked up once (for the wrappers that build many results in the same few units).

    >>> _quantity_maker("mL")(2.5) == Q_(2.5, "mL")
    True
    """
    container = _parse_unit(unit)._units
    new, cls = _new_quantity, Q_

    def make(magnitude: Any) -> pint.Quantity:
        q = new(cls)
        q._magnitude = magnitude
        q._units = container
        return q

    return make


def _parse_text(text: str) -> Any:
    """Parse a quantity written as text; a fresh Quantity each time from a remembered parse."""
    parsed = _parse_text_cached(text)
    return Q_(*parsed) if isinstance(parsed, tuple) else parsed


@lru_cache(maxsize=4096)
def _parse_text_cached(text: str) -> Any:
    q = ureg.Quantity(_normalise(text))
    # Keep (magnitude, units), never the Quantity itself: a caller could change it in place.
    return (q.magnitude, q.units) if isinstance(q, pint.Quantity) else q


def _normalise(text: str) -> str:
    s = text.strip()
    for pattern, repl in _SPELLINGS:
        s = pattern.sub(repl, s)
    return s


def display_unit(unit: str | pint.Unit) -> str:
    """Write a unit the way a clinician reads it.

    >>> display_unit("ug/day")
    'µg/day'
    >>> display_unit("mg/mL")
    'mg/mL'
    """
    u = _unit(unit)
    num, den = [], []
    for name, power in u._units.items():
        label = _DISPLAY.get(name, str(ureg.Unit(name)))
        target = num if power > 0 else den
        p = abs(power)
        target.append(label if p == 1 else f"{label}^{p:g}")
    text = "·".join(num) or "1"
    if den:
        text += "/" + "/".join(den)
    return text


def _refuse_bare(value: Any, unit: str, name: str) -> UnitError:
    shown = display_unit(unit)
    return UnitError(
        f"The {name} {value!r} has no unit; give it in {shown} (for example '{_example(unit)}')."
        if isinstance(value, str)
        else f"The {name} {value} has no unit; give it in {shown} (for example '{_example(unit)}')."
    )


def _example(unit: str) -> str:
    examples = {
        "ug": "50 µg", "mg": "10 mg", "ug/day": "500 µg/day", "ug/h": "20 µg/h",
        "ug/mL": "500 µg/mL", "mg/mL": "2 mg/mL", "mL": "20 mL", "mL/day": "1 mL/day",
        "h": "12 h", "day": "90 day", "min": "5 min", "kg": "70 kg", "mL/h": "30 mL/h",
        "ng/mL": "200 ng/mL", "uL/cm": "2 µL/cm", "cm": "76 cm", "uL": "200 µL",
    }
    return examples.get(unit, f"1 {display_unit(unit)}")


def as_quantity(value: Any, unit: str, name: str = "value", *, array: bool = False) -> pint.Quantity:
    """Read ``value`` as a Quantity of :data:`ureg` expressed in ``unit``.

    ``value`` may be a Quantity (of this or another pint registry) or a string.
    Refuses (``UnitError``) a bare number, an unknown unit or the wrong dimension,
    and (``InputError``) empty text, text that is no number, NaN and infinities.
    With ``array=True`` array magnitudes are allowed (each element must be finite).
    """
    if unit.__class__ is str:
        mag = _fast_magnitude(value, unit)
        if mag is not None:
            return _make_q(mag, unit)
    target = _unit(unit)
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is not ureg:
            value = Q_(value.magnitude, str(value.units))
        q = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(f"The {name} is empty; give it in {display_unit(unit)} (for example '{_example(unit)}').")
        try:
            q = _parse_text(text)
        except Exception:  # pint raises many kinds (syntax, undefined unit, tokenizer, zero division)
            raise UnitError(
                f"The {name} {value!r} could not be read; write a number and a unit such as '{_example(unit)}'."
            ) from None
        if not isinstance(q, pint.Quantity):
            raise _refuse_bare(value, unit, name)
        if q.dimensionless and not target.dimensionless:
            raise _refuse_bare(value, unit, name)
    elif value is None:
        raise InputError(f"The {name} is missing; give it in {display_unit(unit)} (for example '{_example(unit)}').")
    elif isinstance(value, (bool, int, float, np.number, np.ndarray, list, tuple)):
        if target.dimensionless:
            try:
                q = Q_(np.asarray(value, dtype=float) if array else value, "")
            except (TypeError, ValueError):
                raise InputError(f"The {name} {value!r} is not a number.") from None
        else:
            raise _refuse_bare(value, unit, name)
    else:
        raise InputError(f"The {name} {value!r} is not a quantity; give it in {display_unit(unit)}.")

    if q.dimensionality != target.dimensionality:
        raise UnitError(
            f"The {name} {fmt(q) if np.ndim(q.magnitude) == 0 else q.units} is not in a unit of "
            f"{display_unit(unit)} (wrong dimension)."
        )
    mag = q.magnitude
    if np.ndim(mag) != 0:
        if not array:
            raise InputError(f"The {name} must be a single value, not a list.")
        arr = np.asarray(mag, dtype=float)
        if not np.all(np.isfinite(arr)):
            raise InputError(f"The {name} contains a value that is not a finite number.")
        return Q_(arr, q.units).to(target)
    try:
        fmag = float(mag)
    except (TypeError, ValueError):
        raise InputError(f"The {name} {mag!r} is not a number.") from None
    if not math.isfinite(fmag):
        raise InputError(f"The {name} must be a finite number, not {fmag}.")
    out = q.to(target)
    if not math.isfinite(float(out.magnitude)):
        raise InputError(f"The {name} is too large to compute with.")
    return out


def as_array_quantity(value: Any, unit: str, name: str = "value") -> pint.Quantity:
    """Like :func:`as_quantity` but also accepts arrays and sequences of Quantities or strings.

    >>> as_array_quantity(["1 h", "90 min"], "h").magnitude.tolist()
    [1.0, 1.5]
    """
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (int, float, np.number)):
        mags = [as_quantity(v, unit, name).magnitude for v in value]
        return Q_(np.asarray(mags, dtype=float), _unit(unit))
    return as_quantity(value, unit, name, array=True)


def magnitude_in(value: Any, unit: str, name: str = "value") -> float:
    """The plain float of ``value`` in ``unit`` (after the same checks as :func:`as_quantity`).

    >>> magnitude_in("0.5 mL", "uL")
    500.0
    """
    if unit.__class__ is str:
        mag = _fast_magnitude(value, unit)
        if mag is not None:
            return float(mag)
    return float(as_quantity(value, unit, name).magnitude)


def fmt(q: pint.Quantity, unit: str | None = None, digits: int = 3) -> str:
    """Format a quantity for a clinician: significant digits, no float noise, µ for micro.

    >>> fmt(Q_(0.49999999, "mL"))
    '0.5 mL'
    >>> fmt(Q_(1234.6, "ug/day"))
    '1235 µg/day'
    >>> fmt(Q_(2, "mg/mL"), "ug/mL")
    '2000 µg/mL'
    """
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)):
        raise InputError(f"The number of significant digits must be a whole number, not {digits!r}.")
    if unit is not None or not isinstance(q, pint.Quantity):
        q = as_quantity(q, unit if unit is not None else "", "value")
    try:
        mag = float(q.magnitude)
    except (TypeError, ValueError):
        raise InputError("Only a single value can be formatted.") from None
    return f"{_number_text(mag, digits)} {display_unit(q.units)}"


def _number_text(mag: float, digits: int = 3) -> str:
    if mag == 0 or not math.isfinite(mag):
        return f"{mag:g}"
    exponent = math.floor(math.log10(abs(mag)))
    decimals = max(0, digits - 1 - exponent)
    text = f"{round(mag, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@lru_cache(maxsize=256)
def _display_text(unit: str) -> str:
    return display_unit(unit)


def _fmt_float(mag: float, unit: str, digits: int = 3) -> str:
    """``fmt(Q_(mag, unit))`` for a plain number already in ``unit`` (the float kernels' formatter).

    >>> _fmt_float(0.49999999, "mL") == fmt(Q_(0.49999999, "mL"))
    True
    """
    return f"{_number_text(float(mag), digits)} {_display_text(unit)}"
