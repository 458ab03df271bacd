"""Pump helpers shared by the pump's jobs: the practice sources and the float Quantity helpers.

For training only, not for treating patients.
"""

from __future__ import annotations

import pint

from ..sources import cite, practice
from ..units import Q_

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
