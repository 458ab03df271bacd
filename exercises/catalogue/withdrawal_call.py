"""Exercise ``withdrawal_call``: an emergency call after a missed refill — stage and first steps, in order.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import withdrawal

from ..checking import ChoicePart, OrderPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2, 4.4; lioresal Dosing: discontinuation of treatment"
_EARLY = ("spasticity_return", "pruritus", "hypotension", "paresthesia")
_ADVANCED = ("high_fever", "altered_mental_status", "rebound_spasticity", "muscle_rigidity")


@exercise(
    "withdrawal_call",
    N_("Emergency call: withdrawal after a missed refill"),
    N_("Stage the withdrawal from the signs a carer reports, and order the first management steps."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation("emergency_call")
    patient = draw.patient()
    signs = sorted(draw.rng.sample(_EARLY, 2))
    if draw.rng.random() < 0.5:
        signs += sorted(draw.rng.sample(_ADVANCED, 2))
    assessment = withdrawal.assess(signs)  # stage and actions, most urgent first
    stage_options = {"a": _("no withdrawal"), "b": _("early withdrawal"), "c": _("advanced withdrawal")}
    right = {"none": "a", "early": "b", "advanced": "c"}[assessment.stage]
    stage_slips = {
        "a": Slip(
            "missed_withdrawal",
            "",
            _("After a missed refill these are signs of withdrawal; it can progress within hours to days."),
            _SOURCE,
        ),
        "b": Slip(
            "underestimated",
            "",
            _(
                "High fever, altered mental status, rebound spasticity or rigidity mean advanced withdrawal, "
                "which can be fatal."
            ),
            _SOURCE,
        ),
        "c": Slip(
            "overestimated",
            "",
            _(
                "None of the reported signs is an advanced sign (high fever, altered mental status, rebound "
                "spasticity, rigidity); these are early signs."
            ),
            _SOURCE,
        ),
    }
    stage_slips.pop(right)
    stage = ChoicePart(
        "stage",
        _("Which stage of withdrawal do the reported signs show?"),
        right,
        rule=message(
            "{signs} → {stage}",
            signs=", ".join(withdrawal.SIGNS[s].text for s in signs),
            stage=stage_options[right],  # the stage in words ("early withdrawal"), not the core's code
        ),
        source=_SOURCE,
        options=stage_options,
        slips=stage_slips,
        hints=(
            _("Early: return of spasticity, itching, low blood pressure, paraesthesia, priapism."),
            _("Advanced: high fever, altered mental status, rebound spasticity, rigidity."),
        ),
    )
    steps = assessment.actions[:3]
    letters = draw.shuffled(["a", "b", "c"])
    items = {letters[i]: a.text for i, a in enumerate(steps)}
    order = OrderPart(
        "first_steps",
        _("Put the first three steps in order, most urgent first."),
        [letters[i] for i in range(len(steps))],
        rule=_(
            "care setting first (emergency admission, intensive care if advanced), then find the cause in "
            "pump and catheter, then restore intrathecal baclofen at or near the previous dose"
        ),
        source=_SOURCE,
        items=dict(sorted(items.items())),
        item_sources={letters[i]: a.source for i, a in enumerate(steps)},
        hints=(
            _("Where is the patient treated? That comes first."),
            _("Find the cause before restoring the infusion: pump, reservoir, catheter."),
        ),
    )
    signs_text = ", ".join(withdrawal.SIGNS[s].text for s in signs)
    story = message("The carer reports: **{signs_text}**. The refill date passed two days ago.", signs_text=signs_text)
    return Variant(patient, situation, story, {"signs": tuple(signs)}, (stage, order))
