"""Checking a proposed dose change against the label's bands, intervals and limits.

For training only, not for treating patients.  Re-exported by :mod:`itbcore.titration`; import from there.
"""

from __future__ import annotations

from ..errors import InputError
from ..i18n import CORE, N_, gettext, localize_number, message
from ..library import soft_findings
from ..patient import Patient, as_patient
from ..sources import (
    DEFAULT_LABEL,
    Finding,
    check_rule_label,
    cite,
    most_severe_first,
)
from ..units import QuantityLike, _fmt_float
from .bands import IncreaseBand, _observed_range_floats, increase_band
from .rules import (
    _EPS,
    _FIRST_DAY_H,
    _INTERVAL_H,
    _LIMITED_EXPERIENCE_UG_DAY,
    _SELECTION,
    _SUPPORTIVE,
    ABRUPT_CUT_BELOW,
    DECREASE_LIMITS,
    PEDIATRIC_INITIAL_MAINTENANCE,
    _daily_float,
    _hours_float,
    _phase,
    _pump,
)

__all__ = ["check_change"]


_PEDIATRIC_INITIAL = PEDIATRIC_INITIAL_MAINTENANCE


def _dose_findings_floats(patient: Patient, m: float, phase: str, label: str, what: str) -> list[Finding]:
    """Notes on a resulting daily dose ``m`` (µg/day): above 1000 µg/day, outside the observed ranges,
    outside the children's initial range, the drug library's soft limits."""
    out: list[Finding] = []
    dose_text = _fmt_float(m, "ug/day")
    name = gettext(what)
    # lionova 4.2; lioresal Dosing: phase of dose selection: limited experience above 1000 µg/day.
    if m > _LIMITED_EXPERIENCE_UG_DAY * (1 + _EPS):
        src = cite(label, _SELECTION[label])
        out.append(
            Finding(
                "above_1000",
                "warning",
                message(
                    "The {name} {dose} is above {limit}, where experience is limited ({source}).",
                    name=name,
                    dose=dose_text,
                    limit=_fmt_float(_LIMITED_EXPERIENCE_UG_DAY, "ug/day"),
                    source=src,
                ),
                src,
            )
        )
    lo, hi, src = _observed_range_floats(patient, label)
    if m > 0 and not lo * (1 - _EPS) <= m <= hi * (1 + _EPS):
        out.append(
            Finding(
                "outside_observed_range",
                "warning",
                CORE.message(
                    N_(
                        "The {name} {dose} lies outside the {low} to {high} reported in long-term use for spinal "
                        "spasticity ({source})."
                    )
                    if patient.origin == "spinal"
                    else N_(
                        "The {name} {dose} lies outside the {low} to {high} reported in long-term use for cerebral "
                        "spasticity ({source})."
                    ),
                    name=name,
                    dose=dose_text,
                    low=_fmt_float(lo, "ug/day"),
                    high=_fmt_float(hi, "ug/day"),
                    source=src,
                ),
                src,
            )
        )
    if phase == "titration" and patient.population == "pediatric" and m > 0:
        plo, phi = _PEDIATRIC_INITIAL[label]
        if not plo * (1 - _EPS) <= m <= phi * (1 + _EPS):
            src = cite(label, _SUPPORTIVE[label])
            out.append(
                Finding(
                    "pediatric_initial_maintenance_range",
                    "info",
                    message(
                        "The {name} {dose} lies outside the initial maintenance range for children 4 to < 18 years, "
                        "{low}–{high} ({source}).",
                        name=name,
                        dose=dose_text,
                        low=plo,
                        high=_fmt_float(phi, "ug/day"),
                        source=src,
                    ),
                    src,
                )
            )
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
    c = _daily_float(current, N_("current daily dose"))
    n = _daily_float(proposed, N_("proposed daily dose"), allow_zero=True)
    started = _hours_float(since_start, N_("time since the infusion started"))
    first_change = since_last_change is None
    last = started if first_change else _hours_float(since_last_change, N_("time since the last change"))
    if last > started * (1 + _EPS):
        raise InputError(
            message(
                "The time since the last change ({last}) is longer than the time since the infusion started "
                "({started}).",
                last=_fmt_float(last, "h"),
                started=_fmt_float(started, "h"),
            )
        )
    # (b) Every rule, on floats; the findings carry no Quantity, so there is nothing to wrap back.
    return _check_change_floats(patient, c, n, started, last, first_change, pump, phase, label, no_effect)


def _check_change_floats(
    patient: Patient,
    c: float,
    n: float,
    started: float,
    last: float,
    first_change: bool,
    pump: str,
    phase: str,
    label: str,
    no_effect: bool,
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
        out.append(
            Finding("no_change", "info", message("The daily dose stays at {dose}.", dose=_fmt_float(c, "ug/day")), sel)
        )
        return out

    if change > 0:
        band = increase_band(patient, phase, label)
        if started < _FIRST_DAY_H * (1 - _EPS):
            # lionova 4.2: no increase in the first 24 h; lioresal Dosing: phase of dose selection.
            out.append(
                Finding(
                    "increase_first_24h",
                    "violation",
                    message(
                        "No increase in the first 24 h of the continuous infusion; it started {time} ago ({source}).",
                        time=_fmt_float(started, "h"),
                        source=sel,
                    ),
                    sel,
                )
            )
        if last < interval * (1 - _EPS) and not (first_change and started < _FIRST_DAY_H * (1 - _EPS)):
            out.append(_too_soon(pump, last, interval, sel, "violation", "change_too_soon"))
        values = {
            "percent": _pct(change * 100),
            "low": _g(band.low * 100),
            "high": _g(band.high * 100),
            "who": _who(patient),
            "source": band.source,
        }
        if change > band.high + _EPS:
            values.update(current=_fmt_float(c, "ug/day"), proposed=_fmt_float(n, "ug/day"))
            template = (
                N_(
                    "An increase of {percent} % ({current} → {proposed}) is above the {low}–{high} % allowed per day "
                    "for {who} in titration ({source})."
                )
                if phase == "titration"
                else N_(
                    "An increase of {percent} % ({current} → {proposed}) is above the {low}–{high} % allowed per day "
                    "for {who} in maintenance ({source})."
                )
            )
            out.append(Finding("increase_above_band", "violation", CORE.message(template, **values), band.source))
        elif change < band.low - _EPS:
            text = message(
                "An increase of {percent} % is smaller than the {low}–{high} % the label names for {who}; allowed, "
                "but titration will be slower ({source}).",
                **values,
            )
            out.append(Finding("increase_below_band", "info", text, band.source))
        else:
            template = (
                N_(
                    "An increase of {percent} % lies within the {low}–{high} % per day for {who} in titration "
                    "({source})."
                )
                if phase == "titration"
                else N_(
                    "An increase of {percent} % lies within the {low}–{high} % per day for {who} in maintenance "
                    "({source})."
                )
            )
            out.append(Finding("increase_within_band", "info", CORE.message(template, **values), band.source))
        if patient.population == "pediatric":
            out.append(Finding("pediatric_band", "info", _pediatric_note(band), band.source))
        if no_effect:
            src = sel if phase == "titration" else sup
            # The mass at the catheter tip: lionova 4.4 "Inflammatorisk masse"; lioresal Special instructions
            # "granuloma on the end of an implanted catheter" (each label's own words and section).
            if label == "lionova":
                mass_src = cite("lionova", "4.4")
                template = N_(
                    "The dose has been raised without added clinical effect: check pump function and catheter "
                    "patency (kink, break, dislodgement) before raising it further, and think of an inflammatory mass "
                    "at the catheter tip, which shows first as a falling response ({source})."
                )
            else:
                mass_src = cite("lioresal", "Special instructions")
                template = N_(
                    "The dose has been raised without added clinical effect: check pump function and catheter "
                    "patency (kink, break, dislodgement) before raising it further, and think of a granuloma at the "
                    "catheter tip, which shows first as a falling response ({source})."
                )
            both = f"{src}; {mass_src}"
            out.append(Finding("check_pump_catheter", "warning", CORE.message(template, source=both), both))
    else:
        drop = -change
        lo, hi = DECREASE_LIMITS
        if n < c * ABRUPT_CUT_BELOW:
            # lionova 4.2 "Seponering av behandling" and 4.4: never stop abruptly, always reduce gradually;
            # lioresal discontinuation.  A cut to near zero at once is an abrupt stop as well.
            src = (
                f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}"
                if label == "lionova"
                else cite("lioresal", "Dosing: discontinuation of treatment")
            )
            if n == 0:
                text = message(
                    "Stopping intrathecal baclofen abruptly risks a life-threatening withdrawal; outside an acute "
                    "overdose reduce the dose gradually ({source}).",
                    source=src,
                )
            else:
                text = message(
                    "Cutting the dose from {current} to {proposed} at once (a fall of {percent} %) is an abrupt "
                    "discontinuation: it risks a life-threatening withdrawal; outside an acute overdose reduce the "
                    "dose gradually ({source}).",
                    current=_fmt_float(c, "ug/day"),
                    proposed=_fmt_float(n, "ug/day"),
                    percent=_pct(drop * 100),
                    source=src,
                )
            out.append(Finding("abrupt_stop", "violation", text, src))
        if last < interval * (1 - _EPS) and not first_change:
            # lionova 4.2: a programmable pump's dose is adjusted ("justeres") once per 24 h, decreases included;
            # lioresal limits only increases ("increased only once for 24 hours").
            severity = "warning" if label == "lionova" else "info"
            out.append(_too_soon(pump, last, interval, sel, severity, "decrease_too_soon"))
        pct = _pct(drop * 100)
        if drop > hi + _EPS:
            text = message(
                "A decrease of {percent} % is larger than the 10–20 % the labels name for side effects; a large fall "
                "risks withdrawal, so reduce in steps unless this is an overdose ({source}).",
                percent=pct,
                source=sup,
            )
            out.append(Finding("decrease_above_band", "warning", text, sup))
        elif drop < lo - _EPS:
            text = message(
                "A decrease of {percent} % is smaller than the 10–20 % the labels name for side effects ({source}).",
                percent=pct,
                source=sup,
            )
            out.append(Finding("decrease_below_band", "info", text, sup))
        else:
            text = message(
                "A decrease of {percent} % lies within the 10–20 % for side effects ({source}).",
                percent=pct,
                source=sup,
            )
            out.append(Finding("decrease_within_band", "info", text, sup))
    out.extend(_dose_findings_floats(patient, n, phase, label, N_("proposed daily dose")))
    return most_severe_first(out)


def _pct(percent: float) -> str:
    """A percentage to three significant digits, as the English messages have always written it (``33.3``)."""
    return localize_number(f"{percent:.3g}")


def _g(percent: float) -> str:
    """A band's end as a percentage (``10``, ``15``)."""
    return localize_number(f"{percent:g}")


#: Who a band is for: (population, origin) -> the words a message names them with.
_WHO = {
    ("adult", "spinal"): N_("adults with spinal spasticity"),
    ("adult", "cerebral"): N_("adults with cerebral spasticity"),
    ("pediatric", "spinal"): N_("children with spinal spasticity"),
    ("pediatric", "cerebral"): N_("children with cerebral spasticity"),
}


def _who(patient: Patient) -> str:
    return gettext(_WHO[(patient.population, patient.origin)])


def _pediatric_note(band: IncreaseBand) -> str:
    values = {"low": _g(band.low * 100), "high": _g(band.high * 100), "source": band.source}
    if band.note:
        return message("Child: the daily increase band is {low}–{high} % ({source}). {note}", note=band.note, **values)
    return message("Child: the daily increase band is {low}–{high} % ({source}).", **values)


def _too_soon(pump: str, last: float, interval: float, src: str, severity: str, code: str) -> Finding:
    """The finding for a change sooner than the pump's interval; ``last`` and ``interval`` in hours."""
    if pump == "programmable":
        text = message(
            "The last change was {time} ago; with a programmable pump the dose is changed at most once per 24 h "
            "({source}).",
            time=_fmt_float(last, "h"),
            source=src,
        )
    else:
        text = message(
            "The last change was {time} ago; with a non-programmable pump whose catheter delivers 1 mL a day "
            "(lioresal: a 76 cm catheter) 48 h are needed to judge the response to a dose ({source}).",
            time=_fmt_float(last, "h"),
            source=src,
        )
    return Finding(code, severity, text, src)  # type: ignore[arg-type]
