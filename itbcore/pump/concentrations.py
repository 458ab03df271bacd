"""Choosing a concentration (and fill) for a daily dose, a pump's rates and its reservoir.

Re-exported by :mod:`itbcore.pump`; import from there.

For training only, not for treating patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from ..errors import DoseLimitError
from ..formulations import DILUENT, PUMP_FORMULATIONS
from ..i18n import CORE, N_, gettext, message
from ..library import amount
from ..sources import Finding, check_rule_label, cite
from ..units import Q_, QuantityLike, fmt
from ._shared import _SRC_DEVICE, _SRC_PUMPS, _f
from .refills import _CAP180_DAYS, _STABILITY_DAYS, daily_volume

__all__ = ["ConcentrationOption", "ConcentrationChoice", "choose_concentration"]


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
    dose = _f(amount(daily_dose, "ug/day", gettext("daily dose"), "daily_dose"), "ug/day")
    reservoir = _f(amount(reservoir_volume, "mL", gettext("reservoir volume"), "reservoir_volume"), "mL")
    alarm = _f(amount(alarm_volume, "mL", gettext("alarm volume"), "alarm_volume"), "mL")
    if alarm >= reservoir:
        raise DoseLimitError(
            message(
                "The alarm volume {alarm} must be below the reservoir volume {reservoir}, or the alarm "
                "sounds at once ({source}).",
                alarm=fmt(alarm),
                reservoir=fmt(reservoir),
                source=_SRC_DEVICE,
            ),
            name="alarm volume",
            value=float(alarm.magnitude),
            limit=float(reservoir.magnitude),
            unit="mL",
            key="alarm_volume",
            source=_SRC_DEVICE,
        )
    lo = (
        None
        if min_rate is None
        else _f(amount(min_rate, "mL/day", gettext("minimum pump rate"), "pump_rate"), "mL/day")
    )
    hi = (
        None
        if max_rate is None
        else _f(amount(max_rate, "mL/day", gettext("maximum pump rate"), "pump_rate"), "mL/day")
    )
    if lo is not None and hi is not None and lo > hi:
        raise DoseLimitError(
            message("The minimum pump rate {lo} is above the maximum {hi}.", lo=fmt(lo), hi=fmt(hi)),
            name="minimum pump rate",
            value=float(lo.magnitude),
            limit=float(hi.magnitude),
            unit="mL/day",
            key="pump_rate",
            source=_SRC_DEVICE,
        )
    interval = _f(
        amount(min_interval, "day", gettext("minimum refill interval"), "time_since_fill", zero_ok=True), "day"
    )
    usable = reservoir - alarm

    def option(conc: pint.Quantity, diluted: bool) -> ConcentrationOption:
        vol = daily_volume(dose, conc)
        days = _f(usable / vol, "day")
        reasons = []
        if lo is not None and vol < lo * (1 - 1e-9):
            reasons.append(message("{volume} is below the pump's minimum rate {rate}", volume=fmt(vol), rate=fmt(lo)))
        if hi is not None and vol > hi * (1 + 1e-9):
            reasons.append(message("{volume} is above the pump's maximum rate {rate}", volume=fmt(vol), rate=fmt(hi)))
        if days < interval:
            reasons.append(
                message("the alarm comes after {days}, before {interval}", days=fmt(days), interval=fmt(interval))
            )
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
    findings: list[Finding] = [
        Finding(
            "concentration_depends",
            "info",
            gettext(
                "The concentration depends on the daily dose, the pump's infusion rate and the reservoir "
                "size; follow the pump manufacturer's instructions."
            ),
            # lioresal says it under "Instructions for use of the infusion system" (before "The mode of infusion");
            # baclorex in its part for health personnel printed after section 5, before "Seyreltme".
            f"{cite('lionova', '4.2')}; {cite('lioresal', 'Instructions for use of the infusion system')}; "
            f"{cite('baclorex', '5')}",
        )
    ]
    if lo is None or hi is None:
        findings.append(
            Finding(
                "rate_range_not_entered",
                "info",
                gettext(
                    "The pump's rate range was not entered, so the daily volume was not checked against it; "
                    "take it from the pump's manual."
                ),
                _SRC_DEVICE,
            )
        )
    fits = chosen is not None
    if chosen is None:
        chosen = options[-1]
        findings.append(
            Finding(
                "no_concentration_fits",
                "violation",
                message(
                    "No concentration up to {concentration} fits: {reasons}. Consider a larger reservoir, more "
                    "frequent refills or another pump.",
                    concentration=fmt(chosen.concentration),
                    reasons="; ".join(chosen.reasons),
                ),
                f"{cite('lionova', '4.2')}; {_SRC_PUMPS}",
            )
        )
    if chosen.needs_dilution:
        findings.append(
            Finding(
                "dilute",
                "info",
                message(
                    "Make {concentration} by diluting 500 µg/mL with {diluent} only.",
                    concentration=fmt(chosen.concentration),
                    diluent=gettext(DILUENT),
                ),
                cite("lionova", "6.6"),
            )
        )
    # A fill that lasts longer than the solution may stay in the pump must be refilled by the cap, not the alarm:
    # lioresal Stability of the drug (11 weeks in a SynchroMed pump); manufacturers cap refills at 180 days.
    lasts = float(chosen.days_to_alarm.magnitude)
    # Each cap with its whole sentence (filled below with the concentration, the time to the alarm and the days).
    caps = [
        (
            _CAP180_DAYS,
            N_(
                "At {concentration} the fill lasts {days_to_alarm} to the alarm, longer than the manufacturers' "
                "180-day cap on refill intervals: refill within {cap_days} days, before the alarm date."
            ),
            _SRC_DEVICE,
        )
    ]
    if label == "lioresal":
        caps.insert(
            0,
            (
                _STABILITY_DAYS,
                N_(
                    "At {concentration} the fill lasts {days_to_alarm} to the alarm, longer than the 11 weeks the "
                    "solution is stable in a SynchroMed pump: refill within {cap_days} days, before the alarm date."
                ),
                cite("lioresal", "Stability of the drug"),
            ),
        )
    for cap_days, template, src in caps:
        if lasts > cap_days:
            findings.append(
                Finding(
                    "outlasts_stability",
                    "warning",
                    CORE.message(
                        template,
                        concentration=fmt(chosen.concentration),
                        days_to_alarm=fmt(chosen.days_to_alarm),
                        cap_days=float(cap_days),
                    ),
                    src,
                )
            )
            break
    else:
        if label == "lionova" and lasts > _STABILITY_DAYS:
            findings.append(
                Finding(
                    "outlasts_stability",
                    "info",
                    message(
                        "At {concentration} the fill lasts {days_to_alarm}: lionova states no stability period "
                        "in the pump, but lioresal gives 11 weeks in a SynchroMed pump.",
                        concentration=fmt(chosen.concentration),
                        days_to_alarm=fmt(chosen.days_to_alarm),
                    ),
                    f"{cite('lionova', '6.3')}; {cite('lioresal', 'Stability of the drug')}",
                )
            )
    return ConcentrationChoice(
        chosen.concentration,
        chosen.daily_volume,
        chosen.days_to_alarm,
        chosen.needs_dilution,
        fits,
        tuple(options),
        tuple(findings),
    )
