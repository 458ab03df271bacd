"""Pump arithmetic: daily volume, refill planning, dilution, concentration choice and safety checks.

Label rules: the concentration needed depends on the daily dose and the pump's infusion rate and reservoir
(lionova 4.2 "Administrasjon"; lioresal Instructions for use of the infusion system; baclorex, the part for
health personnel after section 5: "the pump's minimum infusion rate"); refill intervals must be calculated so
the reservoir never empties (lionova 4.4 "Påfylling"; lioresal Special instructions "Re-fill the infusion pump
reservoir"); the patient is observed for 24 h after a refill (lionova 4.4); injecting into a catheter access
port gives a life-threatening overdose (lionova 4.4; lioresal Special instructions).

Device facts (alarm volume, refill margin, 180-day cap, bridge and priming boluses, the
old-versus-new settings comparison) are practice guidance, cited with
:func:`itbcore.sources.practice`; device settings are entered by the user.

>>> daily_volume("500 ug/day", "2 mg/mL")
<Quantity(0.25, 'milliliter / day')>
>>> plan = refill_plan("20 mL", "2000 ug/mL", "500 ug/day")
>>> plan.days_to_alarm, plan.days_to_empty
(<Quantity(72.0, 'day')>, <Quantity(80.0, 'day')>)
>>> dilution("500 ug/mL", "100 ug/mL", "20 mL").stock_volume
<Quantity(4.0, 'milliliter')>
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import pint

from .errors import DoseLimitError, InputError
from .formulations import DILUENT, PUMP_FORMULATIONS, SCREENING_FORMULATION, check_diluent, is_marketed
from .library import amount, read_amount, read_date, soft_findings
from .sources import Finding, check_rule_label, cite, practice
from .titration import ABRUPT_CUT_BELOW, DECREASE_LIMITS, LARGEST_INCREASE, LIMITED_EXPERIENCE_ABOVE, SPINAL_BAND
from .units import Q_, QuantityLike, _fmt_float, _quantity_maker, fmt

__all__ = [
    "daily_volume",
    "RefillPlan",
    "refill_plan",
    "LIORESAL_STABILITY",
    "MANUFACTURER_REFILL_CAP",
    "PRACTICE_REFILL_MARGIN",
    "Dilution",
    "dilution",
    "ConcentrationOption",
    "ConcentrationChoice",
    "choose_concentration",
    "ResidualCheck",
    "residual_check",
    "expected_residual",
    "BridgeBolus",
    "bridge_bolus",
    "PrimingBolus",
    "priming_bolus",
    "PumpSettings",
    "DELIVERY_MODES",
    "compare_settings",
]

#: lioresal Stability of the drug: stable 11 weeks in a SynchroMed pump.
LIORESAL_STABILITY = Q_(11, "week")
#: Manufacturers cap refill intervals at 180 days (practice guidance, device documentation).
MANUFACTURER_REFILL_CAP = Q_(180, "day")
#: Practice: refill 3 to 5 days before the low-reservoir alarm date.
PRACTICE_REFILL_MARGIN = (Q_(3, "day"), Q_(5, "day"))

_SRC_DEVICE = practice("device documentation")
_SRC_PUMPS = practice("implantable pump documentation and refill practice")
_SRC_INCIDENTS = practice("reported pump incidents")
_SRC_BRIDGE = practice("Neuromodulation 2016, Saulino et al.: bridge and priming boluses")
# lioresal prints its refill paragraph ("Re-fill the infusion pump reservoir") under Special instructions, not
# under Dosing and Administration (tests/itbcore/test_audit_pump_pk.py).
_SRC_REFILL = f"{cite('lionova', '4.4')}; {cite('lioresal', 'Special instructions')}"


def _f(q: pint.Quantity, unit: str) -> pint.Quantity:
    """A float Quantity in ``unit`` (so results print alike whatever the inputs were)."""
    return Q_(float(q.to(unit).magnitude), unit)


def _ratio(a: pint.Quantity, b: pint.Quantity) -> float:
    return float((a / b).to("").magnitude)


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
    dose = amount(daily_dose, "ug/day", "daily dose", "daily_dose", zero_ok=True)
    conc = amount(concentration, "ug/mL", "concentration", "concentration")
    return _f(dose / conc, "mL/day")


# ---------------------------------------------------------------------------------------------- refill
#: What set a refill day (:attr:`RefillPlan.limited_by_code`).
LimitedBy = Literal["alarm_margin", "alarm", "stability", "cap_180"]
#: The one place the display text of each :data:`LimitedBy` code is made (:attr:`RefillPlan.limited_by`).
LIMITED_BY_TEXT: dict[str, str] = {
    "alarm_margin": "alarm margin",
    "alarm": "alarm",
    "stability": "lioresal 11-week stability",
    "cap_180": "manufacturer 180-day cap",
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
        return LIMITED_BY_TEXT[self.limited_by_code]

    @property
    def interval_cap(self) -> tuple[pint.Quantity, str] | None:
        """The cap on the refill interval that bears on this plan, as (days, name), or ``None``.

        Under lioresal the 11-week pump stability (lioresal Stability of the drug); otherwise the
        manufacturers' 180-day cap when it set the refill day or the reservoir would outlast it.
        """
        if self.label == "lioresal":
            return LIORESAL_STABILITY, LIMITED_BY_TEXT["stability"]
        if self.limited_by_code == "cap_180" or self.days_to_empty > MANUFACTURER_REFILL_CAP:
            return MANUFACTURER_REFILL_CAP, LIMITED_BY_TEXT["cap_180"]
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
    reservoir = read_amount(reservoir_volume, "mL", "reservoir volume", "reservoir_volume")
    conc = read_amount(concentration, "ug/mL", "concentration", "concentration")
    dose = read_amount(daily_dose, "ug/day", "daily dose", "daily_dose")
    alarm = read_amount(alarm_volume, "mL", "alarm volume", "alarm_volume")
    margin_days = read_amount(margin, "day", "refill margin", "refill_margin", zero_ok=True)
    start = read_date(fill_date, "fill date")
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
    reservoir: float, conc: float, dose: float, alarm: float, margin: float, label: str,
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
            f"The alarm volume {_fmt_float(alarm, 'mL')} must be below the reservoir volume "
            f"{_fmt_float(reservoir, 'mL')}, or the alarm sounds at once ({_SRC_DEVICE}).",
            name="alarm volume", value=alarm, limit=reservoir, unit="mL", key="alarm_volume", source=_SRC_DEVICE,
        )
    rate = dose / conc  # mL/day
    to_alarm = (reservoir - alarm) / rate  # days
    to_empty = reservoir / rate

    # The drug library's soft limits (its hard limits were checked as each value was read).
    findings: list[Finding] = [
        *soft_findings("reservoir_volume", reservoir, "mL", "reservoir volume", label),
        *soft_findings("concentration", conc, "ug/mL", "concentration", label),
        *soft_findings("daily_dose", dose, "ug/day", "daily dose", label),
        *soft_findings("alarm_volume", alarm, "mL", "alarm volume", label),
    ]
    # lionova 4.2: "Lionova 50 mikrogram/ml er beregnet for administrasjon av en enkelt bolustestdose";
    # lioresal Dosing: initial phase: "To test the dose, a solution with a low concentration of the drug
    # (0.05 mg / ml) is intended."  A pump filled at that strength (or weaker) is worth a second look.
    if conc <= _SCREENING_UG_ML * (1 + 1e-9):
        findings.append(Finding(
            "screening_strength_fill", "warning",
            f"A fill of {_fmt_float(conc, 'ug/mL')} is at the {_fmt_float(_SCREENING_UG_ML, 'ug/mL')} strength or "
            "below it, the solution meant for a single screening test bolus; pumps are filled with 0.5 or 2 mg/mL "
            "or a dilution of them: check that this concentration is what is meant.",
            _SRC_SCREENING_STRENGTH,
        ))
    # lionova 4.4: intervals are calculated so the reservoir never empties; practice: 3-5 days before the alarm.
    wanted = to_alarm - margin
    limited_by: LimitedBy
    if wanted >= 1:
        refill_days, limited_by = math.floor(wanted), "alarm_margin"
    else:
        refill_days, limited_by = max(0, math.floor(to_alarm)), "alarm"
        findings.append(Finding(
            "margin_does_not_fit", "violation",
            f"The alarm is reached after {_fmt_float(to_alarm, 'day')}, which leaves no room for a "
            f"{_fmt_float(margin, 'day')} margin: "
            "use a higher concentration or a larger fill so the reservoir cannot run empty.",
            f"{cite('lionova', '4.4')}; {_SRC_PUMPS}",
        ))
    # lioresal Stability of the drug: 11 weeks in a SynchroMed pump.
    if label == "lioresal" and refill_days > _STABILITY_DAYS:
        refill_days, limited_by = int(_STABILITY_DAYS), "stability"
        findings.append(Finding(
            "stability_cap", "info",
            "Refill within 11 weeks: the solution is stable for 11 weeks in a SynchroMed pump.",
            cite("lioresal", "Stability of the drug"),
        ))
    # Practice guidance (device documentation): manufacturers cap refill intervals at 180 days.
    if refill_days > _CAP180_DAYS:
        refill_days, limited_by = int(_CAP180_DAYS), "cap_180"
        findings.append(Finding(
            "manufacturer_cap", "info", "Refill within 180 days, the manufacturers' cap on refill intervals.",
            _SRC_DEVICE,
        ))
    # Practice guidance: refill 3 to 5 days before the alarm date.
    if not _MARGIN_LO_DAYS <= margin <= _MARGIN_HI_DAYS:
        findings.append(Finding(
            "margin_outside_practice", "info",
            f"A margin of {_fmt_float(margin, 'day')} is outside the usual {_MARGIN_LO_DAYS:g} to "
            f"{_fmt_float(_MARGIN_HI_DAYS, 'day')} before the alarm date.",
            _SRC_PUMPS,
        ))
    # lionova 4.2: the concentration needed depends on the daily dose and the reservoir size.
    if refill_days < 30 and limited_by == "alarm_margin":
        findings.append(Finding(
            "short_interval", "info",
            f"A refill every {refill_days} days is short (usual interval 3 to 4 months, range 1 to 6): the "
            "concentration needed depends on the daily dose and the reservoir size.",
            f"{cite('lionova', '4.2')}; {_SRC_PUMPS}",
        ))
    findings += [
        # lionova 4.4; lioresal Special instructions (re-fill): the reservoir must never empty.
        Finding(
            "never_empty", "info",
            "Keep the refill date: an empty reservoir interrupts delivery and can cause withdrawal; patients "
            "and carers must know the refill dates and the early signs of withdrawal.",
            _SRC_REFILL,
        ),
        # lionova 4.4: observe for 24 h after a refill.
        Finding(
            "observe_after_refill", "warning",
            "Observe the patient for 24 h after the refill, with a doctor quickly available.",
            cite("lionova", "4.4"),
        ),
        # lionova 4.4; lioresal Special instructions (re-fill): catheter access port.
        Finding(
            "catheter_access_port", "warning",
            "Take extreme care with pumps that have a catheter access port: injecting into it delivers straight "
            "into the catheter and can cause a life-threatening overdose.",
            _SRC_REFILL,
        ),
    ]
    if label == "lionova":
        # lionova 6.3 states no stability period in the pump; lioresal Stability of the drug: 11 weeks.
        findings.append(Finding(
            "stability_not_stated", "info",
            "This label states no stability period in the pump (lioresal: 11 weeks in a SynchroMed pump).",
            f"{cite('lionova', '6.3')}; {cite('lioresal', 'Stability of the drug')}",
        ))
    return RefillPlan(
        reservoir_volume=_q_ml(reservoir), alarm_volume=_q_ml(alarm), concentration=_q_ug_ml(conc),
        daily_dose=_q_ug_day(dose), daily_volume=_q_ml_day(rate), days_to_alarm=_q_day(to_alarm),
        days_to_empty=_q_day(to_empty), refill_after=_q_day(refill_days), margin=_q_day(margin),
        fill_date=start, alarm_date=_date_after(start, to_alarm), empty_date=_date_after(start, to_empty),
        refill_date=_date_after(start, refill_days), limited_by_code=limited_by, label=label, findings=tuple(findings),
    )


# ---------------------------------------------------------------------------------------------- dilution
@dataclass(frozen=True)
class Dilution:
    """How to make ``final_volume`` of ``target`` from ``stock`` with sodium chloride 0.9 %.

    Attributes
    ----------
    stock, target : Quantity[µg/mL]
    final_volume, stock_volume, diluent_volume : Quantity[mL]
        ``stock_volume + diluent_volume == final_volume``.
    amount : Quantity[mg]
        Baclofen in the final volume (all of it from the stock).
    diluent : str
        :data:`itbcore.formulations.DILUENT`.
    findings : tuple of Finding
    """

    stock: pint.Quantity
    target: pint.Quantity
    final_volume: pint.Quantity
    stock_volume: pint.Quantity
    diluent_volume: pint.Quantity
    amount: pint.Quantity
    diluent: str
    findings: tuple[Finding, ...]


def dilution(
    stock: QuantityLike,
    target: QuantityLike,
    final_volume: QuantityLike,
    diluent: Any = "sodium chloride 0.9%",
) -> Dilution:
    """Volumes of stock and diluent for a lower concentration.

    Parameters
    ----------
    stock : Quantity or str
        Concentration drawn from (µg/mL), normally 500 or 2000 µg/mL.
    target : Quantity or str
        Concentration wanted (µg/mL), not above ``stock``.
    final_volume : Quantity or str
        Volume to prepare (mL).
    diluent : str
        Must name sodium chloride 0.9 % (see :func:`itbcore.formulations.check_diluent`).

    Returns
    -------
    Dilution

    Raises
    ------
    DiluentError
        For any diluent but sodium chloride 9 mg/mL (0.9 %) (lionova 4.2, 6.6); glucose is
        incompatible (lionova 6.2).
    DoseLimitError
        For a target above the stock (dilution cannot concentrate) or non-positive values.

    Examples
    --------
    >>> d = dilution("2 mg/mL", "1000 ug/mL", "20 mL", diluent="NaCl 0.9%")
    >>> d.stock_volume, d.diluent_volume, d.amount
    (<Quantity(10.0, 'milliliter')>, <Quantity(10.0, 'milliliter')>, <Quantity(20.0, 'milligram')>)
    >>> dilution("500 ug/mL", "100 ug/mL", "20 mL", diluent="dextrose 5%")
    Traceback (most recent call last):
    ...
    itbcore.errors.DiluentError: The diluent 'dextrose 5%' contains glucose, which is incompatible with baclofen
    (lionova 6.2); dilute only with sodium chloride 9 mg/mL (0.9 %) (lionova 6.6).
    """
    name = check_diluent(diluent)
    s = _f(amount(stock, "ug/mL", "stock concentration", "concentration"), "ug/mL")
    t = _f(amount(target, "ug/mL", "target concentration", "concentration"), "ug/mL")
    v = _f(amount(final_volume, "mL", "final volume", "reservoir_volume"), "mL")
    if t > s * (1 + 1e-12):
        raise DoseLimitError(
            f"The target {fmt(t)} is above the stock {fmt(s)}; dilution can only lower a concentration "
            f"({cite('lionova', '6.6')}).",
            name="target concentration", value=float(t.magnitude), limit=float(s.magnitude), unit="ug/mL",
            key="concentration", source=cite("lionova", "6.6"),
        )
    frac = min(1.0, _ratio(t, s))
    stock_volume = Q_(float(v.magnitude) * frac, "mL")
    diluent_volume = Q_(float(v.magnitude) - float(stock_volume.magnitude), "mL")
    findings = [
        Finding("no_mixing", "warning",
                "Never mix baclofen with other injection or infusion solutions; it is incompatible with glucose.",
                cite("lionova", "6.2")),
    ]
    if diluent_volume.magnitude > 0:
        findings += [
            Finding("aseptic", "info", f"Dilute under aseptic conditions with {DILUENT} only.",
                    f"{cite('lionova', '6.6')}; {cite('lioresal', 'Dosing and Administration')}; "
                    f"{cite('baclorex', 'Seyreltme')}"),
            Finding("diluted_within_24h", "warning", "Use the diluted solution within 24 h of preparation.",
                    cite("baclorex", "5")),
        ]
    else:
        findings.append(Finding("no_dilution_needed", "info",
                                "The target equals the stock: no dilution is needed.", cite("lionova", "6.6")))
    if not is_marketed(s):
        findings.append(Finding(
            "stock_not_marketed", "warning",
            f"The stock {fmt(s)} is not a marketed strength (50, 500, 2000 µg/mL); dilute from an ampoule.",
            cite("lionova", "2"),
        ))
    elif math.isclose(float(s.magnitude), float(SCREENING_FORMULATION.concentration.magnitude)):
        findings.append(Finding(
            "screening_strength", "warning",
            "The 50 µg/mL strength is meant for a single test bolus; pumps use 0.5 and 2 mg/mL.",
            cite("lionova", "4.2"),
        ))
    return Dilution(s, t, v, stock_volume, diluent_volume, _f(t * v, "mg"), name, tuple(findings))


# ---------------------------------------------------------------------------------------------- concentration
@dataclass(frozen=True)
class ConcentrationOption:
    """One candidate concentration and whether it fits the pump and the refill interval."""

    concentration: pint.Quantity
    daily_volume: pint.Quantity
    days_to_alarm: pint.Quantity
    needs_dilution: bool
    fits: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ConcentrationChoice:
    """The concentration proposed for a daily dose (see :func:`choose_concentration`).

    Attributes
    ----------
    concentration : Quantity[µg/mL]
        The proposal; when nothing fits, the highest strength (with ``fits`` False).
    daily_volume : Quantity[mL/day]
    days_to_alarm : Quantity[day]
    needs_dilution : bool
        True when the proposal is made by diluting the 500 µg/mL strength.
    fits : bool
        Whether the proposal meets the rate range and the minimum interval.
    options : tuple of ConcentrationOption
        Every candidate considered, with its reasons.
    findings : tuple of Finding
    """

    concentration: pint.Quantity
    daily_volume: pint.Quantity
    days_to_alarm: pint.Quantity
    needs_dilution: bool
    fits: bool
    options: tuple[ConcentrationOption, ...]
    findings: tuple[Finding, ...]


def _floor_2sig(x: float) -> float:
    if x <= 0:
        return 0.0
    e = math.floor(math.log10(x)) - 1
    return float(math.floor(x / 10**e + 1e-9) * 10**e)


def choose_concentration(
    daily_dose: QuantityLike,
    reservoir_volume: QuantityLike = "20 mL",
    min_rate: QuantityLike | None = None,
    max_rate: QuantityLike | None = None,
    min_interval: QuantityLike = "30 day",
    alarm_volume: QuantityLike = "2 mL",
    label: str = "lionova",
) -> ConcentrationChoice:
    """Choose the concentration that gives a deliverable daily volume and a sensible refill interval.

    The lowest pump strength (500 µg/mL, then 2000 µg/mL) whose daily volume lies within the pump's
    rate range and whose time to the alarm is at least ``min_interval`` is proposed; when even
    500 µg/mL gives a daily volume below the pump's minimum rate, a dilution of the 500 µg/mL strength
    (floored to two significant digits) is proposed instead.

    Parameters
    ----------
    daily_dose : Quantity or str
        Daily dose (µg/day).
    reservoir_volume : Quantity or str
        Reservoir volume (practice: 20 or 40 mL pumps).
    min_rate, max_rate : Quantity, str or None
        The pump's programmable rate range (mL/day), a device setting the user enters from the pump's
        manual; ``None`` leaves that side unchecked (a finding says so).
    min_interval : Quantity or str
        Shortest acceptable time to the alarm (practice: usual interval 3 to 4 months, range 1 to 6;
        default 30 days).
    alarm_volume : Quantity or str
        Low-reservoir alarm volume (practice: usually 2 mL).

    Returns
    -------
    ConcentrationChoice

    Examples
    --------
    >>> choose_concentration("100 ug/day").concentration
    <Quantity(500.0, 'microgram / milliliter')>
    >>> choose_concentration("600 ug/day").concentration
    <Quantity(2000.0, 'microgram / milliliter')>
    >>> c = choose_concentration("20 ug/day", min_rate="0.1 mL/day")
    >>> c.concentration, c.needs_dilution
    (<Quantity(200.0, 'microgram / milliliter')>, True)
    """
    label = check_rule_label(label)
    dose = _f(amount(daily_dose, "ug/day", "daily dose", "daily_dose"), "ug/day")
    reservoir = _f(amount(reservoir_volume, "mL", "reservoir volume", "reservoir_volume"), "mL")
    alarm = _f(amount(alarm_volume, "mL", "alarm volume", "alarm_volume"), "mL")
    if alarm >= reservoir:
        raise DoseLimitError(
            f"The alarm volume {fmt(alarm)} must be below the reservoir volume {fmt(reservoir)}, or the alarm sounds "
            f"at once ({_SRC_DEVICE}).",
            name="alarm volume", value=float(alarm.magnitude), limit=float(reservoir.magnitude), unit="mL",
            key="alarm_volume", source=_SRC_DEVICE,
        )
    lo = None if min_rate is None else _f(amount(min_rate, "mL/day", "minimum pump rate", "pump_rate"), "mL/day")
    hi = None if max_rate is None else _f(amount(max_rate, "mL/day", "maximum pump rate", "pump_rate"), "mL/day")
    if lo is not None and hi is not None and lo > hi:
        raise DoseLimitError(f"The minimum pump rate {fmt(lo)} is above the maximum {fmt(hi)}.",
                             name="minimum pump rate", value=float(lo.magnitude), limit=float(hi.magnitude),
                             unit="mL/day", key="pump_rate", source=_SRC_DEVICE)
    interval = _f(amount(min_interval, "day", "minimum refill interval", "time_since_fill", zero_ok=True), "day")
    usable = reservoir - alarm

    def option(conc: pint.Quantity, diluted: bool) -> ConcentrationOption:
        vol = daily_volume(dose, conc)
        days = _f(usable / vol, "day")
        reasons = []
        if lo is not None and vol < lo * (1 - 1e-9):
            reasons.append(f"{fmt(vol)} is below the pump's minimum rate {fmt(lo)}")
        if hi is not None and vol > hi * (1 + 1e-9):
            reasons.append(f"{fmt(vol)} is above the pump's maximum rate {fmt(hi)}")
        if days < interval:
            reasons.append(f"the alarm comes after {fmt(days)}, before {fmt(interval)}")
        return ConcentrationOption(conc, vol, days, diluted, not reasons, tuple(reasons))

    options = [option(_f(f.concentration, "ug/mL"), False) for f in PUMP_FORMULATIONS]
    chosen = next((o for o in options if o.fits), None)
    if chosen is None and lo is not None and options[0].daily_volume < lo:
        # baclorex (health personnel, after section 5): the concentration depends on the daily dose and the
        # pump's minimum infusion rate.
        c = _floor_2sig(float((dose / lo).to("ug/mL").magnitude))
        if c > 0:
            diluted = option(Q_(c, "ug/mL"), True)
            options.insert(0, diluted)
            if diluted.fits:
                chosen = diluted
    findings: list[Finding] = [Finding(
        "concentration_depends", "info",
        "The concentration depends on the daily dose, the pump's infusion rate and the reservoir size; follow the "
        "pump manufacturer's instructions.",
        # lioresal says it under "Instructions for use of the infusion system" (before "The mode of infusion");
        # baclorex in its part for health personnel printed after section 5, before "Seyreltme".
        f"{cite('lionova', '4.2')}; {cite('lioresal', 'Instructions for use of the infusion system')}; "
        f"{cite('baclorex', '5')}",
    )]
    if lo is None or hi is None:
        findings.append(Finding(
            "rate_range_not_entered", "info",
            "The pump's rate range was not entered, so the daily volume was not checked against it; take it from "
            "the pump's manual.", _SRC_DEVICE,
        ))
    fits = chosen is not None
    if chosen is None:
        chosen = options[-1]
        findings.append(Finding(
            "no_concentration_fits", "violation",
            f"No concentration up to {fmt(chosen.concentration)} fits: " + "; ".join(chosen.reasons)
            + ". Consider a larger reservoir, more frequent refills or another pump.",
            f"{cite('lionova', '4.2')}; {_SRC_PUMPS}",
        ))
    if chosen.needs_dilution:
        findings.append(Finding(
            "dilute", "info", f"Make {fmt(chosen.concentration)} by diluting 500 µg/mL with {DILUENT} only.",
            cite("lionova", "6.6"),
        ))
    # A fill that lasts longer than the solution may stay in the pump must be refilled by the cap, not the alarm:
    # lioresal Stability of the drug (11 weeks in a SynchroMed pump); manufacturers cap refills at 180 days.
    lasts = float(chosen.days_to_alarm.magnitude)
    caps = [(_CAP180_DAYS, "the manufacturers' 180-day cap on refill intervals", _SRC_DEVICE)]
    if label == "lioresal":
        caps.insert(0, (_STABILITY_DAYS, "the 11 weeks the solution is stable in a SynchroMed pump",
                        cite("lioresal", "Stability of the drug")))
    for cap_days, what, src in caps:
        if lasts > cap_days:
            findings.append(Finding(
                "outlasts_stability", "warning",
                f"At {fmt(chosen.concentration)} the fill lasts {fmt(chosen.days_to_alarm)} to the alarm, longer "
                f"than {what}: refill within {cap_days:g} days, before the alarm date.", src,
            ))
            break
    else:
        if label == "lionova" and lasts > _STABILITY_DAYS:
            findings.append(Finding(
                "outlasts_stability", "info",
                f"At {fmt(chosen.concentration)} the fill lasts {fmt(chosen.days_to_alarm)}: lionova states no "
                "stability period in the pump, but lioresal gives 11 weeks in a SynchroMed pump.",
                f"{cite('lionova', '6.3')}; {cite('lioresal', 'Stability of the drug')}",
            ))
    return ConcentrationChoice(chosen.concentration, chosen.daily_volume, chosen.days_to_alarm,
                               chosen.needs_dilution, fits, tuple(options), tuple(findings))


# ---------------------------------------------------------------------------------------------- residual
@dataclass(frozen=True)
class ResidualCheck:
    """Comparison of the reservoir volume found at refill with the volume expected.

    ``status`` is ``"ok"`` or ``"discrepancy"``; ``difference`` is found minus expected.
    """

    expected: pint.Quantity
    found: pint.Quantity
    difference: pint.Quantity
    tolerance: pint.Quantity
    status: Literal["ok", "discrepancy"]
    findings: tuple[Finding, ...]


def expected_residual(
    previous_volume: QuantityLike,
    daily_dose: QuantityLike,
    concentration: QuantityLike,
    elapsed: QuantityLike,
) -> pint.Quantity:
    """Volume expected in the reservoir after ``elapsed`` time at the programmed dose.

    Returns zero when the reservoir would have run empty (itself an alarm: withdrawal risk, lionova 4.4).

    Examples
    --------
    >>> expected_residual("20 mL", "500 ug/day", "500 ug/mL", "14 day")
    <Quantity(6.0, 'milliliter')>
    >>> expected_residual("20 mL", "500 ug/day", "500 ug/mL", "30 day")
    <Quantity(0.0, 'milliliter')>
    """
    prev = _f(amount(previous_volume, "mL", "previous volume", "reservoir_volume", zero_ok=True), "mL")
    rate = daily_volume(daily_dose, concentration)
    t = _f(amount(elapsed, "day", "elapsed time", "time_since_fill", zero_ok=True), "day")
    return Q_(max(0.0, float((prev - rate * t).to("mL").magnitude)), "mL")


def residual_check(expected: QuantityLike, found: QuantityLike, tolerance: QuantityLike = "1 mL") -> ResidualCheck:
    """Compare the volume found at refill with the expected residual volume.

    Parameters
    ----------
    expected, found : Quantity or str
        Volumes (mL).
    tolerance : Quantity, str or float
        A volume (``"1 mL"``) or a fraction of the expected volume (``0.2``).

    Returns
    -------
    ResidualCheck
        ``"discrepancy"`` when the difference is larger than the tolerance.  Much more than expected:
        the pump was not delivering, so do not simply refill and restart (overdose risk on restart);
        much less: over-delivery or fluid outside the reservoir (pocket fill).

    Examples
    --------
    >>> residual_check("2 mL", "2.4 mL").status
    'ok'
    >>> r = residual_check("2 mL", "19 mL")
    >>> r.status, [f.code for f in r.findings]
    ('discrepancy', ['pump_not_delivering'])
    """
    exp = _f(amount(expected, "mL", "expected volume", "found_volume", zero_ok=True), "mL")
    got = _f(amount(found, "mL", "volume found", "found_volume", zero_ok=True), "mL")
    if isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool):
        if not (math.isfinite(tolerance) and 0 < tolerance < 1):
            raise InputError(f"A fractional tolerance must lie between 0 and 1, not {tolerance}.")
        tol = Q_(float(exp.magnitude) * tolerance, "mL")
    else:
        tol = _f(amount(tolerance, "mL", "tolerance", "residual_tolerance", zero_ok=True), "mL")
    diff = got - exp
    findings: list[Finding] = []
    if diff > tol:
        findings.append(Finding(
            "pump_not_delivering", "violation",
            f"Found {fmt(got)} where {fmt(exp)} was expected: the pump or catheter was not delivering (withdrawal "
            "risk). Do not simply refill and restart: check pump and catheter first, because restarting can cause "
            "an overdose.",
            f"{cite('lionova', '4.4')}; {_SRC_INCIDENTS}",
        ))
    elif -diff > tol:
        findings.append(Finding(
            "volume_missing", "violation",
            f"Found {fmt(got)} where {fmt(exp)} was expected: possible over-delivery (pump malfunction, watch for "
            "overdose) or a previous fill that went outside the reservoir (pocket fill).",
            f"{cite('lionova', '4.9')}; {_SRC_INCIDENTS}",
        ))
    return ResidualCheck(exp, got, diff, tol, "discrepancy" if findings else "ok", tuple(findings))


# ---------------------------------------------------------------------------------------------- boluses
@dataclass(frozen=True)
class BridgeBolus:
    """The bridge bolus when the concentration changes at refill (practice guidance).

    Attributes
    ----------
    dead_volume : Quantity[µL]
        Pump tubing plus catheter: volume of old solution still to be delivered.
    old_amount : Quantity[µg]
        Baclofen the old solution in the dead volume holds.
    clear_time_new_rate, clear_time_old_rate : Quantity[h]
        Time to push the dead volume out at the new programmed volume rate and at the old one.
    dose_rate_without_bridge : Quantity[µg/day]
        What the patient would get while old solution is pushed at the new rate.
    bolus_volume : Quantity[µL]
    bolus_duration : Quantity[h]
        Bridge bolus: the dead volume delivered at the old volume rate, i.e. at the prescribed dose.
    source : str
    findings : tuple of Finding
    """

    dead_volume: pint.Quantity
    old_amount: pint.Quantity
    clear_time_new_rate: pint.Quantity
    clear_time_old_rate: pint.Quantity
    dose_rate_without_bridge: pint.Quantity
    bolus_volume: pint.Quantity
    bolus_duration: pint.Quantity
    source: str
    findings: tuple[Finding, ...]


def _dead_volume(
    catheter_length: QuantityLike,
    catheter_volume_per_length: QuantityLike,
    pump_tubing_volume: QuantityLike,
) -> pint.Quantity:
    # A catheter of 0 cm is refused where it is entered (the drug library: above zero), never computed with.
    length = amount(catheter_length, "cm", "catheter length", "catheter_length")
    per = amount(catheter_volume_per_length, "uL/cm", "catheter volume per length", "catheter_volume_per_length",
                 zero_ok=True)
    tubing = amount(pump_tubing_volume, "uL", "pump tubing volume", "pump_tubing_volume", zero_ok=True)
    dead = _f(length * per + tubing, "uL")
    if dead.magnitude <= 0:  # unreachable while the library keeps length and volume per cm above zero
        raise DoseLimitError("The tubing and catheter volume 0 µL must be above zero.", name="catheter length",
                             value=float(length.magnitude), limit=0.0, unit="cm", key="catheter_length")
    return dead


def bridge_bolus(
    old_concentration: QuantityLike,
    new_concentration: QuantityLike,
    daily_dose: QuantityLike,
    catheter_length: QuantityLike,
    catheter_volume_per_length: QuantityLike,
    pump_tubing_volume: QuantityLike,
) -> BridgeBolus:
    """Bridge bolus that pushes the old solution out of tubing and catheter at the old rate.

    Parameters
    ----------
    old_concentration, new_concentration : Quantity or str
        Concentrations before and after the refill (µg/mL).
    daily_dose : Quantity or str
        Prescribed daily dose (µg/day), the same before and after.
    catheter_length : Quantity or str
        Catheter length (cm), from the implant record.
    catheter_volume_per_length : Quantity or str
        Catheter volume per length (µL/cm), from the catheter's documentation.
    pump_tubing_volume : Quantity or str
        The pump's internal tubing volume (µL), from the pump's documentation.

    Returns
    -------
    BridgeBolus

    Examples
    --------
    >>> b = bridge_bolus("500 ug/mL", "2000 ug/mL", "480 ug/day", "50 cm", "2 uL/cm", "100 uL")
    >>> b.dead_volume, b.old_amount, b.bolus_duration
    (<Quantity(200.0, 'microliter')>, <Quantity(100.0, 'microgram')>, <Quantity(5.0, 'hour')>)
    >>> b.clear_time_new_rate, b.dose_rate_without_bridge
    (<Quantity(20.0, 'hour')>, <Quantity(120.0, 'microgram / day')>)
    """
    old = _f(amount(old_concentration, "ug/mL", "old concentration", "concentration"), "ug/mL")
    new = _f(amount(new_concentration, "ug/mL", "new concentration", "concentration"), "ug/mL")
    dose = _f(amount(daily_dose, "ug/day", "daily dose", "daily_dose"), "ug/day")
    dead = _dead_volume(catheter_length, catheter_volume_per_length, pump_tubing_volume)
    old_rate = dose / old
    new_rate = dose / new
    t_new = _f(dead / new_rate, "h")
    t_old = _f(dead / old_rate, "h")
    without = _f(new_rate * old, "ug/day")
    findings: list[Finding] = []
    same = math.isclose(float(old.magnitude), float(new.magnitude), rel_tol=1e-9)
    if same:
        findings.append(Finding("no_bridge_needed", "info",
                                "The concentration is unchanged: no bridge bolus is needed.", _SRC_BRIDGE))
        bolus_volume, duration = Q_(0.0, "uL"), Q_(0.0, "h")
    else:
        bolus_volume, duration = dead, t_old
        kind = "under-dose (withdrawal risk)" if new > old else "overdose"
        findings.append(Finding(
            "bridge_needed", "warning",
            f"Without a bridge bolus the old {fmt(old)} solution would run at the new volume rate for {fmt(t_new)}, "
            f"giving {fmt(without)} instead of {fmt(dose)}: an {kind}. Program a bridge bolus of {fmt(dead)} over "
            f"{fmt(t_old)}.",
            _SRC_BRIDGE,
        ))
    findings.append(Finding(
        "device_values", "info",
        "Tubing and catheter volumes are device values: take them from the pump and catheter documentation and "
        "the implant record; the pump programmer's own calculation prevails.",
        _SRC_DEVICE,
    ))
    return BridgeBolus(dead, _f(dead * old, "ug"), t_new, t_old, without, _f(bolus_volume, "uL"),
                       _f(duration, "h"), _SRC_BRIDGE, tuple(findings))


@dataclass(frozen=True)
class PrimingBolus:
    """Priming bolus that fills tubing and catheter of a new pump (practice guidance)."""

    volume: pint.Quantity
    amount_in_line: pint.Quantity
    source: str
    findings: tuple[Finding, ...]


def priming_bolus(
    concentration: QuantityLike,
    catheter_length: QuantityLike,
    catheter_volume_per_length: QuantityLike,
    pump_tubing_volume: QuantityLike,
) -> PrimingBolus:
    """Priming bolus for a new pump: the volume that fills pump tubing and catheter.

    Examples
    --------
    >>> p = priming_bolus("500 ug/mL", "50 cm", "2 uL/cm", "100 uL")
    >>> p.volume, p.amount_in_line
    (<Quantity(200.0, 'microliter')>, <Quantity(100.0, 'microgram')>)
    """
    conc = _f(amount(concentration, "ug/mL", "concentration", "concentration"), "ug/mL")
    dead = _dead_volume(catheter_length, catheter_volume_per_length, pump_tubing_volume)
    findings = (
        Finding("prime_exactly", "warning",
                f"Prime with {fmt(dead)}, no more: solution beyond the tubing and catheter volume reaches the CSF "
                f"as a bolus ({fmt(conc)} × each extra µL).", _SRC_BRIDGE),
        Finding("device_values", "info",
                "Tubing and catheter volumes are device values: take them from the documentation and the implant "
                "record; the pump programmer's own calculation prevails.", _SRC_DEVICE),
    )
    return PrimingBolus(dead, _f(dead * conc, "ug"), _SRC_BRIDGE, findings)


# ---------------------------------------------------------------------------------------------- settings
#: Delivery modes (practice guidance: simple continuous, flex, scheduled boluses).
DELIVERY_MODES = ("simple continuous", "flex", "scheduled bolus")


@dataclass(frozen=True)
class PumpSettings:
    """Settings programmed into a pump: concentration, daily dose and delivery mode.

    Examples
    --------
    >>> PumpSettings("2 mg/mL", "500 ug/day").daily_volume
    <Quantity(0.25, 'milliliter / day')>
    """

    #: Concentration in the reservoir (µg/mL), within the drug library's hard range.
    concentration: pint.Quantity
    #: Programmed daily dose (µg/day); zero is allowed (a pump set to its minimum rate).
    daily_dose: pint.Quantity
    #: One of :data:`DELIVERY_MODES`.
    mode: str = "simple continuous"

    def __post_init__(self) -> None:
        object.__setattr__(self, "concentration", _f(amount(self.concentration, "ug/mL", "concentration",
                                                               "concentration"), "ug/mL"))
        object.__setattr__(self, "daily_dose", _f(amount(self.daily_dose, "ug/day", "daily dose", "daily_dose",
                                                         zero_ok=True), "ug/day"))
        if self.mode not in DELIVERY_MODES:
            raise InputError(
                f"The delivery mode {self.mode!r} is not known; choose one of: {', '.join(DELIVERY_MODES)}."
            )

    @property
    def daily_volume(self) -> pint.Quantity:
        """Volume delivered per day (mL/day)."""
        return daily_volume(self.daily_dose, self.concentration)


def _change(what: str, old: pint.Quantity, new: pint.Quantity, unit: str, code: str, source: str) -> list[Finding]:
    a, b = float(old.to(unit).magnitude), float(new.to(unit).magnitude)
    if a == 0 and b == 0:
        return []
    if a == 0 or b == 0:
        return [Finding(f"{code}_to_or_from_zero", "warning",
                        f"The {what} changes from {fmt(old, unit)} to {fmt(new, unit)}.", source)]
    r = b / a
    big = max(r, 1 / r)
    if math.isclose(big, 1000.0, rel_tol=0.02):
        return [Finding(f"{code}_mg_ug_slip", "violation",
                        f"The {what} changes {round(big)}-fold ({fmt(old, unit)} → {fmt(new, unit)}): a mg/µg "
                        "slip? Check the units before programming.", source)]
    if big >= 10:
        return [Finding(f"{code}_tenfold", "violation",
                        f"The {what} changes {big:.3g}-fold ({fmt(old, unit)} → {fmt(new, unit)}): an order of "
                        "magnitude; check for a decimal-point or unit error.", source)]
    if big >= 2:
        return [Finding(f"{code}_twofold", "warning",
                        f"The {what} changes {big:.3g}-fold ({fmt(old, unit)} → {fmt(new, unit)}).", source)]
    return []


def compare_settings(old: PumpSettings, new: PumpSettings) -> list[Finding]:
    """Compare old and new pump settings before programming (side-by-side check, practice guidance).

    Flags two-fold (warning) and ten-fold (violation) changes of the daily dose, the concentration and the daily
    volume, 1000-fold changes as mg/µg slips, a dose increase above the largest daily increase a label allows (30
    %, lionova 4.2) and a changed concentration (a bridge bolus is needed, practice guidance); after any change of
    the concentration or of the rate, the patient is followed closely until stable (lionova 4.4; lioresal Special
    instructions).

    Examples
    --------
    >>> old = PumpSettings("500 ug/mL", "400 ug/day")
    >>> [f.code for f in compare_settings(old, PumpSettings("500 ug/mL", "440 ug/day"))]
    ['monitor_until_stable']
    >>> [f.code for f in compare_settings(old, old)]
    []
    >>> [f.code for f in compare_settings(PumpSettings("500 ug/mL", "2 ug/day"), PumpSettings("500 ug/mL", "2 mg/day"))]
    ['dose_mg_ug_slip', 'daily_volume_mg_ug_slip', 'dose_increase_above_label', 'above_1000', 'monitor_until_stable']
    >>> PumpSettings("500 ug/mL", "400 mg/day")  # past the drug library's hard limit: refused where it is entered
    Traceback (most recent call last):
    ...
    itbcore.errors.DoseLimitError: The daily dose 400000 µg/day is above the hard limit of 3000 µg/day (...): 1000
    times 400 µg/day — was mg written for µg?
    """
    if not isinstance(old, PumpSettings) or not isinstance(new, PumpSettings):
        raise InputError("compare_settings needs two PumpSettings (old, new).")
    src = f"{_SRC_DEVICE}; {_SRC_INCIDENTS}"
    out: list[Finding] = []
    out += _change("daily dose", old.daily_dose, new.daily_dose, "ug/day", "dose", src)
    out += _change("concentration", old.concentration, new.concentration, "ug/mL", "concentration", src)
    out += _change("daily volume", old.daily_volume, new.daily_volume, "mL/day", "daily_volume", src)
    # The same change gets the same severity as in titration.check_change: an increase beyond every label
    # band and a cut to near zero are violations, a decrease beyond 20 % a warning (lionova 4.2, 4.4).
    label_src = f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: supportive therapy')}"
    o, n = float(old.daily_dose.magnitude), float(new.daily_dose.magnitude)
    if o > 0 and n > o * (1 + LARGEST_INCREASE) * (1 + 1e-9):
        out.append(Finding(
            "dose_increase_above_label", "violation",
            f"The dose rises by {100 * (n / o - 1):.0f} %, more than the largest daily increase any label band "
            f"allows (spinal origin: {SPINAL_BAND[0] * 100:g} to {SPINAL_BAND[1] * 100:g} % per 24 h).",
            label_src,
        ))
    if o > 0 and n < o * ABRUPT_CUT_BELOW:
        out.append(Finding(
            "abrupt_stop", "violation",
            f"The dose falls from {fmt(old.daily_dose)} to {fmt(new.daily_dose)} at once: an abrupt discontinuation "
            "risks a life-threatening withdrawal; reduce gradually unless this is an overdose.",
            f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}",
        ))
    if o > 0 and n < o * (1 - DECREASE_LIMITS[1]) * (1 - 1e-9):
        out.append(Finding(
            "decrease_above_band", "warning",
            f"The dose falls by {100 * (1 - n / o):.0f} %, more than the {DECREASE_LIMITS[0] * 100:g}–"
            f"{DECREASE_LIMITS[1] * 100:g} % the labels name for side effects; reduce in steps.",
            label_src,
        ))
    # A concentration above the highest strength (2000 µg/mL, lionova 2) never gets here: PumpSettings refuses it
    # where it is entered (the drug library's hard limit, which a local library may narrow but never widen).
    if not math.isclose(float(old.concentration.magnitude), float(new.concentration.magnitude), rel_tol=1e-9):
        out.append(Finding(
            "concentration_changed", "warning",
            "The concentration changes: confirm the pump is programmed for the solution actually filled, and "
            "program a bridge bolus for the old solution in tubing and catheter.",
            f"{_SRC_BRIDGE}; {_SRC_INCIDENTS}",
        ))
    if new.daily_dose > LIMITED_EXPERIENCE_ABOVE and not old.daily_dose > LIMITED_EXPERIENCE_ABOVE:
        out.append(Finding("above_1000", "warning",
                           f"There is limited experience with doses above {fmt(LIMITED_EXPERIENCE_ABOVE)}.",
                           f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: phase of dose selection')}"))
    if old.mode != new.mode:
        out.append(Finding("mode_changed", "info", f"The delivery mode changes from {old.mode} to {new.mode}.",
                           _SRC_DEVICE))
    # lionova 4.4: "ved endring i konsentrasjonen av baklofen eller infusjonshastigheten, må pasienten følges nøye
    # inntil tilstanden er stabil"; lioresal Special instructions: "every time the dosing rate and / or the
    # concentration of baclofen in the pump reservoir changes" (tests/itbcore/test_rule_quotes.py finds both).
    rate_changed = not math.isclose(float(old.daily_volume.to("mL/day").magnitude),
                                    float(new.daily_volume.to("mL/day").magnitude), rel_tol=1e-9)
    conc_changed = not math.isclose(float(old.concentration.magnitude), float(new.concentration.magnitude),
                                    rel_tol=1e-9)
    if rate_changed or conc_changed:
        what = " and ".join(w for w, c in (("concentration", conc_changed), ("infusion rate", rate_changed)) if c)
        out.append(Finding(
            "monitor_until_stable", "info",
            f"The {what} changes: follow the patient closely until the condition is stable.",
            f"{cite('lionova', '4.4')}; {cite('lioresal', 'Special instructions')}",
        ))
    return out

