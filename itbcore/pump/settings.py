"""Pump settings and the old-versus-new settings comparison.

Re-exported by :mod:`itbcore.pump`; import from there.

For training only, not for treating patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from ..errors import InputError
from ..i18n import N_, gettext, localize_number, message
from ..library import amount
from ..sources import Finding, cite
from ..titration import ABRUPT_CUT_BELOW, DECREASE_LIMITS, LARGEST_INCREASE, LIMITED_EXPERIENCE_ABOVE, SPINAL_BAND
from ..units import fmt
from ._shared import _SRC_BRIDGE, _SRC_DEVICE, _SRC_INCIDENTS, _f
from .refills import daily_volume

__all__ = ["PumpSettings", "DELIVERY_MODES", "compare_settings"]


# ---------------------------------------------------------------------------------------------- settings
#: Delivery modes (practice guidance: simple continuous, flex, scheduled boluses).
#: The modes are codes and display texts at once (marked for the catalogues; shown through gettext).
DELIVERY_MODES = (N_("simple continuous"), N_("flex"), N_("scheduled bolus"))


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
        object.__setattr__(
            self,
            "concentration",
            _f(amount(self.concentration, "ug/mL", gettext("concentration"), "concentration"), "ug/mL"),
        )
        object.__setattr__(
            self,
            "daily_dose",
            _f(amount(self.daily_dose, "ug/day", gettext("daily dose"), "daily_dose", zero_ok=True), "ug/day"),
        )
        if self.mode not in DELIVERY_MODES:
            raise InputError(
                message(
                    "The delivery mode {mode} is not known; choose one of: {modes}.",
                    mode=repr(self.mode),
                    modes=", ".join(DELIVERY_MODES),
                )
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
        return [
            Finding(
                f"{code}_to_or_from_zero",
                "warning",
                message("The {what} changes from {old} to {new}.", what=what, old=fmt(old, unit), new=fmt(new, unit)),
                source,
            )
        ]
    r = b / a
    big = max(r, 1 / r)
    if math.isclose(big, 1000.0, rel_tol=0.02):
        return [
            Finding(
                f"{code}_mg_ug_slip",
                "violation",
                message(
                    "The {what} changes {big}-fold ({old} → {new}): a mg/µg slip? Check the units before programming.",
                    what=what,
                    big=round(big),
                    old=fmt(old, unit),
                    new=fmt(new, unit),
                ),
                source,
            )
        ]
    if big >= 10:
        return [
            Finding(
                f"{code}_tenfold",
                "violation",
                message(
                    "The {what} changes {big}-fold ({old} → {new}): an order of magnitude; check for a "
                    "decimal-point or unit error.",
                    what=what,
                    big=localize_number(format(big, ".3g")),
                    old=fmt(old, unit),
                    new=fmt(new, unit),
                ),
                source,
            )
        ]
    if big >= 2:
        return [
            Finding(
                f"{code}_twofold",
                "warning",
                message(
                    "The {what} changes {big}-fold ({old} → {new}).",
                    what=what,
                    big=localize_number(format(big, ".3g")),
                    old=fmt(old, unit),
                    new=fmt(new, unit),
                ),
                source,
            )
        ]
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
    itbcore.errors.DoseLimitError: The daily dose 400 000 µg/day is above the hard limit of 3000 µg/day (...): 1000
    times 400 µg/day — was mg written for µg?
    """
    if not isinstance(old, PumpSettings) or not isinstance(new, PumpSettings):
        raise InputError(gettext("compare_settings needs two PumpSettings (old, new)."))
    src = f"{_SRC_DEVICE}; {_SRC_INCIDENTS}"
    out: list[Finding] = []
    out += _change(gettext("daily dose"), old.daily_dose, new.daily_dose, "ug/day", "dose", src)
    out += _change(gettext("concentration"), old.concentration, new.concentration, "ug/mL", "concentration", src)
    out += _change(gettext("daily volume"), old.daily_volume, new.daily_volume, "mL/day", "daily_volume", src)
    # The same change gets the same severity as in titration.check_change: an increase beyond every label
    # band and a cut to near zero are violations, a decrease beyond 20 % a warning (lionova 4.2, 4.4).
    label_src = f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: supportive therapy')}"
    o, n = float(old.daily_dose.magnitude), float(new.daily_dose.magnitude)
    if o > 0 and n > o * (1 + LARGEST_INCREASE) * (1 + 1e-9):
        out.append(
            Finding(
                "dose_increase_above_label",
                "violation",
                message(
                    "The dose rises by {rise} %, more than the largest daily increase any label band allows "
                    "(spinal origin: {low} to {high} % per 24 h).",
                    rise=localize_number(format(100 * (n / o - 1), ".0f")),
                    low=float(SPINAL_BAND[0] * 100),
                    high=float(SPINAL_BAND[1] * 100),
                ),
                label_src,
            )
        )
    if o > 0 and n < o * ABRUPT_CUT_BELOW:
        out.append(
            Finding(
                "abrupt_stop",
                "violation",
                message(
                    "The dose falls from {old} to {new} at once: an abrupt discontinuation "
                    "risks a life-threatening withdrawal; reduce gradually unless this is an overdose.",
                    old=fmt(old.daily_dose),
                    new=fmt(new.daily_dose),
                ),
                f"{cite('lionova', '4.2')}, {cite('lionova', '4.4')}",
            )
        )
    if o > 0 and n < o * (1 - DECREASE_LIMITS[1]) * (1 - 1e-9):
        out.append(
            Finding(
                "decrease_above_band",
                "warning",
                message(
                    "The dose falls by {fall} %, more than the {low}–{high} % the labels name for side "
                    "effects; reduce in steps.",
                    fall=localize_number(format(100 * (1 - n / o), ".0f")),
                    low=float(DECREASE_LIMITS[0] * 100),
                    high=float(DECREASE_LIMITS[1] * 100),
                ),
                label_src,
            )
        )
    # A concentration above the highest strength (2000 µg/mL, lionova 2) never gets here: PumpSettings refuses it
    # where it is entered (the drug library's hard limit, which a local library may narrow but never widen).
    if not math.isclose(float(old.concentration.magnitude), float(new.concentration.magnitude), rel_tol=1e-9):
        out.append(
            Finding(
                "concentration_changed",
                "warning",
                gettext(
                    "The concentration changes: confirm the pump is programmed for the solution actually "
                    "filled, and program a bridge bolus for the old solution in tubing and catheter."
                ),
                f"{_SRC_BRIDGE}; {_SRC_INCIDENTS}",
            )
        )
    if new.daily_dose > LIMITED_EXPERIENCE_ABOVE and not old.daily_dose > LIMITED_EXPERIENCE_ABOVE:
        out.append(
            Finding(
                "above_1000",
                "warning",
                message(
                    "There is limited experience with doses above {dose}.",
                    dose=fmt(LIMITED_EXPERIENCE_ABOVE),
                ),
                f"{cite('lionova', '4.2')}; {cite('lioresal', 'Dosing: phase of dose selection')}",
            )
        )
    if old.mode != new.mode:
        out.append(
            Finding(
                "mode_changed",
                "info",
                message("The delivery mode changes from {old} to {new}.", old=gettext(old.mode), new=gettext(new.mode)),
                _SRC_DEVICE,
            )
        )
    # lionova 4.4: "ved endring i konsentrasjonen av baklofen eller infusjonshastigheten, må pasienten følges nøye
    # inntil tilstanden er stabil"; lioresal Special instructions: "every time the dosing rate and / or the
    # concentration of baclofen in the pump reservoir changes" (tests/itbcore/test_rule_quotes.py finds both).
    rate_changed = not math.isclose(
        float(old.daily_volume.to("mL/day").magnitude), float(new.daily_volume.to("mL/day").magnitude), rel_tol=1e-9
    )
    conc_changed = not math.isclose(
        float(old.concentration.magnitude), float(new.concentration.magnitude), rel_tol=1e-9
    )
    if rate_changed or conc_changed:
        out.append(
            Finding(
                "monitor_until_stable",
                "info",
                gettext(
                    "The concentration and infusion rate changes: follow the patient closely until the condition "
                    "is stable."
                )
                if conc_changed and rate_changed
                else gettext("The concentration changes: follow the patient closely until the condition is stable.")
                if conc_changed
                else gettext("The infusion rate changes: follow the patient closely until the condition is stable."),
                f"{cite('lionova', '4.4')}; {cite('lioresal', 'Special instructions')}",
            )
        )
    return out
