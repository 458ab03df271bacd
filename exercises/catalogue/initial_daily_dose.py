"""Exercise ``initial_daily_dose``: the first daily dose after a positive test bolus.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import titration
from itbcore.units import fmt

from ..checking import QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2; lioresal Dosing: phase of dose selection"
_RULE = N_(
    "first daily dose = the test dose if its effect lasted more than 12 h, twice the test dose if it lasted less"
)


@exercise(
    "initial_daily_dose",
    N_("First daily dose after the test bolus"),
    N_("Initial daily infusion dose from the test dose and how long its effect lasted (12 h rule)."),
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
            (
                message(
                    "You applied the other branch of the 12 h rule: the effect lasted {duration}, "
                    "more than 12 h, so the daily dose equals the test dose.",
                    duration=fmt(duration),
                )
                if long_effect
                else message(
                    "You applied the other branch of the 12 h rule: the effect lasted {duration}, "
                    "less than 12 h, so the daily dose is twice the test dose.",
                    duration=fmt(duration),
                )
            ),
            _SOURCE,
        ),
    )
    part = QuantityPart(
        "daily_dose",
        _("What daily dose do you programme for the first 24 h of continuous infusion?"),
        expected,
        unit="ug/day",
        rtol=0.01,
        rule=_(_RULE),
        source=_SOURCE,
        slips=slips,
        limit="daily_dose",
        hints=(
            _("The first daily dose depends on how long the test dose's effect lasted."),
            _("The dividing line is 12 h."),
            _("More than 12 h: daily dose = test dose. Less than 12 h: twice the test dose."),
        ),
    )
    story = message(
        "The positive test bolus was **{test_dose}**; its effect lasted **{duration}**. No increase is "
        "allowed in the first 24 h.",
        test_dose=fmt(test_dose),
        duration=fmt(duration),
    )
    return Variant(patient, situation, story, {"test_dose": test_dose, "effect_duration": duration}, (part,))
