"""Dilution of a stock solution to a target concentration for a pump fill.

Re-exported by :mod:`itbcore.pump`; import from there.

For training only, not for treating patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pint

from ..errors import DoseLimitError
from ..formulations import DILUENT, SCREENING_FORMULATION, check_diluent, is_marketed
from ..i18n import gettext, message
from ..library import amount
from ..sources import Finding, cite
from ..units import Q_, QuantityLike, fmt
from ._shared import _f, _ratio

__all__ = ["Dilution", "dilution"]


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
    s = _f(amount(stock, "ug/mL", gettext("stock concentration"), "concentration"), "ug/mL")
    t = _f(amount(target, "ug/mL", gettext("target concentration"), "concentration"), "ug/mL")
    v = _f(amount(final_volume, "mL", gettext("final volume"), "reservoir_volume"), "mL")
    if t > s * (1 + 1e-12):
        raise DoseLimitError(
            message(
                "The target {t} is above the stock {s}; dilution can only lower a concentration ({source}).",
                t=fmt(t),
                s=fmt(s),
                source=cite("lionova", "6.6"),
            ),
            name="target concentration",
            value=float(t.magnitude),
            limit=float(s.magnitude),
            unit="ug/mL",
            key="concentration",
            source=cite("lionova", "6.6"),
        )
    frac = min(1.0, _ratio(t, s))
    stock_volume = Q_(float(v.magnitude) * frac, "mL")
    diluent_volume = Q_(float(v.magnitude) - float(stock_volume.magnitude), "mL")
    findings = [
        Finding(
            "no_mixing",
            "warning",
            gettext("Never mix baclofen with other injection or infusion solutions; it is incompatible with glucose."),
            cite("lionova", "6.2"),
        ),
    ]
    if diluent_volume.magnitude > 0:
        findings += [
            Finding(
                "aseptic",
                "info",
                message("Dilute under aseptic conditions with {diluent} only.", diluent=gettext(DILUENT)),
                f"{cite('lionova', '6.6')}; {cite('lioresal', 'Dosing and Administration')}; "
                f"{cite('baclorex', 'Seyreltme')}",
            ),
            Finding(
                "diluted_within_24h",
                "warning",
                gettext("Use the diluted solution within 24 h of preparation."),
                cite("baclorex", "5"),
            ),
        ]
    else:
        findings.append(
            Finding(
                "no_dilution_needed",
                "info",
                gettext("The target equals the stock: no dilution is needed."),
                cite("lionova", "6.6"),
            )
        )
    if not is_marketed(s):
        findings.append(
            Finding(
                "stock_not_marketed",
                "warning",
                message(
                    "The stock {s} is not a marketed strength (50, 500, 2000 µg/mL); dilute from an ampoule.", s=fmt(s)
                ),
                cite("lionova", "2"),
            )
        )
    elif math.isclose(float(s.magnitude), float(SCREENING_FORMULATION.concentration.magnitude)):
        findings.append(
            Finding(
                "screening_strength",
                "warning",
                gettext("The 50 µg/mL strength is meant for a single test bolus; pumps use 0.5 and 2 mg/mL."),
                cite("lionova", "4.2"),
            )
        )
    return Dilution(s, t, v, stock_volume, diluent_volume, _f(t * v, "mg"), name, tuple(findings))
