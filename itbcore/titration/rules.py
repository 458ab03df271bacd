"""The titration rules as data (intervals, bands, decrease limits, observed ranges) and the shared readers.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.titration`; import from there.
"""

from __future__ import annotations

from typing import Any

import pint

from ..errors import DoseLimitError, InputError
from ..i18n import N_, gettext, localize_number, message
from ..library import check_amount, hard_check, limit
from ..sources import (
    DEFAULT_LABEL,
    practice,
)
from ..units import Q_, _fmt_float, as_quantity, fmt, magnitude_in

__all__ = [
    "TWELVE_HOURS",
    "PRACTICE_EFFECT_THRESHOLD",
    "FIRST_DAY",
    "MIN_CHANGE_INTERVAL",
    "DECREASE_LIMITS",
    "LIMITED_EXPERIENCE_ABOVE",
    "ABRUPT_CUT_BELOW",
    "USUAL_SPINAL",
    "OBSERVED_SPINAL",
    "OBSERVED_CEREBRAL",
    "OBSERVED_CEREBRAL_UNDER_12",
    "PEDIATRIC_INITIAL_MAINTENANCE",
    "SPINAL_BAND",
    "CEREBRAL_TITRATION_BAND",
    "CEREBRAL_MAINTENANCE_BAND",
    "LARGEST_INCREASE",
    "INFUSION_ONSET",
    "INFUSION_MAX_EFFECT",
    "PUMPS",
]


# lionova 4.2 ("overstiger 12 timer" / "kortere enn 12 timer"); lioresal Dosing: phase of dose selection.
TWELVE_HOURS: pint.Quantity = Q_(12, "h")
# Practice guidance (Neuromodulation 2016, Saulino et al.): equal to the bolus when its effect lasted more than 8 h.
PRACTICE_EFFECT_THRESHOLD: pint.Quantity = Q_(8, "h")
# lionova 4.2: "Dosen bør ikke økes i løpet av de første 24 timene"; lioresal Dosing: phase of dose selection.
FIRST_DAY: pint.Quantity = Q_(24, "h")
# lionova 4.2: programmable pump once per 24 h; non-programmable with a 1 mL/day catheter 48 h
# (lioresal Dosing: phase of dose selection: 76 cm catheter delivering 1 mL a day).
MIN_CHANGE_INTERVAL: dict[str, pint.Quantity] = {"programmable": Q_(24, "h"), "non_programmable": Q_(48, "h")}
# lionova 4.2 (maintenance): "kan den daglige dosen også reduseres med 10-20 % dersom pasienten opplever bivirkninger";
# lioresal Dosing: supportive therapy: "reduced by 10-20%".
DECREASE_LIMITS: tuple[float, float] = (0.10, 0.20)
# Daily doses reported in long-term use, µg/day (lionova 4.2; lioresal Dosing: supportive therapy):
# spinal origin usually 300-800, and 12 and 2003 in single patients (US studies; lionova gives them for the
# titration phase, lioresal as the maintenance range); cerebral origin 22-1400; lionova only: children under
# 12 of cerebral origin "24 til 1199 mikrogram/dag"; initial maintenance for children 4 to < 18: lionova
# 25-200 (mean 100), lioresal 35-200.
USUAL_SPINAL: tuple[int, int] = (300, 800)
OBSERVED_SPINAL: tuple[int, int] = (12, 2003)
OBSERVED_CEREBRAL: tuple[int, int] = (22, 1400)
OBSERVED_CEREBRAL_UNDER_12: tuple[int, int] = (24, 1199)
CHILD_UNDER_AGE = 12
PEDIATRIC_INITIAL_MAINTENANCE: dict[str, tuple[int, int]] = {"lionova": (25, 200), "lioresal": (35, 200)}
# Daily increase bands (fractions per 24 h).  lionova 4.2 and lioresal Dosing: phase of dose selection:
# spinal origin +10-30 %, cerebral origin +5-15 % (lioresal: children of spinal origin +5-15 % too);
# maintenance (lionova 4.2 "må doseøkninger begrenses til 20 % (intervall: 5-20 %)"; lioresal Dosing:
# supportive therapy): spinal +10-30 %, cerebral +5-20 %.
SPINAL_BAND: tuple[float, float] = (0.10, 0.30)
CEREBRAL_TITRATION_BAND: tuple[float, float] = (0.05, 0.15)
CEREBRAL_MAINTENANCE_BAND: tuple[float, float] = (0.05, 0.20)
#: The largest daily increase any label band allows (spinal origin).
LARGEST_INCREASE = SPINAL_BAND[1]
# lionova 4.2 ("Seponering av behandling": always by gradual reduction) and 4.4: a new dose below this
# fraction of the current one (a cut of 90 % or more at once) is read as an abrupt discontinuation, as a stop
# to zero is.  The fraction is the suite's reading of "gradual", not a label number.
ABRUPT_CUT_BELOW = 0.10
# lionova 4.2: "begrenset erfaring med doser over 1000 mikrogram/dag"; lioresal Dosing: phase of dose selection.
LIMITED_EXPERIENCE_ABOVE: pint.Quantity = Q_(1000, "ug/day")
# lionova 4.2, 5.1; lioresal Pharmacodynamics: continuous infusion acts after 6–8 h, maximum after 24–48 h.
INFUSION_ONSET: tuple[pint.Quantity, pint.Quantity] = (Q_(6, "h"), Q_(8, "h"))
INFUSION_MAX_EFFECT: tuple[pint.Quantity, pint.Quantity] = (Q_(24, "h"), Q_(48, "h"))
#: "6–8 h and has its full effect after 24–48 h", from the two constants above: English only, a part of a
#: sentence (a message names the four numbers as placeholders instead: see titration.plans).
INFUSION_EFFECT_TEXT = (
    f"{INFUSION_ONSET[0].magnitude:g}–{fmt(INFUSION_ONSET[1])} and has its full effect after "
    f"{INFUSION_MAX_EFFECT[0].magnitude:g}–{fmt(INFUSION_MAX_EFFECT[1])}"
)
#: Pump kinds the interval rule knows.
PUMPS = ("programmable", "non_programmable")

_SELECTION = {"lionova": "4.2", "lioresal": "Dosing: phase of dose selection"}
_SUPPORTIVE = {"lionova": "4.2", "lioresal": "Dosing: supportive therapy"}
_SAULINO = practice("Neuromodulation 2016, Saulino et al.")
_EPS = 1e-9
_PHASES = ("titration", "maintenance")

#: Canonical-unit constants of the float kernels (µg/day and hours).
_LIMITED_EXPERIENCE_UG_DAY = float(LIMITED_EXPERIENCE_ABOVE.to("ug/day").magnitude)
_FIRST_DAY_H = float(FIRST_DAY.to("h").magnitude)
_TWELVE_H = float(TWELVE_HOURS.to("h").magnitude)
_INTERVAL_H = {k: float(v.to("h").magnitude) for k, v in MIN_CHANGE_INTERVAL.items()}


def _phase(phase: str) -> str:
    if phase not in _PHASES:
        raise InputError(
            message("The phase {phase} is not known; choose 'titration' or 'maintenance'.", phase=repr(phase))
        )
    return phase


def _pump(pump: str) -> str:
    key = str(pump).strip().lower().replace("-", "_").replace(" ", "_")
    if key == "nonprogrammable":
        key = "non_programmable"
    if key not in PUMPS:
        raise InputError(
            message("The pump {pump} is not known; choose 'programmable' or 'non_programmable'.", pump=repr(pump))
        )
    return key


def _clean(q: pint.Quantity) -> pint.Quantity:
    """Drop float noise from a unit conversion (0.3 mg/day → 300.00000000000006 µg/day)."""
    return Q_(float(f"{float(q.magnitude):.12g}"), q.units)


def _daily_float(value: Any, name: str, allow_zero: bool = False) -> float:
    """A daily dose as a plain float in µg/day, conversion noise dropped (0.7 mg/day → 700, not
    700.0000000000001), then checked as every amount is (:func:`~itbcore.library.check_amount`: above zero,
    or not negative with ``allow_zero``, and within the drug library's hard range)."""
    m = float(f"{magnitude_in(value, 'ug/day', name):.12g}")
    return check_amount(m, "ug/day", name, "daily_dose", zero_ok=allow_zero)


def _hours_float(value: Any, name: str) -> float:
    """A time since an event, as a plain float in hours: ``value`` read in hours, conversion noise
    dropped, refused when negative."""
    m = float(f"{magnitude_in(value, 'h', name):.12g}")
    if m < 0:
        raise InputError(
            message("The {name} {value} cannot be negative.", name=gettext(name), value=_fmt_float(m, "h"))
        )
    return hard_check("elapsed", m, "h", name)


def _bolus(value: Any, label: str = DEFAULT_LABEL) -> pint.Quantity:
    """The effective test dose, read once and checked once against the drug library in force (``test_dose``:
    above zero and at most its maximum test dose, 100 µg in the suite's library, lionova 4.2)."""
    dose = _clean(as_quantity(value, "ug", name=N_("effective test dose")))
    x = float(dose.magnitude)
    hard, _ = limit("test_dose").ranges(label)
    top = float(hard.max)
    if x <= 0 or x > top * (1 + _EPS):
        raise DoseLimitError(
            message(
                "The effective test dose {dose} must be above zero and at most the {limit} µg maximum test dose "
                "({source}).",
                dose=fmt(dose),
                limit=localize_number(f"{top:g}"),
                source=hard.source,
            ),
            name="effective test dose",
            value=x,
            limit=0.0 if x <= 0 else top,
            unit="ug",
            key="test_dose",
            source=hard.source,
        )
    hard_check("test_dose", x, "ug", N_("effective test dose"), label)
    return dose


def _effect(value: Any) -> pint.Quantity:
    q = _clean(as_quantity(value, "h", name=N_("duration of effect")))
    if q.magnitude <= 0:
        raise InputError(
            message("The duration of effect {duration} must be above zero for an effective test dose.", duration=fmt(q))
        )
    hard_check("effect_duration", float(q.magnitude), "h", N_("duration of effect"))
    return q
