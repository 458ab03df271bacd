"""Bridge and priming boluses after a catheter or concentration change.

Re-exported by :mod:`itbcore.pump`; import from there.

For training only, not for treating patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from ..errors import DoseLimitError
from ..i18n import gettext, message
from ..library import amount
from ..sources import Finding
from ..units import Q_, QuantityLike, fmt
from ._shared import _SRC_BRIDGE, _SRC_DEVICE, _f

__all__ = ["BridgeBolus", "bridge_bolus", "PrimingBolus", "priming_bolus"]


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
    length = amount(catheter_length, "cm", gettext("catheter length"), "catheter_length")
    per = amount(
        catheter_volume_per_length,
        "uL/cm",
        gettext("catheter volume per length"),
        "catheter_volume_per_length",
        zero_ok=True,
    )
    tubing = amount(pump_tubing_volume, "uL", gettext("pump tubing volume"), "pump_tubing_volume", zero_ok=True)
    dead = _f(length * per + tubing, "uL")
    if dead.magnitude <= 0:  # unreachable while the library keeps length and volume per cm above zero
        raise DoseLimitError(
            gettext("The tubing and catheter volume 0 µL must be above zero."),
            name="catheter length",
            value=float(length.magnitude),
            limit=0.0,
            unit="cm",
            key="catheter_length",
        )
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
    old = _f(amount(old_concentration, "ug/mL", gettext("old concentration"), "concentration"), "ug/mL")
    new = _f(amount(new_concentration, "ug/mL", gettext("new concentration"), "concentration"), "ug/mL")
    dose = _f(amount(daily_dose, "ug/day", gettext("daily dose"), "daily_dose"), "ug/day")
    dead = _dead_volume(catheter_length, catheter_volume_per_length, pump_tubing_volume)
    old_rate = dose / old
    new_rate = dose / new
    t_new = _f(dead / new_rate, "h")
    t_old = _f(dead / old_rate, "h")
    without = _f(new_rate * old, "ug/day")
    findings: list[Finding] = []
    same = math.isclose(float(old.magnitude), float(new.magnitude), rel_tol=1e-9)
    if same:
        findings.append(
            Finding(
                "no_bridge_needed",
                "info",
                gettext("The concentration is unchanged: no bridge bolus is needed."),
                _SRC_BRIDGE,
            )
        )
        bolus_volume, duration = Q_(0.0, "uL"), Q_(0.0, "h")
    else:
        bolus_volume, duration = dead, t_old
        params = dict(
            old=fmt(old), t_new=fmt(t_new), without=fmt(without), dose=fmt(dose), dead=fmt(dead), t_old=fmt(t_old)
        )
        findings.append(
            Finding(
                "bridge_needed",
                "warning",
                message(
                    "Without a bridge bolus the old {old} solution would run at the new volume rate for "
                    "{t_new}, giving {without} instead of {dose}: an under-dose (withdrawal risk). Program a "
                    "bridge bolus of {dead} over {t_old}.",
                    **params,
                )
                if new > old
                else message(
                    "Without a bridge bolus the old {old} solution would run at the new volume rate for "
                    "{t_new}, giving {without} instead of {dose}: an overdose. Program a bridge bolus of "
                    "{dead} over {t_old}.",
                    **params,
                ),
                _SRC_BRIDGE,
            )
        )
    findings.append(
        Finding(
            "device_values",
            "info",
            gettext(
                "Tubing and catheter volumes are device values: take them from the pump and catheter "
                "documentation and the implant record; the pump programmer's own calculation prevails."
            ),
            _SRC_DEVICE,
        )
    )
    return BridgeBolus(
        dead,
        _f(dead * old, "ug"),
        t_new,
        t_old,
        without,
        _f(bolus_volume, "uL"),
        _f(duration, "h"),
        _SRC_BRIDGE,
        tuple(findings),
    )


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
    conc = _f(amount(concentration, "ug/mL", gettext("concentration"), "concentration"), "ug/mL")
    dead = _dead_volume(catheter_length, catheter_volume_per_length, pump_tubing_volume)
    findings = (
        Finding(
            "prime_exactly",
            "warning",
            message(
                "Prime with {dead}, no more: solution beyond the tubing and catheter volume reaches the "
                "CSF as a bolus ({conc} × each extra µL).",
                dead=fmt(dead),
                conc=fmt(conc),
            ),
            _SRC_BRIDGE,
        ),
        Finding(
            "device_values",
            "info",
            gettext(
                "Tubing and catheter volumes are device values: take them from the documentation and the "
                "implant record; the pump programmer's own calculation prevails."
            ),
            _SRC_DEVICE,
        ),
    )
    return PrimingBolus(dead, _f(dead * conc, "ug"), _SRC_BRIDGE, findings)
