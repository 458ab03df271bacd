"""Exercise ``interaction_decision``: a new medicine beside intrathecal baclofen — what it adds, what to do.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore.screening import INTERACTIONS

from ..checking import ChoicePart, Slip
from ..core import Draw, Variant, exercise

_NAMES = {
    "cns_depressant": "a benzodiazepine for sleep",
    "tricyclic_antidepressant": "amitriptyline (a tricyclic antidepressant)",
    "antihypertensive": "an ACE inhibitor for blood pressure",
    "levodopa_carbidopa": "levodopa/carbidopa for Parkinson's disease",
    "morphine": "morphine for pain",
    "general_anaesthetic": "a general anaesthetic for planned surgery",
}


@exercise(
    "interaction_decision",
    "A new medicine: what it adds to intrathecal baclofen",
    "Name what a newly started medicine adds to intrathecal baclofen and what the team does about it.",
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
        options = {letters[i]: getattr(INTERACTIONS[c], attr) for i, c in enumerate(codes)}
        slips = {
            letters[i]: Slip(
                f"{attr}_of_{c}",
                "",
                f"That is what {_NAMES[c]} adds or needs, not {_NAMES[code]}.",
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
        f"What does {_NAMES[code]} add to intrathecal baclofen?",
        "effect",
        f"{code.replace('_', ' ')} → {right.effect}",
        (
            "Interactions are listed in lionova 4.5 and lioresal 'Interaction'.",
            "Think of the medicine's own main effect: sedation, blood pressure, muscle tone, the brain.",
        ),
    )
    action = part(
        "action",
        "What does the team do about it?",
        "action",
        f"{code.replace('_', ' ')} → {right.action}",
        ("The action follows from the effect: watch or lower what the two medicines share.",),
    )
    story = f"The new medicine is **{_NAMES[code]}**."
    return Variant(patient, situation, story, {"medicine": code}, (effect, action))
