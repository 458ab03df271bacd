"""Exercise ``overdose_management``: grade an overdose from its signs and order the first management steps.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import overdose

from ..checking import ChoicePart, OrderPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.9; lioresal Overdose"
_MILD = tuple(c for c, s in overdose.SIGNS.items() if s.severity == "mild")
_MODERATE = tuple(c for c, s in overdose.SIGNS.items() if s.severity == "moderate")
_SEVERE = tuple(c for c, s in overdose.SIGNS.items() if s.severity == "severe")
_STEPS = 4


@exercise(
    "overdose_management",
    "Overdose: how severe, and what first?",
    "Grade an intrathecal baclofen overdose from its signs and put the first management steps in order.",
)
def build(draw: Draw) -> Variant:
    situation = draw.situation_by_id("observation_after_refill")
    patient = draw.patient()
    grade = draw.choice(["mild", "moderate", "severe"])
    signs = list(draw.rng.sample(_MILD, 2))
    if grade in ("moderate", "severe"):
        signs.append(draw.choice(_MODERATE))
    if grade == "severe":
        signs.append(draw.choice(_SEVERE))
    a = overdose.assess(signs)  # grade and actions through itbcore (lionova profile)
    lioresal = overdose.assess(signs, label="lioresal")
    physo = next((f for f in lioresal.findings if f.code == "physostigmine_disputed"), None)
    no_antidote = next(f for f in a.findings if f.code == "no_antidote")
    teaching = (
        f"{no_antidote.message} ({no_antidote.source}) Only the lioresal label lists physostigmine; "
        "practice guidance advises against it in most overdoses" + (f" ({physo.source})." if physo else ".")
    )
    grades = {"mild": "a", "moderate": "b", "severe": "c"}
    texts = {
        "a": "mild: watch closely, the grade can rise",
        "b": "moderate: seizures or loss of consciousness, a severe course may follow",
        "c": "severe: respiratory depression, apnoea or coma",
    }
    severe_texts = ", ".join(overdose.SIGNS[c].text for c in _SEVERE)
    msg = {
        "a": "Seizures, loss of consciousness, respiratory depression, apnoea or coma are more than a mild overdose.",
        "b": (
            f"{severe_texts.capitalize()} mark a severe overdose."
            if a.severity == "severe"
            else "None of the signs is a seizure or loss of consciousness; the grade is the highest class among them."
        ),
        "c": f"None of the signs is a sign of severe overdose ({severe_texts}).",
    }
    right = grades[a.severity]
    grade_part = ChoicePart(
        "severity",
        "How severe is the overdose?",
        right,
        rule=next(f.message for f in a.findings if f.code == "severity_grade"),
        source=_SOURCE,
        options=texts,
        slips={
            k: Slip("underestimated" if k < right else "overestimated", "", m + " " + teaching, _SOURCE)
            for k, m in msg.items()
            if k != right
        },
        hints=(
            "The grade is the highest class among the signs present.",
            f"Severe: {severe_texts}. Moderate: seizures, loss of consciousness.",
        ),
    )
    steps = a.actions[:_STEPS]
    letters = draw.shuffled(list("abcd")[: len(steps)])
    order = OrderPart(
        "first_steps",
        "Put these steps in order, most urgent first.",
        [letters[i] for i in range(len(steps))],
        rule="airway and breathing first, then seizures and circulation, then stop further drug (empty the pump) "
        "and admit, then remove drug from the CSF. " + teaching,
        source=_SOURCE,
        items=dict(sorted((letters[i], s.text) for i, s in enumerate(steps))),
        item_sources={letters[i]: s.source for i, s in enumerate(steps)},
        hints=(
            "Airway and breathing come before everything else.",
            "Stop further drug (empty the reservoir) before draining CSF. There is no specific antidote.",
        ),
    )
    signs_text = ", ".join(overdose.SIGNS[c].text for c in a.signs)
    story = (
        f"Three hours after the refill the nurse finds: **{signs_text}**. The doctor suspects an "
        "intrathecal baclofen overdose (a programming error is possible). Lumbar puncture is not "
        "contraindicated."
    )
    return Variant(patient, situation, story, {"signs": a.signs}, (grade_part, order))
