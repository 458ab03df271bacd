"""Dose titration after implantation, and dose changes in maintenance.

For training only, not for treating patients.

Rules come from lionova 4.2 ("Dosetitreringsfase", "Vedlikeholdsbehandling",
"Administrasjonsmåte"), lioresal "Dosing: phase of dose selection" and
"Dosing: supportive therapy":

* first daily dose: the effective test dose if its effect lasted more than 12 h,
  twice the test dose otherwise (practice guidance uses 8 h: :func:`initial_dose_options`);
* no increase in the first 24 h; then at most one change per 24 h with a programmable
  pump, 48 h with a non-programmable pump whose catheter delivers 1 mL a day;
* daily increase bands by origin, age, phase and label (:func:`increase_band`);
* decreases for side effects by 10–20 %;
* little experience above 1000 µg/day; a large increase without effect means: check
  the pump and the catheter.

>>> from itbcore.patient import Patient
>>> initial_daily_dose("50 ug", "10 h")
<Quantity(100.0, 'microgram / day')>
>>> increase_limits(Patient(40, "cerebral"))
(0.05, 0.15)
>>> plan = titration_plan(Patient(40, "spinal"), "100 ug/day", "130 ug/day", step_fraction=0.3)
>>> [(s.day, f"{s.dose.magnitude:g}") for s in plan.steps]
[(0, '100'), (1, '130')]
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import pint

from .errors import DoseLimitError, InputError
from .library import check_amount, hard_check, limit, read_date, soft_findings
from .patient import Patient, as_patient
from .sources import (
    DEFAULT_LABEL,
    PRACTICE,
    RULE_LABELS,
    Finding,
    check_rule_label,
    cite,
    most_severe_first,
    practice,
)
from .units import Q_, QuantityLike, _fmt_float, as_quantity, fmt, magnitude_in

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
    "initial_daily_dose",
    "DoseOption",
    "InitialDoseOptions",
    "initial_dose_options",
    "IncreaseBand",
    "increase_band",
    "increase_limits",
    "decrease_limits",
    "observed_range",
    "check_change",
    "PlanStep",
    "TitrationPlan",
    "titration_plan",
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
#: "6–8 h and has its full effect after 24–48 h", from the two constants above (for messages).
INFUSION_EFFECT_TEXT = (f"{INFUSION_ONSET[0].magnitude:g}–{fmt(INFUSION_ONSET[1])} and has its full effect after "
                        f"{INFUSION_MAX_EFFECT[0].magnitude:g}–{fmt(INFUSION_MAX_EFFECT[1])}")
#: Pump kinds the interval rule knows.
PUMPS = ("programmable", "non_programmable")

_SELECTION = {"lionova": "4.2", "lioresal": "Dosing: phase of dose selection"}
_SUPPORTIVE = {"lionova": "4.2", "lioresal": "Dosing: supportive therapy"}
_SAULINO = practice("Neuromodulation 2016, Saulino et al.")
_EPS = 1e-9
_PHASES = ("titration", "maintenance")


def _phase(phase: str) -> str:
    if phase not in _PHASES:
        raise InputError(f"The phase {phase!r} is not known; choose 'titration' or 'maintenance'.")
    return phase


def _pump(pump: str) -> str:
    key = str(pump).strip().lower().replace("-", "_").replace(" ", "_")
    if key == "nonprogrammable":
        key = "non_programmable"
    if key not in PUMPS:
        raise InputError(f"The pump {pump!r} is not known; choose 'programmable' or 'non_programmable'.")
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
        raise InputError(f"The {name} {_fmt_float(m, 'h')} cannot be negative.")
    return hard_check("elapsed", m, "h", name)


def _bolus(value: Any, label: str = DEFAULT_LABEL) -> pint.Quantity:
    """The effective test dose, read once and checked once against the drug library in force (``test_dose``:
    above zero and at most its maximum test dose, 100 µg in the suite's library, lionova 4.2)."""
    dose = _clean(as_quantity(value, "ug", name="effective test dose"))
    x = float(dose.magnitude)
    hard, _ = limit("test_dose").ranges(label)
    top = float(hard.max)
    if x <= 0 or x > top * (1 + _EPS):
        raise DoseLimitError(
            f"The effective test dose {fmt(dose)} must be above zero and at most the {top:g} µg maximum test dose "
            f"({hard.source}).",
            name="effective test dose", value=x, limit=0.0 if x <= 0 else top, unit="ug", key="test_dose",
            source=hard.source,
        )
    hard_check("test_dose", x, "ug", "effective test dose", label)
    return dose


def _effect(value: Any) -> pint.Quantity:
    q = _clean(as_quantity(value, "h", name="duration of effect"))
    if q.magnitude <= 0:
        raise InputError(f"The duration of effect {fmt(q)} must be above zero for an effective test dose.")
    hard_check("effect_duration", float(q.magnitude), "h", "duration of effect")
    return q


def initial_daily_dose(
    test_dose: QuantityLike,
    effect_duration: QuantityLike,
    label: str = DEFAULT_LABEL,
) -> pint.Quantity:
    """The first daily dose of the continuous infusion.

    The effective test dose when its effect lasted more than 12 h; twice the test
    dose otherwise (lionova 4.2; lioresal Dosing: phase of dose selection).  At
    exactly 12 h lioresal doubles ("up to 12 hours"); lionova ("over 12 h" / "under
    12 h") leaves it open and the suite doubles as well (label difference
    ``twelve_hour_boundary``).  Practice guidance uses 8 h: see :func:`initial_dose_options`.

    Parameters
    ----------
    test_dose : Quantity or str
        The effective test bolus, above zero and at most 100 µg.
    effect_duration : Quantity or str
        How long its effect lasted, above zero.
    label : {"lionova", "lioresal"}

    Returns
    -------
    Quantity[µg/day]

    Examples
    --------
    >>> initial_daily_dose("75 mcg", "14 h")
    <Quantity(75.0, 'microgram / day')>
    >>> initial_daily_dose("0.05 mg", "12 h", label="lioresal")
    <Quantity(100.0, 'microgram / day')>
    """
    label = check_rule_label(label)
    dose, effect = _bolus(test_dose, label), _effect(effect_duration)
    # lionova 4.2 / lioresal Dosing: phase of dose selection: "more than 12 h" → equal, otherwise double.
    factor = 1 if effect.magnitude > TWELVE_HOURS.magnitude else 2
    return Q_(float(dose.magnitude) * factor, "ug/day")


@dataclass(frozen=True)
class DoseOption:
    """One source's first daily dose: ``basis`` is ``"lionova"``, ``"lioresal"`` or ``"practice guidance"``."""

    basis: str
    dose: pint.Quantity
    rule: str
    source: str


@dataclass(frozen=True)
class InitialDoseOptions:
    """The first daily dose by each label and by practice guidance, so the difference can be shown.

    Attributes
    ----------
    test_dose, effect_duration : Quantity
        The inputs.
    options : tuple of DoseOption
        lionova, lioresal, practice guidance, in that order.
    agree : bool
        Whether all options give the same dose.
    """

    test_dose: pint.Quantity
    effect_duration: pint.Quantity
    options: tuple[DoseOption, ...]
    agree: bool

    def by(self, basis: str) -> DoseOption:
        """The option of ``basis`` (``"lionova"``, ``"lioresal"`` or ``"practice guidance"``)."""
        for option in self.options:
            if option.basis == basis:
                return option
        raise InputError(f"No option for {basis!r}; choose one of: {', '.join(o.basis for o in self.options)}.")


def initial_dose_options(
    test_dose: QuantityLike,
    effect_duration: QuantityLike,
    side_effects: bool = False,
) -> InitialDoseOptions:
    """First daily dose under each label and under practice guidance.

    lionova 4.2: equal to the test dose over 12 h, double under 12 h (exactly 12 h
    not covered; the suite doubles).  lioresal Dosing: phase of dose selection: double
    up to 12 h, equal over 12 h.  Practice guidance (Neuromodulation 2016, Saulino et
    al.): double, or equal when the bolus effect lasted more than 8 h or the bolus
    caused side effects.

    Parameters
    ----------
    test_dose : Quantity or str
        The effective test bolus (above zero, at most 100 µg).
    effect_duration : Quantity or str
        How long its effect lasted.
    side_effects : bool
        Whether the bolus caused side effects (used by practice guidance only).

    Returns
    -------
    InitialDoseOptions

    Examples
    --------
    >>> o = initial_dose_options("50 ug", "10 h")
    >>> [(x.basis, f"{x.dose.magnitude:g}") for x in o.options]
    [('lionova', '100'), ('lioresal', '100'), ('practice guidance', '50')]
    >>> o.agree
    False
    """
    if not isinstance(side_effects, bool):
        raise InputError(f"side_effects must be True or False, not {side_effects!r}.")
    dose, effect = _bolus(test_dose), _effect(effect_duration)
    h = effect.magnitude
    twelve = _fmt_float(_TWELVE_H, "h")
    options = []
    for label in RULE_LABELS:
        value = initial_daily_dose(dose, effect, label=label)
        if h > _TWELVE_H:
            rule = f"effect over {twelve}: the daily dose equals the test dose"
        elif h < _TWELVE_H:
            rule = f"effect under {twelve}: twice the test dose"
        elif label == "lionova":
            rule = f"effect exactly {twelve}: not covered by the text (over / under {twelve}); the suite doubles"
        else:
            rule = f"effect up to {twelve}: twice the test dose"
        options.append(DoseOption(label, value, rule, cite(label, _SELECTION[label])))
    if h > PRACTICE_EFFECT_THRESHOLD.magnitude or side_effects:
        why = "effect over 8 h" if h > PRACTICE_EFFECT_THRESHOLD.magnitude else "the bolus caused side effects"
        value, rule = Q_(float(dose.magnitude), "ug/day"), f"{why}: the daily dose equals the test dose"
    else:
        value = Q_(2 * float(dose.magnitude), "ug/day")
        rule = "effect 8 h or less, no side effects: twice the test dose"
    options.append(DoseOption(PRACTICE, value, rule, _SAULINO))
    agree = len({o.dose.magnitude for o in options}) == 1
    return InitialDoseOptions(dose, effect, tuple(options), agree)


@dataclass(frozen=True)
class IncreaseBand:
    """The allowed daily increase, as fractions, and where it comes from.

    Attributes
    ----------
    low, high : float
        Lowest and highest daily increase the label names (0.10 = 10 %).
    phase : {"titration", "maintenance"}
    label : str
    origin : {"spinal", "cerebral"}
    population : {"adult", "pediatric"}
    source : str
    note : str
        How the band was chosen where the label is silent.
    """

    low: float
    high: float
    phase: str
    label: str
    origin: str
    population: str
    source: str
    note: str = ""


def increase_band(patient: Patient, phase: str = "titration", label: str = DEFAULT_LABEL) -> IncreaseBand:
    """The daily increase band for this patient, phase and label, with its source.

    Titration (per 24 h): adults spinal 10–30 %, cerebral 5–15 % (lionova 4.2;
    lioresal Dosing: phase of dose selection).  lioresal limits children of spinal
    origin to 5–15 %; lionova names no paediatric band, so the adult bands by origin
    apply.  Maintenance: spinal 10–30 %, cerebral 5–20 % (lionova 4.2; lioresal
    Dosing: supportive therapy).  lioresal gives maintenance bands for adults only;
    for children the suite keeps lioresal's children band of 5–15 %, the more
    cautious reading.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> b = increase_band(Patient(10, "spinal"), label="lioresal")
    >>> b.low, b.high, b.source
    (0.05, 0.15, 'lioresal Dosing: phase of dose selection')
    >>> increase_band(Patient(40, "cerebral"), "maintenance").high
    0.2
    """
    label = check_rule_label(label)
    phase = _phase(phase)
    # Every answer about a patient refuses one the label does not cover, as titration_plan does.
    as_patient(patient).require_eligible(label)
    origin, population = as_patient(patient).origin, patient.population
    note = ""
    if phase == "titration":
        source = cite(label, _SELECTION[label])
        if origin == "spinal" and not (label == "lioresal" and population == "pediatric"):
            low, high = SPINAL_BAND
        else:
            low, high = CEREBRAL_TITRATION_BAND
        if population == "pediatric" and label == "lionova":
            note = ("lionova 4.2 names bands for adults only; the adult band for this origin is applied "
                    "(lioresal limits children of spinal origin to 5–15 %).")
    else:
        source = cite(label, _SUPPORTIVE[label])
        if label == "lioresal" and population == "pediatric":
            low, high = CEREBRAL_TITRATION_BAND
            source = f"{cite('lioresal', 'Dosing: supportive therapy')}, {cite('lioresal', _SELECTION['lioresal'])}"
            note = ("lioresal gives maintenance bands for adults only; the children band of the phase of dose "
                    "selection (5–15 %) is kept, the more cautious reading.")
        elif origin == "spinal":
            low, high = SPINAL_BAND
        else:
            # lionova 4.2 "må doseøkninger begrenses til 20 % (intervall: 5-20 %)"; lioresal "5- to 20%".
            low, high = CEREBRAL_MAINTENANCE_BAND
    return IncreaseBand(low, high, phase, label, origin, population, source, note)


def increase_limits(patient: Patient, phase: str = "titration", label: str = DEFAULT_LABEL) -> tuple[float, float]:
    """Allowed daily increase as fractions ``(low, high)``; see :func:`increase_band` for the source.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> increase_limits(Patient(40, "spinal"))
    (0.1, 0.3)
    >>> increase_limits(Patient(12, "spinal"), label="lioresal")
    (0.05, 0.15)
    """
    band = increase_band(patient, phase, label)
    return (band.low, band.high)


def decrease_limits() -> tuple[float, float]:
    """Daily decrease for side effects as fractions, ``(0.10, 0.20)``.

    lionova 4.2; lioresal Dosing: supportive therapy.

    >>> decrease_limits()
    (0.1, 0.2)
    """
    return DECREASE_LIMITS


def observed_range(patient: Patient, label: str = DEFAULT_LABEL) -> tuple[pint.Quantity, pint.Quantity, str]:
    """Lowest and highest daily doses the label reports in long-term use, with the source.

    Spinal origin 12–2003 µg/day; cerebral origin 22–1400 µg/day (lionova 4.2;
    lioresal Dosing: supportive therapy); lionova adds children under 12 years with
    cerebral origin: 24–1199 µg/day.

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> lo, hi, src = observed_range(Patient(40, "spinal"))
    >>> lo, hi, src
    (<Quantity(12, 'microgram / day')>, <Quantity(2003, 'microgram / day')>, 'lionova 4.2')
    """
    as_patient(patient).require_eligible(check_rule_label(label))
    lo, hi, source = _observed_range_floats(patient, label)
    return Q_(lo, "ug/day"), Q_(hi, "ug/day"), source


def _observed_range_floats(patient: Patient, label: str) -> tuple[int, int, str]:
    """:func:`observed_range` in µg/day as plain numbers."""
    label = check_rule_label(label)
    # lionova 4.2; lioresal Dosing: supportive therapy: doses reported in long-term use.
    source = cite(label, _SUPPORTIVE[label])
    if as_patient(patient).origin == "spinal":
        return (*OBSERVED_SPINAL, source)
    if label == "lionova" and patient.age_years < CHILD_UNDER_AGE:
        return (*OBSERVED_CEREBRAL_UNDER_12, source)
    return (*OBSERVED_CEREBRAL, source)


_PEDIATRIC_INITIAL = PEDIATRIC_INITIAL_MAINTENANCE


#: Canonical-unit constants of the float kernels (µg/day and hours).
_LIMITED_EXPERIENCE_UG_DAY = float(LIMITED_EXPERIENCE_ABOVE.to("ug/day").magnitude)
_FIRST_DAY_H = float(FIRST_DAY.to("h").magnitude)
_TWELVE_H = float(TWELVE_HOURS.to("h").magnitude)
_INTERVAL_H = {k: float(v.to("h").magnitude) for k, v in MIN_CHANGE_INTERVAL.items()}


def _dose_findings_floats(patient: Patient, m: float, phase: str, label: str, what: str) -> list[Finding]:
    """Notes on a resulting daily dose ``m`` (µg/day): above 1000 µg/day, outside the observed ranges,
    outside the children's initial range, the drug library's soft limits."""
    out: list[Finding] = []
    dose_text = _fmt_float(m, "ug/day")
    # lionova 4.2; lioresal Dosing: phase of dose selection: limited experience above 1000 µg/day.
    if m > _LIMITED_EXPERIENCE_UG_DAY * (1 + _EPS):
        src = cite(label, _SELECTION[label])
        out.append(Finding(
            "above_1000", "warning",
            f"The {what} {dose_text} is above 1000 µg/day, where experience is limited ({src}).", src,
        ))
    lo, hi, src = _observed_range_floats(patient, label)
    if m > 0 and not lo * (1 - _EPS) <= m <= hi * (1 + _EPS):
        out.append(Finding(
            "outside_observed_range", "warning",
            f"The {what} {dose_text} lies outside the {_fmt_float(lo, 'ug/day')} to {_fmt_float(hi, 'ug/day')} "
            "reported in long-term use for "
            f"{patient.origin} spasticity ({src}).",
            src,
        ))
    if phase == "titration" and patient.population == "pediatric" and m > 0:
        plo, phi = _PEDIATRIC_INITIAL[label]
        if not plo * (1 - _EPS) <= m <= phi * (1 + _EPS):
            src = cite(label, _SUPPORTIVE[label])
            out.append(Finding(
                "pediatric_initial_maintenance_range", "info",
                f"The {what} {dose_text} lies outside the initial maintenance range for children 4 to < 18 years, "
                f"{plo}–{phi} µg/day ({src}).",
                src,
            ))
    if m > 0:
        out.extend(soft_findings("daily_dose", m, "ug/day", what, label))
    return out


def check_change(
    patient: Patient,
    current: QuantityLike,
    proposed: QuantityLike,
    since_start: QuantityLike,
    since_last_change: QuantityLike | None,
    pump: str = "programmable",
    phase: str = "titration",
    label: str = DEFAULT_LABEL,
    *,
    no_effect: bool = False,
) -> list[Finding]:
    """Every rule a proposed change of the daily dose breaks, or should make the user think about.

    Parameters
    ----------
    patient : Patient
        Must be eligible under ``label``.
    current, proposed : Quantity or str
        Daily doses (``"200 ug/day"``); ``current`` above zero, ``proposed`` zero or more.
    since_start : Quantity or str
        Time since the continuous infusion started.
    since_last_change : Quantity, str or None
        Time since the last dose change (``None``: no change yet, so ``since_start``).
    pump : {"programmable", "non_programmable"}
        A non-programmable pump with a catheter delivering 1 mL a day needs 48 h between changes.
    phase : {"titration", "maintenance"}
    label : {"lionova", "lioresal"}
    no_effect : bool
        The increases so far have brought no clinical effect.

    Returns
    -------
    list of Finding
        Violations first, then warnings, then information.  Codes:
        ``increase_first_24h``, ``change_too_soon`` (violations), ``increase_above_band``
        (violation), ``increase_below_band``, ``increase_within_band`` (info),
        ``decrease_too_soon`` (warning under lionova, info under lioresal),
        ``decrease_within_band``, ``decrease_below_band`` (info), ``decrease_above_band``
        (warning), ``abrupt_stop`` (violation), ``check_pump_catheter``, ``above_1000``,
        ``outside_observed_range`` (warnings), ``pediatric_band``,
        ``pediatric_initial_maintenance_range``, ``no_change`` (info).

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> p = Patient(40, "spinal")
    >>> [f.code for f in check_change(p, "100 ug/day", "140 ug/day", "3 day", "24 h")]
    ['increase_above_band']
    >>> [f.code for f in check_change(p, "100 ug/day", "120 ug/day", "12 h", None)]
    ['increase_first_24h', 'increase_within_band']
    >>> check_change(p, "100 ug/day", "120 ug/day", "5 day", "30 h", pump="non_programmable")[0].source
    'lionova 4.2'
    """
    # (a) The unit boundary: read and check every argument, once, into floats (µg/day, hours).
    label = check_rule_label(label)
    phase = _phase(phase)
    pump = _pump(pump)
    as_patient(patient).require_eligible(label)
    if not isinstance(no_effect, bool):
        raise InputError(f"no_effect must be True or False, not {no_effect!r}.")
    c = _daily_float(current, "current daily dose")
    n = _daily_float(proposed, "proposed daily dose", allow_zero=True)
    started = _hours_float(since_start, "time since the infusion started")
    first_change = since_last_change is None
    last = started if first_change else _hours_float(since_last_change, "time since the last change")
    if last > started * (1 + _EPS):
        raise InputError(
            f"The time since the last change ({_fmt_float(last, 'h')}) is longer than the time since the infusion "
            f"started ({_fmt_float(started, 'h')})."
        )
    # (b) Every rule, on floats; the findings carry no Quantity, so there is nothing to wrap back.
    return _check_change_floats(patient, c, n, started, last, first_change, pump, phase, label, no_effect)


def _check_change_floats(
    patient: Patient, c: float, n: float, started: float, last: float, first_change: bool, pump: str, phase: str,
    label: str, no_effect: bool,
) -> list[Finding]:
    """The rules of :func:`check_change` on plain floats.

    ``c`` (above zero) and ``n`` (zero or more): current and proposed daily doses in µg/day, already
    cleaned of conversion noise; ``started`` and ``last``: hours since the infusion started and since
    the last change (``first_change``: no change yet, so ``last == started``); ``pump``, ``phase``,
    ``label`` and ``patient`` already checked.
    """
    sel = cite(label, _SELECTION[label])
    sup = cite(label, _SUPPORTIVE[label])
    interval = _INTERVAL_H[pump]
    out: list[Finding] = []
    change = (n - c) / c

    if abs(change) <= _EPS:
        out.append(Finding("no_change", "info", f"The daily dose stays at {_fmt_float(c, 'ug/day')}.", sel))
        return out

    if change > 0:
        band = increase_band(patient, phase, label)
        if started < _FIRST_DAY_H * (1 - _EPS):
            # lionova 4.2: no increase in the first 24 h; lioresal Dosing: phase of dose selection.
            out.append(Finding(
                "increase_first_24h", "violation",
                "No increase in the first 24 h of the continuous infusion; it started "
                f"{_fmt_float(started, 'h')} ago ({sel}).",
                sel,
            ))
        if last < interval * (1 - _EPS) and not (first_change and started < _FIRST_DAY_H * (1 - _EPS)):
            out.append(_too_soon(pump, last, interval, sel, "violation", "change_too_soon"))
        pct = f"{change * 100:.3g} %"
        if change > band.high + _EPS:
            out.append(Finding(
                "increase_above_band", "violation",
                f"An increase of {pct} ({_fmt_float(c, 'ug/day')} → {_fmt_float(n, 'ug/day')}) is above the "
                f"{band.low * 100:g}–{band.high * 100:g} % "
                f"allowed per day for {_who(patient)} in {phase} ({band.source}).",
                band.source,
            ))
        elif change < band.low - _EPS:
            out.append(Finding(
                "increase_below_band", "info",
                f"An increase of {pct} is smaller than the {band.low * 100:g}–{band.high * 100:g} % the label names "
                f"for {_who(patient)}; allowed, but titration will be slower ({band.source}).",
                band.source,
            ))
        else:
            out.append(Finding(
                "increase_within_band", "info",
                f"An increase of {pct} lies within the {band.low * 100:g}–{band.high * 100:g} % per day for "
                f"{_who(patient)} in {phase} ({band.source}).",
                band.source,
            ))
        if patient.population == "pediatric":
            out.append(Finding("pediatric_band", "info", _pediatric_note(band), band.source))
        if no_effect:
            src = sel if phase == "titration" else sup
            # The mass at the catheter tip: lionova 4.4 "Inflammatorisk masse"; lioresal Special instructions
            # "granuloma on the end of an implanted catheter" (each label's own words and section).
            mass_src, mass = ((cite("lionova", "4.4"), "an inflammatory mass") if label == "lionova"
                              else (cite("lioresal", "Special instructions"), "a granuloma"))
            out.append(Finding(
                "check_pump_catheter", "warning",
                "The dose has been raised without added clinical effect: check pump function and catheter patency "
                f"(kink, break, dislodgement) before raising it further, and think of {mass} at the "
                f"catheter tip, which shows first as a falling response ({src}; {mass_src}).",
                f"{src}; {mass_src}",
            ))
    else:
        drop = -change
        lo, hi = DECREASE_LIMITS
        if n < c * ABRUPT_CUT_BELOW:
            # lionova 4.2 "Seponering av behandling" and 4.4: never stop abruptly, always reduce gradually;
            # lioresal discontinuation.  A cut to near zero at once is an abrupt stop as well.
            src = f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}" if label == "lionova" else cite(
                "lioresal", "Dosing: discontinuation of treatment")
            what = "Stopping intrathecal baclofen abruptly" if n == 0 else (
                f"Cutting the dose from {_fmt_float(c, 'ug/day')} to {_fmt_float(n, 'ug/day')} at once (a fall of "
                f"{drop * 100:.3g} %) is an abrupt discontinuation: it")
            out.append(Finding(
                "abrupt_stop", "violation",
                f"{what} risks a life-threatening withdrawal; outside an acute overdose reduce the dose gradually "
                f"({src}).",
                src,
            ))
        if last < interval * (1 - _EPS) and not first_change:
            # lionova 4.2: a programmable pump's dose is adjusted ("justeres") once per 24 h, decreases included;
            # lioresal limits only increases ("increased only once for 24 hours").
            severity = "warning" if label == "lionova" else "info"
            out.append(_too_soon(pump, last, interval, sel, severity, "decrease_too_soon"))
        pct = f"{drop * 100:.3g} %"
        if drop > hi + _EPS:
            out.append(Finding(
                "decrease_above_band", "warning",
                f"A decrease of {pct} is larger than the 10–20 % the labels name for side effects; a large fall risks "
                f"withdrawal, so reduce in steps unless this is an overdose ({sup}).",
                sup,
            ))
        elif drop < lo - _EPS:
            out.append(Finding(
                "decrease_below_band", "info",
                f"A decrease of {pct} is smaller than the 10–20 % the labels name for side effects ({sup}).", sup,
            ))
        else:
            out.append(Finding(
                "decrease_within_band", "info",
                f"A decrease of {pct} lies within the 10–20 % for side effects ({sup}).", sup,
            ))
    out.extend(_dose_findings_floats(patient, n, phase, label, "proposed daily dose"))
    return most_severe_first(out)


def _who(patient: Patient) -> str:
    return f"{'children' if patient.population == 'pediatric' else 'adults'} with {patient.origin} spasticity"


def _pediatric_note(band: IncreaseBand) -> str:
    text = f"Child: the daily increase band is {band.low * 100:g}–{band.high * 100:g} % ({band.source})."
    return f"{text} {band.note}" if band.note else text


def _too_soon(pump: str, last: float, interval: float, src: str, severity: str, code: str) -> Finding:
    """The finding for a change sooner than the pump's interval; ``last`` and ``interval`` in hours."""
    if pump == "programmable":
        rule = "with a programmable pump the dose is changed at most once per 24 h"
    else:
        rule = ("with a non-programmable pump whose catheter delivers 1 mL a day (lioresal: a 76 cm catheter) "
                "48 h are needed to judge the response to a dose")
    message = f"The last change was {_fmt_float(last, 'h')} ago; {rule} ({src})."
    return Finding(code, severity, message, src)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PlanStep:
    """One day of a titration plan.

    Attributes
    ----------
    day : int
        Days after the start of the infusion (day 0).
    date : datetime.date or None
        The calendar date, when the plan has a start date.
    dose : Quantity[µg/day]
        The daily dose from this day.
    change : float
        Fractional change from the previous step (0.1 = +10 %; 0.0 on day 0).
    allowed_low, allowed_high : Quantity[µg/day]
        The doses the band allows on this day, given the previous step.
    source : str
        The section that sets the band.
    """

    day: int
    date: _dt.date | None
    dose: pint.Quantity
    change: float
    allowed_low: pint.Quantity
    allowed_high: pint.Quantity
    source: str

    @property
    def change_dose(self) -> pint.Quantity:
        """The change as a daily dose (µg/day), signed."""
        return _clean(self.dose - self.dose / (1 + self.change))


@dataclass(frozen=True)
class TitrationPlan:
    """A day-by-day path from a start dose to a target dose within the label's bands.

    Attributes
    ----------
    steps : tuple of PlanStep
        Day 0 first; one change per interval.
    reaches_target : bool
        Whether the last step is the target (the plan is capped at ``max_steps`` changes).
    findings : tuple of Finding
    start_dose, target_dose : Quantity[µg/day]
    interval : Quantity[h]
        24 h (programmable) or 48 h (non-programmable pump).
    band : tuple of float
        The fractions a step may change the dose by: the increase band, or the
        10–20 % decrease band.
    step_fraction : float
        The fraction used for each step before the last.
    direction : {"increase", "decrease", "none"}
    pump, phase, label : str
    """

    steps: tuple[PlanStep, ...]
    reaches_target: bool
    findings: tuple[Finding, ...]
    start_dose: pint.Quantity
    target_dose: pint.Quantity
    interval: pint.Quantity
    band: tuple[float, float]
    step_fraction: float
    direction: Literal["increase", "decrease", "none"]
    pump: str
    phase: str
    label: str

    @property
    def final_dose(self) -> pint.Quantity:
        """The dose of the last step."""
        return self.steps[-1].dose

    @property
    def duration(self) -> pint.Quantity:
        """Days from the start to the last step."""
        return Q_(self.steps[-1].day, "day")


def titration_plan(
    patient: Patient,
    start_dose: QuantityLike,
    target_dose: QuantityLike,
    *,
    pump: str = "programmable",
    phase: str = "titration",
    label: str = DEFAULT_LABEL,
    step_fraction: float | None = None,
    start_date: Any = None,
    max_steps: int = 60,
) -> TitrationPlan:
    """Plan daily steps from ``start_dose`` to ``target_dose`` within the label's bands.

    Day 0 is the start of the infusion.  No change in the first 24 h (lionova 4.2),
    then one change per 24 h with a programmable pump or per 48 h with a
    non-programmable pump (lionova 4.2; lioresal Dosing: phase of dose selection).
    Each increase is ``step_fraction`` of the previous dose (default: the band's lower
    end, "slowly"), never above the band's upper end; the last step lands exactly on
    the target.  When steps lie inside the band, no step is left smaller than the
    band's lower end: the plan lands early (still within the band) or shortens the
    step before last so that the last one is the lower end.  Decreases (a lower
    target, for side effects) use 10–20 % steps (default 10 %).  The plan stops
    after ``max_steps`` changes and reports if the target was not reached.

    Parameters
    ----------
    patient : Patient
        Must be eligible under ``label``.
    start_dose, target_dose : Quantity or str
        Daily doses, above zero.  Everything after them is given by name.
    pump : {"programmable", "non_programmable"}
        Sets the interval between changes (24 h or 48 h).
    phase : {"titration", "maintenance"}
        Sets the band an increase may use.
    label : {"lionova", "lioresal"}
    step_fraction : float, optional
        Fraction per step; above zero and at most the band's upper end.
    start_date : datetime.date, datetime or "YYYY-MM-DD", optional
        Gives each step a calendar date.
    max_steps : int
        Most changes the plan makes (1 to 365).

    Returns
    -------
    TitrationPlan
        The steps (day, date, dose, change, the band's doses, source), whether the target was reached,
        and the findings.

    Raises
    ------
    DoseLimitError
        For a ``step_fraction`` above the band's upper end.
    TypeError
        For the pump, phase, label or step given by position (a slip between them would go unseen).

    Examples
    --------
    >>> from itbcore.patient import Patient
    >>> plan = titration_plan(Patient(35, "cerebral"), "100 ug/day", "125 ug/day", start_date="2024-03-01")
    >>> [(s.day, str(s.date), fmt(s.dose)) for s in plan.steps]  # doctest: +NORMALIZE_WHITESPACE
    [(0, '2024-03-01', '100 µg/day'), (1, '2024-03-02', '105 µg/day'), (2, '2024-03-03', '110 µg/day'),
     (3, '2024-03-04', '116 µg/day'), (4, '2024-03-05', '125 µg/day')]
    >>> plan.reaches_target
    True
    >>> titration_plan(Patient(35, "spinal"), "200 ug/day", "160 ug/day", pump="non_programmable").steps[-1].day
    4
    """
    label = check_rule_label(label)
    phase = _phase(phase)
    pump = _pump(pump)
    as_patient(patient).require_eligible(label)
    s = _daily_float(start_dose, "start dose")
    t = _daily_float(target_dose, "target dose")
    start, target = Q_(s, "ug/day"), Q_(t, "ug/day")
    date0 = read_date(start_date, "start date")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or not 1 <= max_steps <= 365:
        raise InputError(f"max_steps must be a whole number from 1 to 365, not {max_steps!r}.")
    interval = MIN_CHANGE_INTERVAL[pump]
    every = int(round(interval.to("day").magnitude))
    sel = cite(label, _SELECTION[label])
    sup = cite(label, _SUPPORTIVE[label])
    findings: list[Finding] = []

    if t > s * (1 + _EPS):
        direction: Literal["increase", "decrease", "none"] = "increase"
        ib = increase_band(patient, phase, label)
        low, high, src = ib.low, ib.high, ib.source
        sign = 1.0
    elif t < s * (1 - _EPS):
        direction = "decrease"
        low, high = DECREASE_LIMITS
        src, sign = sup, -1.0
    else:
        direction, src, sign = "none", sel, 0.0
        low, high = increase_limits(patient, phase, label)

    if step_fraction is None:
        f = low
    else:
        if isinstance(step_fraction, bool) or not isinstance(step_fraction, (int, float)):
            raise InputError(f"The step fraction {step_fraction!r} is not a number (0.1 means 10 %).")
        f = float(step_fraction)
        if not math.isfinite(f):
            raise InputError(f"The step fraction {step_fraction!r} is not a finite number (0.1 means 10 %).")
        if not f > 0:
            raise InputError(f"The step fraction {f:g} must be above zero (0.1 means 10 %).")
        if f > high + _EPS and direction != "none":
            kind = "increase" if direction != "decrease" else "decrease for side effects"
            raise DoseLimitError(
                f"A step of {f * 100:g} % is above the {high * 100:g} % daily {kind} allowed here ({src}).",
                name="step fraction", value=f, limit=high, unit="", key=None, source=src,
            )
        if f < low - _EPS and direction != "none":
            findings.append(Finding(
                "step_below_band", "info",
                f"Steps of {f * 100:g} % are smaller than the {low * 100:g}–{high * 100:g} % the label names; the "
                f"plan is allowed but slower ({src}).",
                src,
            ))

    def _date(day: int) -> _dt.date | None:
        return None if date0 is None else date0 + _dt.timedelta(days=day)

    steps = [PlanStep(0, _date(0), start, 0.0, start, start, src)]
    cur, day = s, 0
    reached = direction == "none"
    for _ in range(max_steps if direction != "none" else 0):
        day += every
        near, far = cur * (1 + sign * low), cur * (1 + sign * high)
        stepped = cur * (1 + sign * f)
        rest = sign * (t / cur - 1)  # the change still needed, as a positive fraction
        rest_after = sign * (t / stepped - 1)
        # Land on the target when one chosen step reaches it.  With steps inside the band, never leave a
        # remainder smaller than the band's lower end: land now if the band allows it, or else take a
        # slightly smaller step that leaves exactly the lower end for the last step.
        short = f >= low - _EPS and rest_after < low - _EPS
        if rest <= f + _EPS or (short and rest <= high + _EPS):
            nxt, reached = t, True
        elif short:
            nxt = float(f"{t / (1 + sign * low):.12g}")
        else:
            nxt = float(f"{stepped:.12g}")
        if not reached:
            nxt = min(nxt, far) if sign > 0 else max(nxt, far)
        lo_q, hi_q = (Q_(near, "ug/day"), Q_(far, "ug/day")) if sign > 0 else (Q_(far, "ug/day"), Q_(near, "ug/day"))
        steps.append(PlanStep(day, _date(day), Q_(nxt, "ug/day"), (nxt - cur) / cur, _clean(lo_q), _clean(hi_q), src))
        cur = nxt
        if reached:
            break

    # lionova 4.2 "Dosen bør ikke økes i løpet av de første 24 timene" (no increase, a decrease is not barred),
    # then one change per 24 h (48 h non-programmable).
    findings.append(Finding(
        "plan_interval", "info",
        f"No increase in the first 24 h; then at most one change every {fmt(interval)} "
        f"({'programmable' if pump == 'programmable' else 'non-programmable'} pump) ({sel}).",
        sel,
    ))
    # lionova 4.2 and 5.1; lioresal Pharmacodynamics: infusion acts after 6–8 h, maximum after 24–48 h.
    onset_src = (f"{cite('lionova', '4.2')}, {cite('lionova', '5.1')}" if label == "lionova"
                 else cite("lioresal", "Pharmacodynamics"))
    findings.append(Finding(
        "infusion_effect_timing", "info",
        f"A change in the continuous infusion begins to act after {INFUSION_EFFECT_TEXT}, so judge each step before "
        f"the next ({onset_src}).",
        onset_src,
    ))
    if direction == "increase":
        ib = increase_band(patient, phase, label)
        if patient.population == "pediatric":
            findings.append(Finding("pediatric_band", "info", _pediatric_note(ib), ib.source))
        if len(steps) > 1 and reached and steps[-1].change < low - _EPS and len(steps) > 2:
            findings.append(Finding(
                "last_step_below_band", "info",
                f"The last step ({steps[-1].change * 100:.3g} %) is smaller than {low * 100:g} %, to land on the "
                f"target ({src}).",
                src,
            ))
    elif direction == "decrease":
        findings.append(Finding(
            "decrease_for_side_effects", "info",
            f"Decreases for side effects are 10–20 % of the daily dose per step ({sup}); stopping is a gradual taper, "
            "never an abrupt stop.",
            sup,
        ))
    if not reached:
        findings.append(Finding(
            "target_not_reached", "warning",
            f"After {max_steps} changes the dose is {fmt(steps[-1].dose)}, short of the target {fmt(target)}; "
            f"review the target or the step size ({src}).",
            src,
        ))
    findings.extend(_dose_findings_floats(patient, t, phase, label, "target dose"))
    findings[:] = most_severe_first(findings)
    return TitrationPlan(
        tuple(steps), reached, tuple(findings), start, target, interval, (low, high), f, direction, pump, phase, label,
    )
