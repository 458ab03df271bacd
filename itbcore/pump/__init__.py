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

One module per job: :mod:`~itbcore.pump.refills` (daily volume, refill planning),
:mod:`~itbcore.pump.dilutions`, :mod:`~itbcore.pump.concentrations` (concentration choice),
:mod:`~itbcore.pump.residuals` (residual check), :mod:`~itbcore.pump.boluses` (bridge and priming boluses) and
:mod:`~itbcore.pump.settings` (settings comparison); import every name from :mod:`itbcore.pump`.

>>> daily_volume("500 ug/day", "2 mg/mL")
<Quantity(0.25, 'milliliter / day')>
>>> plan = refill_plan("20 mL", "2000 ug/mL", "500 ug/day")
>>> plan.days_to_alarm, plan.days_to_empty
(<Quantity(72.0, 'day')>, <Quantity(80.0, 'day')>)
>>> dilution("500 ug/mL", "100 ug/mL", "20 mL").stock_volume
<Quantity(4.0, 'milliliter')>
"""

from __future__ import annotations

# The titration constant the pump's rules share, still read through itbcore.pump (its one home is titration).
from ..titration import LIMITED_EXPERIENCE_ABOVE

# One module per job; this package re-exports every public name, and refill_plan's kernel _refill_plan_floats
# (bench/core.py, tests/itbcore/test_unit_boundary.py): import from itbcore.pump.
from .boluses import BridgeBolus, PrimingBolus, bridge_bolus, priming_bolus
from .concentrations import ConcentrationChoice, ConcentrationOption, choose_concentration
from .dilutions import Dilution, dilution
from .refills import (
    LIMITED_BY_TEXT,
    LIORESAL_STABILITY,
    MANUFACTURER_REFILL_CAP,
    PRACTICE_REFILL_MARGIN,
    LimitedBy,
    RefillPlan,
    _refill_plan_floats,
    daily_volume,
    refill_plan,
)
from .residuals import ResidualCheck, expected_residual, residual_check
from .settings import DELIVERY_MODES, PumpSettings, compare_settings

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
