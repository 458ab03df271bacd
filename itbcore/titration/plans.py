"""Day-by-day titration plans from a start dose to a target dose within the label's bands.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.titration`; import from there.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import pint

from ..errors import DoseLimitError, InputError
from ..i18n import N_, message
from ..library import read_date
from ..patient import Patient, as_patient
from ..sources import (
    DEFAULT_LABEL,
    Finding,
    check_rule_label,
    cite,
    most_severe_first,
)
from ..units import Q_, QuantityLike, fmt
from .bands import increase_band, increase_limits
from .changes import _dose_findings_floats, _g, _pct, _pediatric_note
from .rules import (
    _EPS,
    _SELECTION,
    _SUPPORTIVE,
    DECREASE_LIMITS,
    INFUSION_MAX_EFFECT,
    INFUSION_ONSET,
    MIN_CHANGE_INTERVAL,
    _clean,
    _daily_float,
    _phase,
    _pump,
)

__all__ = ["PlanStep", "TitrationPlan", "titration_plan"]


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
    s = _daily_float(start_dose, N_("start dose"))
    t = _daily_float(target_dose, N_("target dose"))
    date0 = read_date(start_date, N_("start date"))
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or not 1 <= max_steps <= 365:
        raise InputError(f"max_steps must be a whole number from 1 to 365, not {max_steps!r}.")
    band = _plan_band(patient, s, t, phase, label)
    f, findings = _plan_step_fraction(step_fraction, band)
    interval = MIN_CHANGE_INTERVAL[pump]
    steps, reached = _plan_steps(s, t, f, band, int(round(interval.to("day").magnitude)), date0, max_steps)
    findings += _plan_findings(patient, steps, reached, t, band, interval, pump, phase, label, max_steps)
    return TitrationPlan(
        tuple(steps),
        reached,
        tuple(most_severe_first(findings)),
        Q_(s, "ug/day"),
        Q_(t, "ug/day"),
        interval,
        (band.low, band.high),
        f,
        band.direction,
        pump,
        phase,
        label,
    )


@dataclass(frozen=True)
class _PlanBand:
    """The band a titration plan steps within: its direction, fractions, source and sign (+1, -1 or 0)."""

    direction: Literal["increase", "decrease", "none"]
    low: float
    high: float
    source: str
    sign: float


def _plan_band(patient: Patient, s: float, t: float, phase: str, label: str) -> _PlanBand:
    """:func:`titration_plan`'s band: the increase band, the 10–20 % decrease band, or none (start = target)."""
    if t > s * (1 + _EPS):
        ib = increase_band(patient, phase, label)
        return _PlanBand("increase", ib.low, ib.high, ib.source, 1.0)
    if t < s * (1 - _EPS):
        low, high = DECREASE_LIMITS
        return _PlanBand("decrease", low, high, cite(label, _SUPPORTIVE[label]), -1.0)
    low, high = increase_limits(patient, phase, label)
    return _PlanBand("none", low, high, cite(label, _SELECTION[label]), 0.0)


def _plan_step_fraction(step_fraction: float | None, band: _PlanBand) -> tuple[float, list[Finding]]:
    """:func:`titration_plan`'s step fraction (default: the band's lower end), read and checked against the band."""
    low, high, src, direction = band.low, band.high, band.source, band.direction
    if step_fraction is None:
        return low, []
    if isinstance(step_fraction, bool) or not isinstance(step_fraction, (int, float)):
        raise InputError(
            message("The step fraction {value} is not a number (0.1 means 10 %).", value=repr(step_fraction))
        )
    f = float(step_fraction)
    if not math.isfinite(f):
        raise InputError(
            message("The step fraction {value} is not a finite number (0.1 means 10 %).", value=repr(step_fraction))
        )
    if not f > 0:
        raise InputError(message("The step fraction {value} must be above zero (0.1 means 10 %).", value=_g(f)))
    if f > high + _EPS and direction != "none":
        values = {"step": _g(f * 100), "limit": _g(high * 100), "source": src}
        raise DoseLimitError(
            message("A step of {step} % is above the {limit} % daily increase allowed here ({source}).", **values)
            if direction != "decrease"
            else message(
                "A step of {step} % is above the {limit} % daily decrease for side effects allowed here ({source}).",
                **values,
            ),
            name="step fraction",
            value=f,
            limit=high,
            unit="",
            key=None,
            source=src,
        )
    findings = []
    if f < low - _EPS and direction != "none":
        findings.append(
            Finding(
                "step_below_band",
                "info",
                message(
                    "Steps of {step} % are smaller than the {low}–{high} % the label names; the plan is allowed but "
                    "slower ({source}).",
                    step=_g(f * 100),
                    low=_g(low * 100),
                    high=_g(high * 100),
                    source=src,
                ),
                src,
            )
        )
    return f, findings


def _plan_steps(
    s: float,
    t: float,
    f: float,
    band: _PlanBand,
    every: int,
    date0: _dt.date | None,
    max_steps: int,
) -> tuple[list[PlanStep], bool]:
    """:func:`titration_plan`'s steps from ``s`` to ``t`` µg/day, one per ``every`` days; whether ``t`` is reached."""
    low, high, src, sign = band.low, band.high, band.source, band.sign

    def _date(day: int) -> _dt.date | None:
        return None if date0 is None else date0 + _dt.timedelta(days=day)

    start = Q_(s, "ug/day")
    steps = [PlanStep(0, _date(0), start, 0.0, start, start, src)]
    cur, day = s, 0
    reached = band.direction == "none"
    for _ in range(max_steps if band.direction != "none" else 0):
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
    return steps, reached


def _plan_findings(
    patient: Patient,
    steps: list[PlanStep],
    reached: bool,
    t: float,
    band: _PlanBand,
    interval: pint.Quantity,
    pump: str,
    phase: str,
    label: str,
    max_steps: int,
) -> list[Finding]:
    """:func:`titration_plan`'s findings about the plan it made (interval, timing, band, target, dose)."""
    low, src = band.low, band.source
    sel = cite(label, _SELECTION[label])
    sup = cite(label, _SUPPORTIVE[label])
    findings: list[Finding] = []
    # lionova 4.2 "Dosen bør ikke økes i løpet av de første 24 timene" (no increase, a decrease is not barred),
    # then one change per 24 h (48 h non-programmable).
    findings.append(
        Finding(
            "plan_interval",
            "info",
            message(
                "No increase in the first 24 h; then at most one change every {interval} (programmable pump) "
                "({source}).",
                interval=fmt(interval),
                source=sel,
            )
            if pump == "programmable"
            else message(
                "No increase in the first 24 h; then at most one change every {interval} (non-programmable pump) "
                "({source}).",
                interval=fmt(interval),
                source=sel,
            ),
            sel,
        )
    )
    # lionova 4.2 and 5.1; lioresal Pharmacodynamics: infusion acts after 6–8 h, maximum after 24–48 h.
    onset_src = (
        f"{cite('lionova', '4.2')}, {cite('lionova', '5.1')}"
        if label == "lionova"
        else cite("lioresal", "Pharmacodynamics")
    )
    findings.append(
        Finding(
            "infusion_effect_timing",
            "info",
            message(
                "A change in the continuous infusion begins to act after {onset_from}–{onset_to} and has its full "
                "effect after {full_from}–{full_to}, so judge each step before the next ({source}).",
                onset_from=_g(INFUSION_ONSET[0].magnitude),
                onset_to=fmt(INFUSION_ONSET[1]),
                full_from=_g(INFUSION_MAX_EFFECT[0].magnitude),
                full_to=fmt(INFUSION_MAX_EFFECT[1]),
                source=onset_src,
            ),
            onset_src,
        )
    )
    if band.direction == "increase":
        ib = increase_band(patient, phase, label)
        if patient.population == "pediatric":
            findings.append(Finding("pediatric_band", "info", _pediatric_note(ib), ib.source))
        if len(steps) > 1 and reached and steps[-1].change < low - _EPS and len(steps) > 2:
            findings.append(
                Finding(
                    "last_step_below_band",
                    "info",
                    message(
                        "The last step ({step} %) is smaller than {low} %, to land on the target ({source}).",
                        step=_pct(steps[-1].change * 100),
                        low=_g(low * 100),
                        source=src,
                    ),
                    src,
                )
            )
    elif band.direction == "decrease":
        findings.append(
            Finding(
                "decrease_for_side_effects",
                "info",
                message(
                    "Decreases for side effects are 10–20 % of the daily dose per step ({source}); stopping is a "
                    "gradual taper, never an abrupt stop.",
                    source=sup,
                ),
                sup,
            )
        )
    if not reached:
        findings.append(
            Finding(
                "target_not_reached",
                "warning",
                message(
                    "After {count} changes the dose is {dose}, short of the target {target}; review the target or the "
                    "step size ({source}).",
                    count=max_steps,
                    dose=fmt(steps[-1].dose),
                    target=fmt(Q_(t, "ug/day")),
                    source=src,
                ),
                src,
            )
        )
    findings.extend(_dose_findings_floats(patient, t, phase, label, N_("target dose")))
    return findings
