"""Exercise ``interaction_decision``: a new medicine beside intrathecal baclofen — what it adds, what to do.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore.i18n import gettext as core_gettext
from itbcore.screening import INTERACTIONS

from ..checking import ChoicePart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_NAMES = {
    "cns_depressant": N_("a benzodiazepine for sleep"),
    "tricyclic_antidepressant": N_("amitriptyline (a tricyclic antidepressant)"),
    "antihypertensive": N_("an ACE inhibitor for blood pressure"),
    "levodopa_carbidopa": N_("levodopa/carbidopa for Parkinson's disease"),
    "morphine": N_("morphine for pain"),
    "general_anaesthetic": N_("a general anaesthetic for planned surgery"),
}


@exercise(
    "interaction_decision",
    N_("A new medicine: what it adds to intrathecal baclofen"),
    N_("Name what a newly started medicine adds to intrathecal baclofen and what the team does about it."),
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("medication_review")
    patient = draw.patient(population="adult")
    # The medicines this exercise names (the interactions of lionova 4.5 and lioresal); the table also holds those
    # only the baclorex leaflet names, whose "tell the doctor" has no effect or action to choose between.
    code = draw.choice(sorted(_NAMES))
    right = INTERACTIONS[code]
    others = draw.shuffled([c for c in sorted(_NAMES) if c != code])[:3]
    letters = "abcd"

    def part(pid: str, question: str, attr: str, rule: str, hints: tuple[str, ...]) -> ChoicePart:
        codes = draw.shuffled([code, *others])  # each part in its own order
        options = {letters[i]: core_gettext(getattr(INTERACTIONS[c], attr)) for i, c in enumerate(codes)}
        slips = {
            letters[i]: Slip(
                f"{attr}_of_{c}",
                "",
                message(
                    "That is what {other} adds or needs, not {medicine}.", other=_(_NAMES[c]), medicine=_(_NAMES[code])
                ),
                INTERACTIONS[c].source,
            )
            for i, c in enumerate(codes)
            if c != code
        }
        return ChoicePart(
            pid,
            question,
            letters[codes.index(code)],
            rule=rule,
            source=right.source,
            options=options,
            slips=slips,
            hints=hints,
        )

    effect = part(
        "effect",
        message("What does {medicine} add to intrathecal baclofen?", medicine=_(_NAMES[code])),
        "effect",
        f"{_(_NAMES[code])} → {core_gettext(right.effect)}",
        (
            _("Interactions are listed in lionova 4.5 and lioresal 'Interaction'."),
            _("Think of the medicine's own main effect: sedation, blood pressure, muscle tone, the brain."),
        ),
    )
    action = part(
        "action",
        _("What does the team do about it?"),
        "action",
        f"{_(_NAMES[code])} → {core_gettext(right.action)}",
        (_("The action follows from the effect: watch or lower what the two medicines share."),),
    )
    story = message("The new medicine is **{medicine}**.", medicine=_(_NAMES[code]))
    return Variant(patient, situation, story, {"medicine": code}, (effect, action))
