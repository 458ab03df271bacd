"""Maintenance dosing: the dose ranges the labels report, flex programmes and the drug holiday.

Sources: lionova 4.2 "Vedlikeholdsbehandling", "Innledende vedlikeholdsbehandling hos den
pediatriske populasjonen", "Administrasjonsmåte"; lioresal Dosing: supportive therapy and
Dosing: mode of infusion.

>>> r = maintenance_range(Patient(40, "spinal"))
>>> r.low, r.high, r.observed_low, r.observed_high
(<Quantity(300, 'microgram / day')>, <Quantity(800, 'microgram / day')>, <Quantity(12, 'microgram / day')>,
<Quantity(2003, 'microgram / day')>)
>>> flex_start_for_effect("22 h")
<Quantity(20.0, 'hour')>
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

from . import library
from .errors import DoseLimitError, InputError
from .i18n import gettext, localize_number, message
from .patient import Patient
from .sources import Action, Finding, check_rule_label, cite, practice
from .titration import (
    CHILD_UNDER_AGE,
    DECREASE_LIMITS,
    LARGEST_INCREASE,
    LIMITED_EXPERIENCE_ABOVE,
    OBSERVED_CEREBRAL,
    OBSERVED_CEREBRAL_UNDER_12,
    OBSERVED_SPINAL,
    PEDIATRIC_INITIAL_MAINTENANCE,
    USUAL_SPINAL,
)
from .units import Q_, QuantityLike, as_quantity, fmt, magnitude_in, ureg

__all__ = [
    "DoseRange",
    "maintenance_range",
    "dose_range_findings",
    "FLEX_NIGHT_INCREASE",
    "FLEX_EFFECT_LEAD",
    "FlexStep",
    "FlexProgramme",
    "flex_programme",
    "flex_start_for_effect",
    "flex_unit_check",
    "flex_from_continuous",
    "DrugHoliday",
    "drug_holiday",
]

#: lionova 4.2 "Administrasjonsmåte"; lioresal Dosing: mode of infusion: e.g. +20 % hourly rate at night.
FLEX_NIGHT_INCREASE = 0.20
#: lionova 4.2; lioresal Dosing: mode of infusion: program the change 2 h before the wanted effect.
FLEX_EFFECT_LEAD = Q_(2, "h")

_SRC_FLEX = f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: mode of infusion')}"
_SRC_MAINT = {"lionova": cite("lionova", "4.2"), "lioresal": cite("lioresal", "Dosing: supportive therapy")}
_SRC_DEVICE = practice("device documentation")
#: An interruption of the infusion (a step or programme delivering nothing): lionova 4.4 and lioresal Dosing:
#: discontinuation of treatment ("Prevention of cases of sudden discontinuation ... programming").
_SRC_INTERRUPTION = f"{cite('lionova', '4.4')}; {cite('lioresal', 'Dosing: discontinuation of treatment')}"
_SRC_INCIDENT = practice("reported pump incidents: flex-mode programming")


# Parsed once: the drug holiday builds one Quantity a day from plain floats (the app redraws it on every keystroke).
_UG_PER_DAY = ureg.Unit("ug/day")


def _ud(x: float) -> pint.Quantity:
    return Q_(x, _UG_PER_DAY)


# ---------------------------------------------------------------------------------------------- ranges
@dataclass(frozen=True)
class DoseRange:
    """Maintenance doses a label reports for a kind of patient.

    Attributes
    ----------
    kind : str
        What the range describes, e.g. ``"adult, spinal origin"``.
    low, high : Quantity[µg/day]
        The usual range (spinal adults), the range seen (cerebral origin) or the initial
        maintenance range (children 4 to < 18).
    observed_low, observed_high : Quantity[µg/day] or None
        The lowest and highest doses seen in single patients, when the label gives them.
    means : tuple of (str, Quantity[µg/day])
        Mean doses the label reports, with what they are the mean of.
    limited_experience_above : Quantity[µg/day]
        1000 µg/day.
    label : str
    source : str
    notes : tuple of str
    code : str
        ``"adult_spinal"``, ``"adult_cerebral"`` or ``"child"`` (``kind`` is its display text).
    """

    kind: str
    low: pint.Quantity
    high: pint.Quantity
    observed_low: pint.Quantity | None
    observed_high: pint.Quantity | None
    means: tuple[tuple[str, pint.Quantity], ...]
    limited_experience_above: pint.Quantity
    label: str
    source: str
    notes: tuple[str, ...] = ()
    #: What the range is for, as a code for branches: ``"adult_spinal"``, ``"adult_cerebral"`` or ``"child"``.
    code: str = ""


def maintenance_range(patient: Patient, label: str = "lionova") -> DoseRange:
    """The maintenance dose range the label reports for this patient.

    Parameters
    ----------
    patient : Patient
        Age and origin choose the range: adult spinal, adult cerebral, or a child.
    label : {"lionova", "lioresal"}
        Whose figures (the two labels report the same adult ranges; their children's ranges differ).

    Returns
    -------
    DoseRange
        The range, the means the label reports, where experience becomes limited, and the source.

    Raises
    ------
    EligibilityError
        For a patient the label does not cover (under 4 years).

    Notes
    -----
    - Adults, spinal origin: usually 300–800 µg/day; 12 and 2003 µg/day the lowest and highest
      in single patients (US studies) (lionova 4.2; lioresal Dosing: supportive therapy).
    - Adults, cerebral origin: 22–1400 µg/day; mean 276 µg/day after 1 year, 307 after 2 years.
    - Children 4 to < 18, initial maintenance: 25–200 µg/day, mean 100 (lionova 4.2);
      35–200 µg/day, mean 100 (lioresal Dosing: supportive therapy).
    - Children under 12 with cerebral origin usually need less: 24–1199 µg/day, mean 274
      (lionova 4.2 only; stated with the cerebral-origin doses).

    Examples
    --------
    >>> r = maintenance_range(Patient(8, "cerebral"))
    >>> r.low, r.high, r.observed_high
    (<Quantity(25, 'microgram / day')>, <Quantity(200, 'microgram / day')>, <Quantity(1199, 'microgram / day')>)
    >>> maintenance_range(Patient(8, "cerebral"), label="lioresal").low
    <Quantity(35, 'microgram / day')>
    """
    label = check_rule_label(label)
    if not isinstance(patient, Patient):
        raise InputError("maintenance_range needs a Patient.")
    patient.require_eligible(label)
    src = _SRC_MAINT[label]
    limited = LIMITED_EXPERIENCE_ABOVE
    if patient.population == "pediatric":
        # lionova 4.2: initial maintenance 25-200 µg/day (mean 100); lioresal: 35-200 µg/day (mean 100).
        low, high = PEDIATRIC_INITIAL_MAINTENANCE[label]
        # lionova 4.2: the total daily dose commonly rises "i løpet av det første året"; lioresal: "a tendency
        # to gradually increase the total daily dose", no time named.
        notes = [
            gettext("The total daily dose commonly rises during the first year; adjust to the clinical response.")
            if label == "lionova"
            else gettext("The maintenance dose tends to rise gradually; it depends on the clinical response.")
        ]
        obs_low = obs_high = None
        means: list[tuple[str, pint.Quantity]] = [(gettext("initial maintenance, children 4 to < 18"), _ud(100))]
        if label == "lionova" and patient.origin == "cerebral" and patient.age_years < CHILD_UNDER_AGE:
            # lionova 4.2: children under 12 usually need lower doses: 24-1199 µg/day, mean 274.
            obs_low, obs_high = (_ud(x) for x in OBSERVED_CEREBRAL_UNDER_12)
            means.append((gettext("children under 12, cerebral origin"), _ud(274)))
        return DoseRange(
            message("child {age} years, spinal origin: initial maintenance", age=float(patient.age_years))
            if patient.origin == "spinal"
            else message("child {age} years, cerebral origin: initial maintenance", age=float(patient.age_years)),
            _ud(low),
            _ud(high),
            obs_low,
            obs_high,
            tuple(means),
            limited,
            label,
            src,
            tuple(notes),
            "child",
        )
    if patient.origin == "spinal":
        # lionova 4.2 / lioresal supportive therapy: usually 300-800; 12 and 2003 µg/day in single patients.
        lo, hi = OBSERVED_SPINAL
        return DoseRange(
            gettext("adult, spinal origin"),
            _ud(USUAL_SPINAL[0]),
            _ud(USUAL_SPINAL[1]),
            _ud(lo),
            _ud(hi),
            (),
            limited,
            label,
            src,
            (
                message(
                    "{lo} and {hi} µg/day were the lowest and highest doses in single patients (US studies).",
                    lo=lo,
                    hi=hi,
                ),
            ),
            "adult_spinal",
        )
    # lionova 4.2 / lioresal supportive therapy: cerebral origin 22-1400 µg/day; mean 276 (1 y), 307 (2 y).
    lo, hi = OBSERVED_CEREBRAL
    return DoseRange(
        gettext("adult, cerebral origin"),
        _ud(lo),
        _ud(hi),
        _ud(lo),
        _ud(hi),
        ((gettext("after 1 year"), _ud(276)), (gettext("after 2 years"), _ud(307))),
        limited,
        label,
        src,
        (),
        "adult_cerebral",
    )


def dose_range_findings(patient: Patient, daily_dose: QuantityLike, label: str = "lionova") -> list[Finding]:
    """Where a maintenance daily dose lies against the ranges the label reports.

    None of these ranges is a limit, so nothing here is a violation: a dose outside them is a
    prompt to look again (lowest effective dose, catheter or pump problems, limited experience).

    Examples
    --------
    >>> [f.code for f in dose_range_findings(Patient(40, "spinal"), "500 ug/day")]
    ['within_range']
    >>> [f.code for f in dose_range_findings(Patient(40, "spinal"), "1.2 mg/day")]
    ['above_range', 'above_1000']
    """
    label = check_rule_label(label)
    r = maintenance_range(patient, label)
    dose = library.amount(daily_dose, "ug/day", gettext("daily dose"), "daily_dose")
    soft = library.soft_findings("daily_dose", float(dose.magnitude), "ug/day", gettext("daily dose"), label)
    out: list[Finding] = []
    child = patient.population == "pediatric"
    rng = dict(dose=fmt(dose), low=fmt(r.low), high=fmt(r.high))
    if dose < r.low:
        out.append(
            Finding(
                "below_range",
                "info",
                message(
                    "{dose} is below the initial maintenance range ({low} to {high}); the lowest dose that gives "
                    "a suitable response is the aim.",
                    **rng,
                )
                if child
                else message(
                    "{dose} is below the usual range ({low} to {high}); the lowest dose that gives a suitable "
                    "response is the aim.",
                    **rng,
                ),
                r.source,
            )
        )
    elif dose > r.high:
        # Children: the range is the *initial* maintenance dose, and both labels say the daily dose tends to rise
        # (lionova 4.2: in the first year); a sudden need for a large increase still points at the catheter or pump.
        rise = f"{r.notes[0]} " if r.code == "child" else ""
        out.append(
            Finding(
                "above_range",
                "warning",
                message(
                    "{dose} is above the initial maintenance range ({low} to {high}). {rise}A sudden need for a "
                    "large increase suggests a catheter complication or pump failure.",
                    rise=rise,
                    **rng,
                )
                if child
                else message(
                    "{dose} is above the usual range ({low} to {high}). {rise}A sudden need for a large increase "
                    "suggests a catheter complication or pump failure.",
                    rise=rise,
                    **rng,
                ),
                r.source,
            )
        )
    else:
        out.append(
            Finding(
                "within_range",
                "info",
                message("{dose} lies within the initial maintenance range ({low} to {high}).", **rng)
                if child
                else message("{dose} lies within the usual range ({low} to {high}).", **rng),
                r.source,
            )
        )
    if (
        r.observed_low is not None
        and r.observed_high is not None
        and r.code != "adult_cerebral"
        and not r.observed_low <= dose <= r.observed_high
    ):
        out.append(
            Finding(
                "outside_observed_range",
                "warning",
                message(
                    "{dose} is outside the doses reported ({observed_low} to {observed_high}).",
                    dose=fmt(dose),
                    observed_low=fmt(r.observed_low),
                    observed_high=fmt(r.observed_high),
                ),
                r.source,
            )
        )
    if dose > r.limited_experience_above:
        # lioresal states it in its children's maintenance paragraph and, for every patient, in the phase of dose
        # selection ("The experience of using doses of the drug exceeding 1000 mcg per day is limited"); lionova 4.2.
        src = (
            r.source if label == "lionova" or r.code == "child" else cite("lioresal", "Dosing: phase of dose selection")
        )
        out.append(
            Finding(
                "above_1000",
                "warning",
                message(
                    "{dose} is above {limited_experience_above}, where experience is limited ({source}).",
                    dose=fmt(dose),
                    limited_experience_above=fmt(r.limited_experience_above),
                    source=src,
                ),
                src,
            )
        )
    return out + soft


# ---------------------------------------------------------------------------------------------- flex
def _hour_of_day(value: Any, name: str) -> pint.Quantity:
    h = as_quantity(value, "h", name)
    if not 0 <= h.magnitude < 24:
        raise InputError(message("The {name} {h} is not an hour of the day (0 h to before 24 h).", name=name, h=fmt(h)))
    library.hard_check("hour_of_day", float(h.magnitude), "h", name)  # a hospital's library may narrow the day
    return Q_(float(h.magnitude), "h")


@dataclass(frozen=True)
class FlexStep:
    """One step of a flex programme: from ``start`` (hour of the day) the pump runs at ``rate``.

    Examples
    --------
    >>> step = FlexStep("22 h", "25 ug/h")
    >>> step.start, step.rate
    (<Quantity(22.0, 'hour')>, <Quantity(25.0, 'microgram / hour')>)
    >>> FlexStep("24 h", "25 ug/h")
    Traceback (most recent call last):
    ...
    itbcore.errors.InputError: The step start 24 h is not an hour of the day (0 h to before 24 h).
    """

    start: pint.Quantity
    rate: pint.Quantity

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _hour_of_day(self.start, gettext("step start")))
        rate = library.read_amount(self.rate, "ug/h", gettext("step rate"), "infusion_rate", zero_ok=True)
        object.__setattr__(self, "rate", Q_(rate, "ug/h"))


@dataclass(frozen=True)
class FlexProgramme:
    """A 24 h flex programme: steps sorted by start; the last step runs on past midnight to the first.

    Attributes
    ----------
    steps : tuple of FlexStep
    daily_total : Quantity[µg/day]
        The integral of the rates over 24 h.
    findings : tuple of Finding
    """

    steps: tuple[FlexStep, ...]
    daily_total: pint.Quantity
    findings: tuple[Finding, ...]

    def durations(self) -> pint.Quantity:
        """How long each step runs (h), in the order of :attr:`steps`; they add up to 24 h."""
        starts = [float(s.start.magnitude) for s in self.steps]
        ends = starts[1:] + [starts[0] + 24.0]
        return Q_(np.asarray(ends) - np.asarray(starts), "h")

    def rate_at(self, hour: Any) -> pint.Quantity:
        """The rate running at ``hour`` of the day (µg/h).

        >>> flex_from_continuous("480 ug/day").rate_at("23 h")
        <Quantity(24.0, 'microgram / hour')>
        """
        h = float(as_quantity(hour, "h", gettext("hour")).magnitude) % 24.0
        current = self.steps[-1]
        for s in self.steps:
            if float(s.start.magnitude) <= h:
                current = s
        return current.rate

    def hourly_rates(self) -> pint.Quantity:
        """Mean rate in each clock hour 0–1, 1–2, …, 23–24 (24 values, µg/h); sum × 1 h = daily total.

        >>> flex_from_continuous("480 ug/day").hourly_rates()[19:22].magnitude.tolist()
        [20.0, 24.0, 24.0]
        """
        edges = self._edges()
        out = np.zeros(24)
        for h in range(24):
            out[h] = _integral(edges, h, h + 1)
        return Q_(out, "ug/h")

    def step_function(self) -> tuple[pint.Quantity, pint.Quantity]:
        """Times (h, from 0 to 24) and rates (µg/h) for a step plot (``line_shape="hv"``).

        >>> t, r = flex_from_continuous("480 ug/day").step_function()
        >>> t.magnitude.tolist(), r.magnitude.tolist()
        ([0.0, 4.0, 20.0, 24.0], [24.0, 20.0, 24.0, 24.0])
        """
        edges = self._edges()
        times = [a for a, _, _ in edges] + [24.0]
        rates = [r for _, _, r in edges] + [edges[-1][2]]
        return Q_(np.asarray(times), "h"), Q_(np.asarray(rates), "ug/h")

    def infusions(self, days: int = 2) -> tuple[tuple[pint.Quantity, pint.Quantity, pint.Quantity], ...]:
        """The programme repeated for ``days`` days as ``(start, end, rate)`` infusions from hour 0.

        Ready for :func:`itbcore.pk.csf_concentration`: one constant-rate piece per step and day.

        >>> inf = flex_from_continuous("480 ug/day").infusions(days=1)
        >>> [(fmt(a), fmt(b), fmt(r)) for a, b, r in inf]
        [('0 h', '4 h', '24 µg/h'), ('4 h', '20 h', '20 µg/h'), ('20 h', '24 h', '24 µg/h')]
        """
        if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or not 1 <= days <= 366:
            raise InputError(f"The number of days must be a whole number from 1 to 366, not {days!r}.")
        return tuple(
            (Q_(24.0 * d + a, "h"), Q_(24.0 * d + b, "h"), Q_(r, "ug/h"))
            for d in range(int(days))
            for a, b, r in self._edges()
            if b > a
        )

    def _edges(self) -> list[tuple[float, float, float]]:
        """Pieces (start, end, rate) covering 0–24 h on the clock."""
        starts = [float(s.start.magnitude) for s in self.steps]
        rates = [float(s.rate.magnitude) for s in self.steps]
        pieces: list[tuple[float, float, float]] = []
        if starts[0] > 0:
            pieces.append((0.0, starts[0], rates[-1]))
        for i, a in enumerate(starts):
            b = starts[i + 1] if i + 1 < len(starts) else 24.0
            pieces.append((a, b, rates[i]))
        return pieces


def _integral(pieces: list[tuple[float, float, float]], lo: float, hi: float) -> float:
    total = 0.0
    for a, b, r in pieces:
        overlap = min(b, hi) - max(a, lo)
        if overlap > 0:
            total += overlap * r
    return total


def flex_programme(steps: Sequence[FlexStep | tuple[Any, Any]]) -> FlexProgramme:
    """Build a 24 h flex programme from steps.

    Parameters
    ----------
    steps : sequence of FlexStep or (start, rate) pairs
        At least one step; starts are hours of the day and must differ.

    Returns
    -------
    FlexProgramme

    Examples
    --------
    >>> p = flex_programme([FlexStep("6 h", "20 ug/h"), FlexStep("20 h", "24 ug/h")])
    >>> p.daily_total
    <Quantity(520.0, 'microgram / day')>
    """
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Iterable):
        raise InputError(
            "A flex programme is a list of steps, each a start hour and a rate (for example ('6 h', '20 ug/h'))."
        )
    built = []
    for s in steps:
        if isinstance(s, FlexStep):
            built.append(s)
        elif isinstance(s, (tuple, list)) and len(s) == 2:
            built.append(FlexStep(*s))
        else:
            raise InputError(f"A flex step is a start hour and a rate (for example ('6 h', '20 ug/h')), not {s!r}.")
    if not built:
        raise InputError(gettext("A flex programme needs at least one step."))
    # Device documentation: a programmable pump allows up to 13 flex steps a day (the drug library's hard limit).
    library.hard_check("flex_steps", float(len(built)), "", gettext("number of flex steps"))
    built.sort(key=lambda s: float(s.start.magnitude))
    starts = [float(s.start.magnitude) for s in built]
    if len(set(starts)) != len(starts):
        raise InputError(gettext("Two flex steps start at the same hour; give each step its own start."))
    ends = starts[1:] + [starts[0] + 24.0]
    total = sum((e - a) * float(s.rate.magnitude) for a, e, s in zip(starts, ends, built, strict=False))
    findings: list[Finding] = []
    for s in built:
        findings += library.soft_findings(
            "infusion_rate", float(s.rate.magnitude), "ug/h", message("step rate from {start}", start=fmt(s.start))
        )
    if any(s.rate.magnitude == 0 for s in built):
        findings.append(
            Finding(
                "zero_rate_step",
                "warning",
                gettext("A step delivers nothing: an interruption of intrathecal baclofen can cause withdrawal."),
                _SRC_INTERRUPTION,
            )
        )
    if len(built) > 1:
        findings.append(
            Finding(
                "clock_changes",
                "info",
                gettext("Clock changes (daylight saving time) shift a flex programme by an hour."),
                practice("Neuromodulation 2016: delivery modes"),
            )
        )
    findings.append(
        Finding(
            "flex_after_stabilisation",
            "info",
            gettext("Use flex dosing once daily dose and function are stable, if the pump allows it."),
            _SRC_FLEX,
        )
    )
    return FlexProgramme(tuple(built), Q_(total, "ug/day"), tuple(findings))


def flex_start_for_effect(wanted_effect_time: QuantityLike, lead: Any = FLEX_EFFECT_LEAD) -> pint.Quantity:
    """Hour of the day at which to program a rate change for an effect wanted at ``wanted_effect_time``.

    The change is programmed to start 2 h before the wanted clinical effect
    (lionova 4.2 "Administrasjonsmåte"; lioresal Dosing: mode of infusion).

    Examples
    --------
    >>> flex_start_for_effect("1 h")
    <Quantity(23.0, 'hour')>
    """
    wanted = _hour_of_day(wanted_effect_time, gettext("wanted effect time"))
    lead_q = as_quantity(lead, "h", gettext("lead time"))
    if lead_q.magnitude < 0:
        raise InputError(message("The lead time {lead_q} must not be negative.", lead_q=fmt(lead_q)))
    library.hard_check("hour_of_day", float(lead_q.magnitude), "h", gettext("lead time"))  # a lead within one day
    return Q_((float(wanted.magnitude) - float(lead_q.magnitude)) % 24.0, "h")


def flex_unit_check(programme_or_rate: Any, intended_daily_dose: QuantityLike) -> list[Finding]:
    """Guard against a per-hour / per-day mix-up when programming (a 24-fold dose).

    Parameters
    ----------
    programme_or_rate : FlexProgramme, or a rate (Quantity or str in µg/h)
        What is about to be programmed; a plain rate is taken as running all day.
    intended_daily_dose : Quantity or str
        The prescribed daily dose (µg/day).

    Returns
    -------
    list of Finding
        A violation when the programmed daily total is about 24 times (or 1/24 of) the intended
        dose, at least ten-fold off, or more than the largest day's increase (+30 %, lionova 4.2)
        above it; a warning when it is less than intended by more than a day's decrease (20 %).

    Examples
    --------
    >>> [f.code for f in flex_unit_check("60 ug/h", "60 ug/day")]
    ['per_hour_per_day_mixup']
    >>> flex_unit_check("2.5 ug/h", "60 ug/day")
    []
    """
    intended = library.amount(intended_daily_dose, "ug/day", gettext("intended daily dose"), "daily_dose")
    if isinstance(programme_or_rate, FlexProgramme):
        total = programme_or_rate.daily_total
        rates = [s.rate for s in programme_or_rate.steps]
    else:
        rate = library.amount(programme_or_rate, "ug/h", gettext("programmed rate"), "infusion_rate", zero_ok=True)
        total = (rate * Q_(24, "h/day")).to("ug/day")
        rates = [rate]
    if total.magnitude == 0:
        return [
            Finding(
                "nothing_programmed",
                "violation",
                message(
                    "The programme delivers nothing, against an intended {intended}: withdrawal risk.",
                    intended=fmt(intended),
                ),
                _SRC_INTERRUPTION,
            )
        ]
    ratio = float((total / intended).to("").magnitude)
    big = max(ratio, 1 / ratio)
    literal = any(math.isclose(float(r.to("ug/h").magnitude), float(intended.magnitude), rel_tol=1e-6) for r in rates)
    if literal or 24 / 1.5 <= big <= 24 * 1.5:
        mixup = dict(
            total=fmt(total),
            times=localize_number(format(big, ".0f")),
            intended=fmt(intended),
            per_hour=fmt((intended / Q_(24, "h/day")).to("ug/h")),
        )
        return [
            Finding(
                "per_hour_per_day_mixup",
                "violation",
                message(
                    "The programme gives {total}, about {times} times the intended {intended}: a per-hour / "
                    "per-day mix-up (overdose); {intended} is {per_hour} per hour.",
                    **mixup,
                )
                if ratio > 1
                else message(
                    "The programme gives {total}, about {times} times the intended {intended}: a per-hour / "
                    "per-day mix-up (under-dose (withdrawal risk)); {intended} is {per_hour} per hour.",
                    **mixup,
                ),
                _SRC_INCIDENT,
            )
        ]
    if big >= 10:
        return [
            Finding(
                "tenfold_off",
                "violation",
                message(
                    "The programme gives {total}, {big}-fold the intended {intended}.",
                    total=fmt(total),
                    big=localize_number(format(big, ".3g")),
                    intended=fmt(intended),
                ),
                _SRC_INCIDENT,
            )
        ]
    # lionova 4.2: "Hos pasienter med spastisitet av spinal opprinnelse kan den daglige dosen økes gradvis med
    # 10-30 %" and "reduseres med 10-20 % dersom pasienten opplever bivirkninger"; lioresal Dosing: supportive
    # therapy: "can be gradually increased (by 10- 30%)".  A programme that delivers more than the largest
    # day's increase above the intended daily dose is an overdose the prescription does not name: a violation,
    # as compare_settings and titration.check_change treat the same increase.  Less than intended by more than
    # a day's decrease is a warning (withdrawal risk; check the programme).
    up, down = LARGEST_INCREASE, DECREASE_LIMITS[1]
    over = ratio > 1 + up + 1e-9
    band_src = _SRC_MAINT["lionova"] + "; " + _SRC_MAINT["lioresal"]
    if big >= 2:
        return [
            Finding(
                "twofold_off",
                "violation" if over else "warning",
                message(
                    "The programme gives {total}, {fold}-fold the intended {intended}: above the largest increase "
                    "a day allows (+{up} %).",
                    total=fmt(total),
                    fold=localize_number(format(big, ".3g")),
                    intended=fmt(intended),
                    up=float(up * 100),
                )
                if over
                else message(
                    "The programme gives {total}, {fold}-fold the intended {intended}.",
                    total=fmt(total),
                    fold=localize_number(format(big, ".3g")),
                    intended=fmt(intended),
                ),
                f"{_SRC_INCIDENT}; {band_src}" if over else _SRC_INCIDENT,
            )
        ]
    if over or ratio < 1 - down - 1e-9:
        pct = (ratio - 1) * 100
        off = dict(total=fmt(total), pct=localize_number(format(pct, "+.3g")), intended=fmt(intended))
        return [
            Finding(
                "off_intended_beyond_band",
                "violation" if over else "warning",
                message(
                    "The programme gives {total}, {pct} % against the intended {intended}: more than the +{up} % "
                    "a day's increase allows (spinal origin 10–30 %): an overdose the prescription does not name; "
                    "check the programme against the prescription.",
                    up=float(up * 100),
                    **off,
                )
                if over
                else message(
                    "The programme gives {total}, {pct} % against the intended {intended}: more than the {down} % "
                    "a day's decrease allows (10–20 % for side effects): withdrawal risk; check the programme "
                    "against the prescription.",
                    down=float(down * 100),
                    **off,
                ),
                band_src,
            )
        ]
    return []


def flex_from_continuous(
    daily_dose: QuantityLike,
    night_increase: float = FLEX_NIGHT_INCREASE,
    night_start: Any = "22 h",
    night_end: Any = "6 h",
    effect_lead: Any = FLEX_EFFECT_LEAD,
) -> FlexProgramme:
    """The label's flex example: a higher hourly rate at night, programmed 2 h before the wanted effect.

    The continuous rate (daily dose / 24 h) runs by day; from ``night_start − effect_lead`` to
    ``night_end − effect_lead`` the hourly rate is raised by ``night_increase`` (label example: 20 %)
    (lionova 4.2 "Administrasjonsmåte"; lioresal Dosing: mode of infusion).  The daily total rises
    accordingly; a finding states by how much.

    Examples
    --------
    >>> p = flex_from_continuous("480 ug/day")
    >>> [(s.start.magnitude, s.rate.magnitude) for s in p.steps]
    [(4.0, 20.0), (20.0, 24.0)]
    >>> p.daily_total
    <Quantity(512.0, 'microgram / day')>
    """
    dose = library.amount(daily_dose, "ug/day", gettext("daily dose"), "daily_dose")
    if (
        isinstance(night_increase, bool)
        or not isinstance(night_increase, (int, float))
        or not math.isfinite(night_increase)
    ):
        raise InputError(f"The night increase {night_increase!r} must be a fraction such as 0.2.")
    if not 0 < night_increase <= 1:
        raise DoseLimitError(
            message(
                "The night increase {night_increase} must lie above 0 and at most 1 (100 %).",
                night_increase=float(night_increase),
            ),
            name="night increase",
            value=float(night_increase),
            limit=0.0 if night_increase <= 0 else 1.0,
            unit="",
            key=None,
            source=_SRC_FLEX,
        )
    on = flex_start_for_effect(night_start, effect_lead)
    off = flex_start_for_effect(night_end, effect_lead)
    if math.isclose(float(on.magnitude), float(off.magnitude)):
        raise InputError(gettext("The night must start and end at different hours."))
    base = float((dose / Q_(24, "h/day")).to("ug/h").magnitude)
    p = flex_programme([FlexStep(off, Q_(base, "ug/h")), FlexStep(on, Q_(base * (1 + night_increase), "ug/h"))])
    rise = float((p.daily_total / dose).to("").magnitude) - 1
    extra = [
        Finding(
            "flex_daily_total",
            "info",
            message(
                "The night increase raises the daily total from {dose} to {daily_total} (+{rise} %); "
                "the rate change starts {lead} before the wanted effect.",
                dose=fmt(dose),
                daily_total=fmt(p.daily_total),
                rise=localize_number(format(100 * rise, ".1f")),
                lead=fmt(as_quantity(effect_lead, "h")),
            ),
            _SRC_FLEX,
        )
    ]
    if night_increase > FLEX_NIGHT_INCREASE + 1e-12:
        extra.append(
            Finding(
                "night_increase_above_example",
                "warning",
                message(
                    "A night increase of {percent} % is above the label example (20 %).",
                    percent=localize_number(format(100 * night_increase, ".0f")),
                ),
                _SRC_FLEX,
            )
        )
    return FlexProgramme(p.steps, p.daily_total, p.findings + tuple(extra))


# ---------------------------------------------------------------------------------------------- drug holiday
@dataclass(frozen=True)
class DrugHoliday:
    """A planned drug holiday for a patient refractory to rising doses (lionova 4.2).

    Attributes
    ----------
    current_daily_dose : Quantity[µg/day]
    weeks : float
    schedule : tuple of (int, Quantity[µg/day])
        (day, daily dose) pairs from day 0 (current dose) to the last day (0 µg/day), one step a day.
    restart_dose : Quantity[µg/day]
        The initial continuous infusion dose, at which treatment restarts (then titrated again).
    actions : tuple of Action
    findings : tuple of Finding
    source : str
    """

    current_daily_dose: pint.Quantity
    weeks: float
    schedule: tuple[tuple[int, pint.Quantity], ...]
    restart_dose: pint.Quantity
    actions: tuple[Action, ...]
    findings: tuple[Finding, ...]
    source: str


def drug_holiday(current_daily_dose: Any, initial_infusion_dose: Any, weeks: Any = 3) -> DrugHoliday:
    """Plan a drug holiday: a gradual reduction over 2 to 4 weeks, then a restart at the initial dose.

    About 5 % of patients on long-term treatment become refractory to rising doses; this has been
    handled in hospital by reducing intrathecal baclofen gradually over 2–4 weeks while switching to
    other antispastic treatment, then restarting at the initial continuous infusion dose with a new
    titration to avoid overdose, as an in-patient (lionova 4.2; lioresal Dosing: supportive therapy).

    Parameters
    ----------
    current_daily_dose : Quantity or str
        Dose now (µg/day).
    initial_infusion_dose : Quantity or str
        The dose at the start of continuous infusion (µg/day).
    weeks : number or Quantity/str of time
        Length of the reduction, 2 to 4 weeks.

    Returns
    -------
    DrugHoliday

    Raises
    ------
    DoseLimitError
        For a reduction shorter than 2 or longer than 4 weeks (lionova 4.2), or non-positive doses.

    Examples
    --------
    >>> h = drug_holiday("700 ug/day", "150 ug/day", weeks=2)
    >>> h.schedule[0], h.schedule[7], h.schedule[-1]
    ((0, <Quantity(700.0, 'microgram / day')>), (7, <Quantity(350.0, 'microgram / day')>), (14, <Quantity(0.0,
    'microgram / day')>))
    >>> h.restart_dose
    <Quantity(150.0, 'microgram / day')>
    >>> drug_holiday("700 ug/day", "150 ug/day", weeks=1)
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: A drug holiday reduces the dose gradually over 2 to 4 weeks, not 1 week (lionova
    4.2).
    """
    src = f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: supportive therapy')}"
    # Plain floats in µg/day from here on; Quantities only for what is returned.
    c = library.read_amount(current_daily_dose, "ug/day", gettext("current daily dose"), "daily_dose")
    i = library.read_amount(initial_infusion_dose, "ug/day", gettext("initial infusion dose"), "daily_dose")
    if isinstance(weeks, bool):
        raise InputError(gettext("The number of weeks must be a number or a time such as '3 week'."))
    if isinstance(weeks, (int, float)):
        if not math.isfinite(weeks):
            raise InputError(message("The number of weeks {weeks} is not a finite number.", weeks=weeks))
        w = float(weeks)
    else:
        w = magnitude_in(weeks, "week", gettext("holiday length"))
    if not 2 <= w <= 4:
        raise DoseLimitError(
            message(
                "A drug holiday reduces the dose gradually over 2 to 4 weeks, not {weeks} week ({source}).",
                weeks=float(w),
                source=cite("lionova", "4.2"),
            )
            if w == 1
            else message(
                "A drug holiday reduces the dose gradually over 2 to 4 weeks, not {weeks} weeks ({source}).",
                weeks=float(w),
                source=cite("lionova", "4.2"),
            ),
            name="holiday length",
            value=w,
            limit=2.0 if w < 2 else 4.0,
            unit="week",
            key="holiday_length",
            source=cite("lionova", "4.2"),
        )
    library.hard_check("holiday_length", w, "week", gettext("holiday length"))  # a hospital's library may narrow it
    days = round(w * 7)
    # lionova 4.2 / 4.4: never an abrupt stop; an even daily reduction over the whole period.
    schedule = tuple((d, _ud(c * (1 - d / days))) for d in range(days + 1))
    current, restart = _ud(c), _ud(i)
    actions = (
        Action("admit", gettext("Plan the drug holiday in hospital."), cite("lionova", "4.2")),
        Action(
            "other_antispastic", gettext("Start other antispastic treatment as the intrathecal dose is reduced."), src
        ),
        Action(
            "gradual_reduction",
            message(
                "Reduce the intrathecal dose gradually over {days} days; never stop abruptly (withdrawal).", days=days
            ),
            f"{cite('lionova', '4.2')}; {cite('lionova', '4.4')}; "
            f"{cite('lioresal', 'Dosing: discontinuation of treatment')}",
        ),
        Action(
            "watch_withdrawal",
            gettext(
                "Watch for withdrawal: return of spasticity, pruritus, hypotension, paraesthesia; later "
                "high fever, altered mental state, rebound spasticity and muscle rigidity."
            ),
            cite("lionova", "4.4"),
        ),
        Action(
            "restart_initial_dose",
            message(
                "Restart at the initial continuous infusion dose ({restart}); lionova 4.2 adds: then "
                "titrate again to avoid overdose, as an in-patient (lioresal names neither).",
                restart=fmt(restart),
            ),
            src,
        ),
    )
    findings = [
        Finding(
            "morphine_switch",
            "warning",
            gettext("Take care when switching from baclofen to morphine and back."),
            f"{cite('lionova', '4.2')}; {cite('lionova', '4.5')}; {cite('lioresal', 'Dosing: supportive therapy')}",
        )
    ]
    if i > c:
        findings.append(
            Finding(
                "restart_above_current",
                "warning",
                message(
                    "The restart dose {restart} is above the dose before the holiday ({current}); "
                    "sensitivity may be restored, so a high restart risks overdose.",
                    restart=fmt(restart),
                    current=fmt(current),
                ),
                src,
            )
        )
    return DrugHoliday(current, w, schedule, restart, actions, tuple(findings), src)
