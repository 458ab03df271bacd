"""Dose titration after implantation, and dose changes in maintenance.

For training only, not for treating patients.

Rules come from lionova 4.2 ("Dosetitreringsfase", "Vedlikeholdsbehandling",
"Administrasjonsmåte"), lioresal "Dosing: phase of dose selection" and
"Dosing: supportive therapy":

* first daily dose: the effective test dose if its effect lasted more than 12 h,
  twice the test dose otherwise (practice guidance uses 8 h: :func:`initial_dose_options`);
* no increase in the first 24 h; then at most one change per 24 h with a programmable
  pump, 48 h with a non-programmable pump whose catheter delivers 1 mL a day;
* daily increase bands by origin, age, phase and label (:func:`increase_band`);
* decreases for side effects by 10–20 %;
* little experience above 1000 µg/day; a large increase without effect means: check
  the pump and the catheter.

One module per job: :mod:`~itbcore.titration.rules` (the rules as data), :mod:`~itbcore.titration.initial` (the
first daily dose), :mod:`~itbcore.titration.bands` (increase bands, decrease limits, observed ranges),
:mod:`~itbcore.titration.changes` (checking a dose change) and :mod:`~itbcore.titration.plans` (titration plans);
import every name from :mod:`itbcore.titration`.

>>> from itbcore.patient import Patient
>>> initial_daily_dose("50 ug", "10 h")
<Quantity(100.0, 'microgram / day')>
>>> increase_limits(Patient(40, "cerebral"))
(0.05, 0.15)
>>> plan = titration_plan(Patient(40, "spinal"), "100 ug/day", "130 ug/day", step_fraction=0.3)
>>> [(s.day, f"{s.dose.magnitude:g}") for s in plan.steps]
[(0, '100'), (1, '130')]
"""

from __future__ import annotations

from .bands import IncreaseBand, decrease_limits, increase_band, increase_limits, observed_range

# check_change and its float kernel (bench/core.py, tests/itbcore/test_unit_boundary.py)
from .changes import _check_change_floats, check_change
from .initial import DoseOption, InitialDoseOptions, initial_daily_dose, initial_dose_options
from .plans import PlanStep, TitrationPlan, titration_plan
from .rules import (
    ABRUPT_CUT_BELOW,
    CEREBRAL_MAINTENANCE_BAND,
    CEREBRAL_TITRATION_BAND,
    CHILD_UNDER_AGE,
    DECREASE_LIMITS,
    FIRST_DAY,
    INFUSION_EFFECT_TEXT,
    INFUSION_MAX_EFFECT,
    INFUSION_ONSET,
    LARGEST_INCREASE,
    LIMITED_EXPERIENCE_ABOVE,
    MIN_CHANGE_INTERVAL,
    OBSERVED_CEREBRAL,
    OBSERVED_CEREBRAL_UNDER_12,
    OBSERVED_SPINAL,
    PEDIATRIC_INITIAL_MAINTENANCE,
    PRACTICE_EFFECT_THRESHOLD,
    PUMPS,
    SPINAL_BAND,
    TWELVE_HOURS,
    USUAL_SPINAL,
)

__all__ = [
    "TWELVE_HOURS",
    "PRACTICE_EFFECT_THRESHOLD",
    "FIRST_DAY",
    "MIN_CHANGE_INTERVAL",
    "DECREASE_LIMITS",
    "LIMITED_EXPERIENCE_ABOVE",
    "ABRUPT_CUT_BELOW",
    "USUAL_SPINAL",
    "OBSERVED_SPINAL",
    "OBSERVED_CEREBRAL",
    "OBSERVED_CEREBRAL_UNDER_12",
    "PEDIATRIC_INITIAL_MAINTENANCE",
    "SPINAL_BAND",
    "CEREBRAL_TITRATION_BAND",
    "CEREBRAL_MAINTENANCE_BAND",
    "LARGEST_INCREASE",
    "INFUSION_ONSET",
    "INFUSION_MAX_EFFECT",
    "PUMPS",
    "initial_daily_dose",
    "DoseOption",
    "InitialDoseOptions",
    "initial_dose_options",
    "IncreaseBand",
    "increase_band",
    "increase_limits",
    "decrease_limits",
    "observed_range",
    "check_change",
    "PlanStep",
    "TitrationPlan",
    "titration_plan",
]
