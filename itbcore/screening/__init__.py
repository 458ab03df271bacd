"""Screening: the intrathecal test bolus that decides whether a patient is a candidate.

For training only, not for treating patients.

Rules come from lionova 4.2 ("Screeningsfase hos voksne", "Screeningsfase i den
pediatriske populasjonen") and lioresal "Dosing: initial phase":

* only the 50 µg/mL solution is used for the test bolus;
* adults start with 25 or 50 µg; children 4 to < 18 years 25–50 µg/day by age and size;
* without enough response the bolus rises in 25 µg steps at least 24 h apart;
* the test dose never exceeds 100 µg; no response at 100 µg means no continuous infusion;
* after each bolus the patient is observed for 4 to 8 h (lionova 4.2).

The choice between 25 and 50 µg (:func:`initial_test_dose`) uses practice guidance
(Neuromodulation 2016, Boster et al.), cited as such and never as a label rule.

One module per job: :mod:`~itbcore.screening.rules` (the rules as data), :mod:`~itbcore.screening.test_doses`
(the test bolus: volume, next step, first dose, ladder, timeline) and :mod:`~itbcore.screening.cautions`
(cautions, interactions, the checklist before the first fill, the warnings); import every name from
:mod:`itbcore.screening`.

>>> from itbcore.patient import Patient
>>> p = Patient(40, "spinal")
>>> step = next_step(p, ["50 ug"], responded=False)
>>> step.action, step.next_dose, step.wait
('escalate', <Quantity(75.0, 'microgram')>, <Quantity(24, 'hour')>)
>>> [f"{d.magnitude:g}" for d in screening_ladder(p, "50 mcg")]
['50', '75', '100']
"""

from __future__ import annotations

# _CAUTION: the caution list tests/itbcore/test_screening.py walks
from .cautions import _CAUTION, INTERACTIONS, ChecklistItem, Interaction, before_first_fill, screening_warnings
from .rules import (
    ADULT_START_DOSES,
    MAX_BOLUSES,
    MAX_TEST_DOSE,
    MIN_TEST_INTERVAL,
    MONITOR_WINDOW,
    OLDER_PATIENT_AGE,
    PEDIATRIC_START_RANGE,
    TEST_DOSE_STEP,
    TEST_SOLUTION_CONCENTRATION,
)
from .test_doses import (
    BolusTimeline,
    ScreeningStep,
    TestDoseSuggestion,
    bolus_timeline,
    initial_test_dose,
    next_step,
    screening_ladder,
    test_dose_volume,
)

__all__ = [
    "TEST_SOLUTION_CONCENTRATION",
    "MAX_TEST_DOSE",
    "TEST_DOSE_STEP",
    "MIN_TEST_INTERVAL",
    "MONITOR_WINDOW",
    "MAX_BOLUSES",
    "OLDER_PATIENT_AGE",
    "ADULT_START_DOSES",
    "PEDIATRIC_START_RANGE",
    "test_dose_volume",
    "ScreeningStep",
    "next_step",
    "TestDoseSuggestion",
    "initial_test_dose",
    "screening_warnings",
    "ChecklistItem",
    "before_first_fill",
    "Interaction",
    "INTERACTIONS",
    "BolusTimeline",
    "bolus_timeline",
    "screening_ladder",
]
