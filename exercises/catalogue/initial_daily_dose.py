"""Exercise ``initial_daily_dose``: the first daily dose after a positive test bolus.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import titration
from itbcore.units import fmt

from ..checking import QuantityPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.2; lioresal Dosing: phase of dose selection"
_RULE = "first daily dose = the test dose if its effect lasted more than 12 h, twice the test dose if it lasted less"


@exercise(
    "initial_daily_dose",
    "First daily dose after the test bolus",
    "Initial daily infusion dose from the test dose and how long its effect lasted (12 h rule).",
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("titration_day_1")
    patient = draw.patient(population="adult")
    test_dose = draw.quantity(situation, "test_dose", "ug")
    duration = draw.quantity(situation, "effect_duration", "h")
    expected = titration.initial_daily_dose(test_dose, duration)
    long_effect = duration.to("h").magnitude > 12
    # the other branch of the 12 h rule, per day
    other = f"{(test_dose * (2 if long_effect else 1)).to('ug').magnitude} ug/day"
    slips = (
        Slip(
            "wrong_branch",
            other,
            f"You applied the other branch of the 12 h rule: the effect lasted {fmt(duration)}, "
            + (
                "more than 12 h, so the daily dose equals the test dose."
                if long_effect
                else "less than 12 h, so the daily dose is twice the test dose."
            ),
            _SOURCE,
        ),
    )
    part = QuantityPart(
        "daily_dose",
        "What daily dose do you programme for the first 24 h of continuous infusion?",
        expected,
        unit="ug/day",
        rtol=0.01,
        rule=_RULE,
        source=_SOURCE,
        slips=slips,
        limit="daily_dose",
        hints=(
            "The first daily dose depends on how long the test dose's effect lasted.",
            "The dividing line is 12 h.",
            "More than 12 h: daily dose = test dose. Less than 12 h: twice the test dose.",
        ),
    )
    story = (
        f"The positive test bolus was **{fmt(test_dose)}**; its effect lasted **{fmt(duration)}**. "
        "No increase is allowed in the first 24 h."
    )
    return Variant(patient, situation, story, {"test_dose": test_dose, "effect_duration": duration}, (part,))
