"""The residual volume check at a refill: expected against found.

Re-exported by :mod:`itbcore.pump`; import from there.

For training only, not for treating patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pint

from ..errors import InputError
from ..i18n import gettext, message
from ..library import amount
from ..sources import Finding, cite
from ..units import Q_, QuantityLike, fmt
from ._shared import _SRC_INCIDENTS, _f
from .refills import daily_volume

__all__ = ["ResidualCheck", "residual_check", "expected_residual"]


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
    prev = _f(amount(previous_volume, "mL", gettext("previous volume"), "reservoir_volume", zero_ok=True), "mL")
    rate = daily_volume(daily_dose, concentration)
    t = _f(amount(elapsed, "day", gettext("elapsed time"), "time_since_fill", zero_ok=True), "day")
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
    exp = _f(amount(expected, "mL", gettext("expected volume"), "found_volume", zero_ok=True), "mL")
    got = _f(amount(found, "mL", gettext("volume found"), "found_volume", zero_ok=True), "mL")
    if isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool):
        if not (math.isfinite(tolerance) and 0 < tolerance < 1):
            raise InputError(
                message("A fractional tolerance must lie between 0 and 1, not {tolerance}.", tolerance=str(tolerance))
            )
        tol = Q_(float(exp.magnitude) * tolerance, "mL")
    else:
        tol = _f(amount(tolerance, "mL", gettext("tolerance"), "residual_tolerance", zero_ok=True), "mL")
    diff = got - exp
    findings: list[Finding] = []
    if diff > tol:
        findings.append(
            Finding(
                "pump_not_delivering",
                "violation",
                message(
                    "Found {got} where {exp} was expected: the pump or catheter was not delivering "
                    "(withdrawal risk). Do not simply refill and restart: check pump and catheter first, "
                    "because restarting can cause an overdose.",
                    got=fmt(got),
                    exp=fmt(exp),
                ),
                f"{cite('lionova', '4.4')}; {_SRC_INCIDENTS}",
            )
        )
    elif -diff > tol:
        findings.append(
            Finding(
                "volume_missing",
                "violation",
                message(
                    "Found {got} where {exp} was expected: possible over-delivery (pump malfunction, watch "
                    "for overdose) or a previous fill that went outside the reservoir (pocket fill).",
                    got=fmt(got),
                    exp=fmt(exp),
                ),
                f"{cite('lionova', '4.9')}; {_SRC_INCIDENTS}",
            )
        )
    return ResidualCheck(exp, got, diff, tol, "discrepancy" if findings else "ok", tuple(findings))
