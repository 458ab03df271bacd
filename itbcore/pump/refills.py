"""Daily volume and refill planning: when the alarm sounds, when the reservoir empties, when to refill.

Re-exported by :mod:`itbcore.pump`; import from there.

For training only, not for treating patients.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import pint

from ..errors import DoseLimitError
from ..formulations import SCREENING_FORMULATION
from ..i18n import N_, gettext, message
from ..library import amount, read_amount, read_date, soft_findings
from ..sources import Finding, check_rule_label, cite
from ..units import Q_, QuantityLike, _fmt_float, _quantity_maker
from ._shared import _SRC_DEVICE, _SRC_PUMPS, _SRC_REFILL, _f

__all__ = [
    "daily_volume",
    "RefillPlan",
    "refill_plan",
    "LIORESAL_STABILITY",
    "MANUFACTURER_REFILL_CAP",
    "PRACTICE_REFILL_MARGIN",
    "LimitedBy",
    "LIMITED_BY_TEXT",
]


#: lioresal Stability of the drug: stable 11 weeks in a SynchroMed pump.
LIORESAL_STABILITY = Q_(11, "week")
#: Manufacturers cap refill intervals at 180 days (practice guidance, device documentation).
MANUFACTURER_REFILL_CAP = Q_(180, "day")
#: Practice: refill 3 to 5 days before the low-reservoir alarm date.
PRACTICE_REFILL_MARGIN = (Q_(3, "day"), Q_(5, "day"))


def daily_volume(daily_dose: QuantityLike, concentration: QuantityLike) -> pint.Quantity:
    """Volume the pump delivers per day for this daily dose at this concentration.

    Parameters
    ----------
    daily_dose : Quantity or str
        Daily dose (µg/day or mg/day); zero is allowed (a pump programmed to stop).
    concentration : Quantity or str
        Concentration in the reservoir (µg/mL or mg/mL), above zero.

    Returns
    -------
    Quantity[mL/day]

    Examples
    --------
    >>> daily_volume("0.5 mg/day", "500 ug/mL")
    <Quantity(1.0, 'milliliter / day')>
    >>> daily_volume("500 ug/day", "0 ug/mL")
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: The concentration 0 µg/mL must be above zero.
    """
    dose = amount(daily_dose, "ug/day", gettext("daily dose"), "daily_dose", zero_ok=True)
    conc = amount(concentration, "ug/mL", gettext("concentration"), "concentration")
    return _f(dose / conc, "mL/day")


# ---------------------------------------------------------------------------------------------- refill
#: What set a refill day (:attr:`RefillPlan.limited_by_code`).
LimitedBy = Literal["alarm_margin", "alarm", "stability", "cap_180"]
#: The one place the display text of each :data:`LimitedBy` code is made (:attr:`RefillPlan.limited_by`), in
#: English (marked for the catalogues; shown through :func:`itbcore.i18n.gettext`).
LIMITED_BY_TEXT: dict[str, str] = {
    "alarm_margin": N_("alarm margin"),
    "alarm": N_("alarm"),
    "stability": N_("lioresal 11-week stability"),
    "cap_180": N_("manufacturer 180-day cap"),
}


@dataclass(frozen=True)
class RefillPlan:
    """When a pump reaches its low-reservoir alarm, when it would empty, and when to refill.

    Attributes
    ----------
    reservoir_volume, alarm_volume : Quantity[mL]
    concentration : Quantity[µg/mL]
    daily_dose : Quantity[µg/day]
    daily_volume : Quantity[mL/day]
    days_to_alarm, days_to_empty : Quantity[day]
        Exact times from the fill until the alarm volume is reached and until the reservoir is empty.
    refill_after : Quantity[day]
        Recommended whole days from the fill to the refill.
    fill_date, alarm_date, empty_date, refill_date : datetime.date or None
        Calendar dates (the day on which the event falls), ``None`` when no ``fill_date`` was given.
    limited_by_code : str
        What set the refill day, as a code for branches: ``"alarm_margin"``, ``"alarm"`` (the margin did not
        fit), ``"stability"`` (lioresal's 11 weeks) or ``"cap_180"`` (the manufacturers' cap).  Its display
        text is :attr:`limited_by`.
    label : str
    findings : tuple of Finding
    """

    reservoir_volume: pint.Quantity
    alarm_volume: pint.Quantity
    concentration: pint.Quantity
    daily_dose: pint.Quantity
    daily_volume: pint.Quantity
    days_to_alarm: pint.Quantity
    days_to_empty: pint.Quantity
    refill_after: pint.Quantity
    margin: pint.Quantity
    fill_date: _dt.date | None
    alarm_date: _dt.date | None
    empty_date: _dt.date | None
    refill_date: _dt.date | None
    limited_by_code: LimitedBy
    label: str
    findings: tuple[Finding, ...]

    @property
    def limited_by(self) -> str:
        """What set the refill day, as display text (made from :attr:`limited_by_code`; branch on the code).

        >>> refill_plan("20 mL", "500 ug/mL", "100 ug/day", label="lioresal").limited_by
        'lioresal 11-week stability'
        """
        return gettext(LIMITED_BY_TEXT[self.limited_by_code])

    @property
    def interval_cap(self) -> tuple[pint.Quantity, str] | None:
        """The cap on the refill interval that bears on this plan, as (days, name), or ``None``.

        Under lioresal the 11-week pump stability (lioresal Stability of the drug); otherwise the
        manufacturers' 180-day cap when it set the refill day or the reservoir would outlast it.
        """
        if self.label == "lioresal":
            return LIORESAL_STABILITY, gettext(LIMITED_BY_TEXT["stability"])
        if self.limited_by_code == "cap_180" or self.days_to_empty > MANUFACTURER_REFILL_CAP:
            return MANUFACTURER_REFILL_CAP, gettext(LIMITED_BY_TEXT["cap_180"])
        return None


def _date_after(start: _dt.date | None, days: float) -> _dt.date | None:
    if start is None:
        return None
    try:
        return start + _dt.timedelta(days=math.floor(days))
    except OverflowError:
        return None


# The result units of refill_plan, parsed once.
_q_ml, _q_ug_ml, _q_ug_day, _q_ml_day, _q_day = map(_quantity_maker, ["mL", "ug/mL", "ug/day", "mL/day", "day"])


def refill_plan(
    reservoir_volume: QuantityLike,
    concentration: QuantityLike,
    daily_dose: QuantityLike,
    alarm_volume: QuantityLike = "2 mL",
    fill_date: Any = None,
    margin: QuantityLike = "4 day",
    label: str = "lionova",
) -> RefillPlan:
    """Plan the next refill so the reservoir never empties.

    Parameters
    ----------
    reservoir_volume : Quantity or str
        Volume in the reservoir after this fill (mL).
    concentration : Quantity or str
        Concentration filled (µg/mL).
    daily_dose : Quantity or str
        Programmed daily dose (µg/day).
    alarm_volume : Quantity or str
        Low-reservoir alarm volume, a device setting (practice: usually 2 mL).
    fill_date : datetime.date, 'YYYY-MM-DD' or None
        Date of this fill; ``None`` leaves all dates ``None`` (days counted from the fill).
    margin : Quantity or str
        How long before the alarm date to refill (practice: 3 to 5 days).
    label : {"lionova", "lioresal"}
        Under ``"lioresal"`` the refill is also capped at the 11-week pump stability
        (lioresal Stability of the drug); lionova states no stability period in the pump.

    Returns
    -------
    RefillPlan

    Raises
    ------
    DoseLimitError
        For a non-positive reservoir, concentration, dose or alarm volume, a negative margin,
        or an alarm volume not below the reservoir volume.

    Notes
    -----
    The refill day is the alarm day minus the margin, floored to whole days, and never later than
    the alarm; then capped at 11 weeks (lioresal) and at the manufacturers' 180 days (practice).

    Examples
    --------
    >>> import datetime
    >>> plan = refill_plan("20 mL", "500 ug/mL", "100 ug/day", fill_date=datetime.date(2024, 1, 1))
    >>> plan.days_to_alarm, plan.refill_after, plan.limited_by
    (<Quantity(90.0, 'day')>, <Quantity(86, 'day')>, 'alarm margin')
    >>> plan.alarm_date, plan.refill_date
    (datetime.date(2024, 3, 31), datetime.date(2024, 3, 27))
    >>> refill_plan("20 mL", "500 ug/mL", "100 ug/day", label="lioresal").refill_after
    <Quantity(77, 'day')>
    """
    # (a) The unit boundary: read and check every argument, once, into a float in a canonical unit.
    label = check_rule_label(label)
    reservoir = read_amount(reservoir_volume, "mL", gettext("reservoir volume"), "reservoir_volume")
    conc = read_amount(concentration, "ug/mL", gettext("concentration"), "concentration")
    dose = read_amount(daily_dose, "ug/day", gettext("daily dose"), "daily_dose")
    alarm = read_amount(alarm_volume, "mL", gettext("alarm volume"), "alarm_volume")
    margin_days = read_amount(margin, "day", gettext("refill margin"), "refill_margin", zero_ok=True)
    start = read_date(fill_date, gettext("fill date"))
    # (b) Every rule and the dates on those floats; the results as Quantities again.
    return _refill_plan_floats(reservoir, conc, dose, alarm, margin_days, label, start)


#: The screening strength, 50 µg/mL (lionova 4.2; lioresal Dosing: initial phase), as a plain µg/mL.
_SCREENING_UG_ML = float(SCREENING_FORMULATION.concentration.to("ug/mL").magnitude)
_SRC_SCREENING_STRENGTH = f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: initial phase')}"
#: The caps of :func:`refill_plan` as plain days (the kernel's canonical unit).
_STABILITY_DAYS = float(LIORESAL_STABILITY.to("day").magnitude)
_CAP180_DAYS = float(MANUFACTURER_REFILL_CAP.to("day").magnitude)
_MARGIN_LO_DAYS, _MARGIN_HI_DAYS = (float(q.to("day").magnitude) for q in PRACTICE_REFILL_MARGIN)


def _refill_plan_floats(
    reservoir: float,
    conc: float,
    dose: float,
    alarm: float,
    margin: float,
    label: str,
    start: _dt.date | None = None,
) -> RefillPlan:
    """:func:`refill_plan` after its unit boundary: every rule, on plain floats in canonical units.

    ``reservoir`` and ``alarm`` in mL, ``conc`` in µg/mL, ``dose`` in µg/day, ``margin`` in days, all
    already checked (positive; the margin not negative); ``label`` already checked; ``start`` the fill
    date or ``None``.  Returns the same :class:`RefillPlan` as :func:`refill_plan` (the one
    implementation of its rules; the public call only reads its arguments).  Raises
    :class:`DoseLimitError` for an alarm volume not below the reservoir.
    """
    if alarm >= reservoir:
        raise DoseLimitError(
            message(
                "The alarm volume {alarm} must be below the reservoir volume {reservoir}, or the alarm "
                "sounds at once ({source}).",
                alarm=_fmt_float(alarm, "mL"),
                reservoir=_fmt_float(reservoir, "mL"),
                source=_SRC_DEVICE,
            ),
            name="alarm volume",
            value=alarm,
            limit=reservoir,
            unit="mL",
            key="alarm_volume",
            source=_SRC_DEVICE,
        )
    rate = dose / conc  # mL/day
    to_alarm = (reservoir - alarm) / rate  # days
    to_empty = reservoir / rate

    # The drug library's soft limits (its hard limits were checked as each value was read).
    findings: list[Finding] = [
        *soft_findings("reservoir_volume", reservoir, "mL", gettext("reservoir volume"), label),
        *soft_findings("concentration", conc, "ug/mL", gettext("concentration"), label),
        *soft_findings("daily_dose", dose, "ug/day", gettext("daily dose"), label),
        *soft_findings("alarm_volume", alarm, "mL", gettext("alarm volume"), label),
    ]
    # lionova 4.2: "Lionova 50 mikrogram/ml er beregnet for administrasjon av en enkelt bolustestdose";
    # lioresal Dosing: initial phase: "To test the dose, a solution with a low concentration of the drug
    # (0.05 mg / ml) is intended."  A pump filled at that strength (or weaker) is worth a second look.
    if conc <= _SCREENING_UG_ML * (1 + 1e-9):
        findings.append(
            Finding(
                "screening_strength_fill",
                "warning",
                message(
                    "A fill of {conc} is at the {screening_ug_ml} strength or below it, the solution meant "
                    "for a single screening test bolus; pumps are filled with 0.5 or 2 mg/mL or a dilution "
                    "of them: check that this concentration is what is meant.",
                    conc=_fmt_float(conc, "ug/mL"),
                    screening_ug_ml=_fmt_float(_SCREENING_UG_ML, "ug/mL"),
                ),
                _SRC_SCREENING_STRENGTH,
            )
        )
    # lionova 4.4: intervals are calculated so the reservoir never empties; practice: 3-5 days before the alarm.
    wanted = to_alarm - margin
    limited_by: LimitedBy
    if wanted >= 1:
        refill_days, limited_by = math.floor(wanted), "alarm_margin"
    else:
        refill_days, limited_by = max(0, math.floor(to_alarm)), "alarm"
        findings.append(
            Finding(
                "margin_does_not_fit",
                "violation",
                message(
                    "The alarm is reached after {to_alarm}, which leaves no room for a {margin} margin: use "
                    "a higher concentration or a larger fill so the reservoir cannot run empty.",
                    to_alarm=_fmt_float(to_alarm, "day"),
                    margin=_fmt_float(margin, "day"),
                ),
                f"{cite('lionova', '4.4')}; {_SRC_PUMPS}",
            )
        )
    # lioresal Stability of the drug: 11 weeks in a SynchroMed pump.
    if label == "lioresal" and refill_days > _STABILITY_DAYS:
        refill_days, limited_by = int(_STABILITY_DAYS), "stability"
        findings.append(
            Finding(
                "stability_cap",
                "info",
                gettext("Refill within 11 weeks: the solution is stable for 11 weeks in a SynchroMed pump."),
                cite("lioresal", "Stability of the drug"),
            )
        )
    # Practice guidance (device documentation): manufacturers cap refill intervals at 180 days.
    if refill_days > _CAP180_DAYS:
        refill_days, limited_by = int(_CAP180_DAYS), "cap_180"
        findings.append(
            Finding(
                "manufacturer_cap",
                "info",
                gettext("Refill within 180 days, the manufacturers' cap on refill intervals."),
                _SRC_DEVICE,
            )
        )
    # Practice guidance: refill 3 to 5 days before the alarm date.
    if not _MARGIN_LO_DAYS <= margin <= _MARGIN_HI_DAYS:
        findings.append(
            Finding(
                "margin_outside_practice",
                "info",
                message(
                    "A margin of {margin} is outside the usual {margin_lo_days} to {margin_hi_days} before "
                    "the alarm date.",
                    margin=_fmt_float(margin, "day"),
                    margin_lo_days=float(_MARGIN_LO_DAYS),
                    margin_hi_days=_fmt_float(_MARGIN_HI_DAYS, "day"),
                ),
                _SRC_PUMPS,
            )
        )
    # lionova 4.2: the concentration needed depends on the daily dose and the reservoir size.
    if refill_days < 30 and limited_by == "alarm_margin":
        findings.append(
            Finding(
                "short_interval",
                "info",
                message(
                    "A refill every {refill_days} days is short (usual interval 3 to 4 months, range 1 to "
                    "6): the concentration needed depends on the daily dose and the reservoir size.",
                    refill_days=refill_days,
                ),
                f"{cite('lionova', '4.2')}; {_SRC_PUMPS}",
            )
        )
    findings += [
        # lionova 4.4; lioresal Special instructions (re-fill): the reservoir must never empty.
        Finding(
            "never_empty",
            "info",
            gettext(
                "Keep the refill date: an empty reservoir interrupts delivery and can cause withdrawal; "
                "patients and carers must know the refill dates and the early signs of withdrawal."
            ),
            _SRC_REFILL,
        ),
        # lionova 4.4: observe for 24 h after a refill.
        Finding(
            "observe_after_refill",
            "warning",
            gettext("Observe the patient for 24 h after the refill, with a doctor quickly available."),
            cite("lionova", "4.4"),
        ),
        # lionova 4.4; lioresal Special instructions (re-fill): catheter access port.
        Finding(
            "catheter_access_port",
            "warning",
            gettext(
                "Take extreme care with pumps that have a catheter access port: injecting into it "
                "delivers straight into the catheter and can cause a life-threatening overdose."
            ),
            _SRC_REFILL,
        ),
    ]
    if label == "lionova":
        # lionova 6.3 states no stability period in the pump; lioresal Stability of the drug: 11 weeks.
        findings.append(
            Finding(
                "stability_not_stated",
                "info",
                gettext("This label states no stability period in the pump (lioresal: 11 weeks in a SynchroMed pump)."),
                f"{cite('lionova', '6.3')}; {cite('lioresal', 'Stability of the drug')}",
            )
        )
    return RefillPlan(
        reservoir_volume=_q_ml(reservoir),
        alarm_volume=_q_ml(alarm),
        concentration=_q_ug_ml(conc),
        daily_dose=_q_ug_day(dose),
        daily_volume=_q_ml_day(rate),
        days_to_alarm=_q_day(to_alarm),
        days_to_empty=_q_day(to_empty),
        refill_after=_q_day(refill_days),
        margin=_q_day(margin),
        fill_date=start,
        alarm_date=_date_after(start, to_alarm),
        empty_date=_date_after(start, to_empty),
        refill_date=_date_after(start, refill_days),
        limited_by_code=limited_by,
        label=label,
        findings=tuple(findings),
    )
