"""The unit layer's fast path: what pint would answer, without pint's per-call overhead.

For training only, not for treating patients.

The core reads every argument once into a canonical unit and builds its results in a few units.
pint re-parses a unit string on every ``Q_(x, "ug/day")`` and re-derives a conversion on every
``q.to(unit)``; the suite uses a few dozen unit strings millions of times.  This module is the one
place that works around that, using these pint internals:

- ``UnitRegistry.parse_units_as_container`` (wrapped by :func:`install_parse_cache` so that a unit
  string is parsed once; a ``UnitsContainer`` is immutable, so sharing it is safe),
- ``Quantity._magnitude`` and ``Quantity._units`` (read, and set on a new Quantity by
  :meth:`Converter.maker`, as pint's own ``__new__`` does),
- ``UnitRegistry._is_multiplicative``, ``_get_dimensionality``, ``_get_conversion_factor`` and
  ``_active_ctx`` (the factor of a multiplicative conversion, and whether a context is active).

They are checked by :func:`missing_internals` when the registry is set up; ``tests/itbcore/test_fastpath.py``
pins them for the pint range ``pyproject.toml`` allows (:data:`PINT_TESTED`).  With a pint that lacks
one, the fast path turns itself off and every call goes to pint (slower, never different): a
:class:`Converter` made with ``enabled=False`` answers ``None`` to every question.

The fast path only answers what pint answers, bit for bit: pint multiplies by the very same factor
and returns the magnitude untouched when the units are the same; anything else (offset or
logarithmic units, an active context, an unknown unit, a non-finite result) is left to pint.

>>> import pint
>>> ureg = pint.UnitRegistry(cache_folder=None)
>>> fast = Converter(ureg, lambda spec: ureg.Unit(spec))
>>> fast.magnitude(2.0, ureg.Quantity(2.0, "mg")._units, "ug")
2000.0
>>> fast.maker("mL")(2.5) == ureg.Quantity(2.5, "mL")
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pint

__all__ = ["PINT_TESTED", "REGISTRY_INTERNALS", "missing_internals", "install_parse_cache", "Converter"]

#: The pint versions this module is tested with (the range ``pyproject.toml`` pins).
PINT_TESTED = ("0.24", "0.27")
#: The registry methods and attributes the fast path relies on.
REGISTRY_INTERNALS = (
    "parse_units_as_container",
    "_is_multiplicative",
    "_get_dimensionality",
    "_get_conversion_factor",
    "_active_ctx",
)

#: Finite int magnitudes the fast path takes: a float represents them exactly.
_INT_EXACT = 2**53
#: Marks a pair whose source units are the target units (pint returns the magnitude as is).
_SAME = object()
_CACHE_MAX = 4096


def missing_internals(ureg: pint.UnitRegistry) -> list[str]:
    """The pint internals the fast path needs that ``ureg`` (or its Quantity) lacks; ``[]`` when all are there."""
    missing = [name for name in REGISTRY_INTERNALS if not hasattr(ureg, name)]
    q = ureg.Quantity(1.0, "")
    missing += [f"Quantity.{name}" for name in ("_magnitude", "_units") if not hasattr(q, name)]
    return missing


def install_parse_cache(ureg: pint.UnitRegistry, maxsize: int = _CACHE_MAX) -> None:
    """Remember ``ureg``'s parse of each unit string (``Q_(x, "ug/day")`` and ``q.to("mL")`` parse it anew).

    pint 0.24–0.26 cache the parse behind several Python-level calls; measured with pint 0.25.3
    (2026-12-02), ``Q_(2.5, "mL")`` plus two conversions took 28 µs with this and 260 µs without.
    """
    parse = ureg.parse_units_as_container

    @lru_cache(maxsize=maxsize)
    def cached(input_string: str, as_delta: Any = None, case_sensitive: Any = None) -> Any:
        return parse(input_string, as_delta, case_sensitive)

    def parse_units_as_container(input_string: Any, as_delta: Any = None, case_sensitive: Any = None) -> Any:
        if isinstance(input_string, str):
            return cached(input_string, as_delta, case_sensitive)
        return parse(input_string, as_delta, case_sensitive)

    ureg.parse_units_as_container = parse_units_as_container  # type: ignore[method-assign]


class Converter:
    """Conversion factors and result Quantities for one registry, remembered per unit pair.

    ``parse_unit`` turns a unit spec of the suite's code (``"ug/day"``) into a ``pint.Unit`` of the
    registry.  With ``enabled=False`` (a pint without the internals above) every method answers
    ``None`` or builds its Quantity through pint.
    """

    def __init__(self, ureg: pint.UnitRegistry, parse_unit: Callable[[str], Any], enabled: bool = True) -> None:
        self.ureg, self.parse_unit, self.enabled = ureg, parse_unit, enabled
        #: (source UnitsContainer, target unit text) -> factor, ``_SAME``, or ``None`` (not for the fast path).
        self.factors: dict[tuple[Any, str], Any] = {}
        #: (id of the source UnitsContainer, target unit text) -> (that container, its factor): a lookup by
        #: identity first (hashing a UnitsContainer is a Python-level call); the entry holds the container,
        #: so its id stays its own.
        self._by_id: dict[tuple[int, str], tuple[Any, Any]] = {}

    def factor(self, src: Any, unit: str) -> Any:
        """The multiplicative factor from ``src`` (a UnitsContainer) to ``unit``, ``_SAME``, or ``None``."""
        key = (src, unit)
        try:
            return self.factors[key]
        except KeyError:
            pass
        ureg, factor = self.ureg, None
        try:
            dst = self.parse_unit(unit)._units
            if src == dst:
                factor = _SAME
            elif (
                all(ureg._is_multiplicative(n) for n in src)
                and all(ureg._is_multiplicative(n) for n in dst)
                and ureg._get_dimensionality(src) == ureg._get_dimensionality(dst)
            ):
                f = ureg._get_conversion_factor(src, dst)
                # pint keeps an int factor (day -> h is 24) and so an int magnitude; so does the fast path.
                if f.__class__ in (float, int) and math.isfinite(f) and f != 0:
                    factor = f
        except Exception:  # noqa: BLE001 - an unknown unit, or anything pint refuses: leave it to pint
            factor = None
        if len(self.factors) < _CACHE_MAX:
            self.factors[key] = factor
        return factor

    def magnitude(self, mag: Any, src: Any, unit: str) -> Any:
        """``mag`` in units ``src`` converted to ``unit`` as pint would, or ``None`` to leave it to pint.

        Takes a finite float, or an int within ±2**53; refuses (``None``) while a pint context is
        active, for a pair pint converts otherwise than by a factor, and for a non-finite result.
        """
        if not self.enabled:
            return None
        cls = mag.__class__
        if cls is not float and (cls is not int or not -_INT_EXACT < mag < _INT_EXACT):
            return None
        if self.ureg._active_ctx.contexts:  # a pint context can redefine conversions
            return None
        entry = self._by_id.get((id(src), unit))
        if entry is not None and entry[0] is src:
            factor = entry[1]
        else:
            factor = self.factor(src, unit)
            if len(self._by_id) < _CACHE_MAX:
                self._by_id[(id(src), unit)] = (src, factor)
        if factor is None:
            return None
        out = mag if factor is _SAME else mag * factor
        return out if out - out == 0 else None  # an inf or a NaN (given or from an overflow) goes to pint

    def maker(self, unit: str) -> Callable[[Any], pint.Quantity]:
        """A function ``make(magnitude)`` equal to ``Quantity(magnitude, unit)`` for a scalar int or float,
        without pint's argument sniffing and with the units looked up once."""
        cls = self.ureg.Quantity
        if not self.enabled:
            return lambda magnitude: cls(magnitude, unit)
        container = self.parse_unit(unit)._units  # immutable, so safe to share between Quantities
        new = object.__new__

        def make(magnitude: Any) -> pint.Quantity:
            q = new(cls)
            q._magnitude = magnitude
            q._units = container
            return q

        return make

    def make(self, magnitude: Any, unit: str) -> pint.Quantity:
        """``Quantity(magnitude, unit)`` for a scalar int or float (one result; :meth:`maker` for many)."""
        if not self.enabled:
            return self.ureg.Quantity(magnitude, unit)
        q = object.__new__(self.ureg.Quantity)
        q._magnitude = magnitude
        q._units = self.parse_unit(unit)._units
        return q
