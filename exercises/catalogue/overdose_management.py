"""Exercise ``overdose_management``: grade an overdose from its signs and order the first management steps.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import overdose

from ..checking import ChoicePart, OrderPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.9; lioresal Overdose"
_MILD = tuple(c for c, s in overdose.SIGNS.items() if s.severity == "mild")
_MODERATE = tuple(c for c, s in overdose.SIGNS.items() if s.severity == "moderate")
_SEVERE = tuple(c for c, s in overdose.SIGNS.items() if s.severity == "severe")
_STEPS = 4


@exercise(
    "overdose_management",
    N_("Overdose: how severe, and what first?"),
    N_("Grade an intrathecal baclofen overdose from its signs and put the first management steps in order."),
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
        message(
            "{finding} ({source}) Only the lioresal label lists physostigmine; practice guidance advises "
            "against it in most overdoses ({physostigmine_source}).",
            finding=no_antidote.message,
            source=no_antidote.source,
            physostigmine_source=physo.source,
        )
        if physo
        else message(
            "{finding} ({source}) Only the lioresal label lists physostigmine; practice guidance advises "
            "against it in most overdoses.",
            finding=no_antidote.message,
            source=no_antidote.source,
        )
    )
    grades = {"mild": "a", "moderate": "b", "severe": "c"}
    texts = {
        "a": _("mild: watch closely, the grade can rise"),
        "b": _("moderate: seizures or loss of consciousness, a severe course may follow"),
        "c": _("severe: respiratory depression, apnoea or coma"),
    }
    severe_texts = ", ".join(overdose.SIGNS[c].text for c in _SEVERE)
    msg = {
        "a": _(
            "Seizures, loss of consciousness, respiratory depression, apnoea or coma are more than a mild overdose."
        ),
        "b": (
            message("{signs} mark a severe overdose.", signs=severe_texts.capitalize())
            if a.severity == "severe"
            else _(
                "None of the signs is a seizure or loss of consciousness; the grade is the highest class among them."
            )
        ),
        "c": message("None of the signs is a sign of severe overdose ({severe_texts}).", severe_texts=severe_texts),
    }
    right = grades[a.severity]
    grade_part = ChoicePart(
        "severity",
        _("How severe is the overdose?"),
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
            _("The grade is the highest class among the signs present."),
            message("Severe: {severe_texts}. Moderate: seizures, loss of consciousness.", severe_texts=severe_texts),
        ),
    )
    steps = a.actions[:_STEPS]
    letters = draw.shuffled(list("abcd")[: len(steps)])
    order = OrderPart(
        "first_steps",
        _("Put these steps in order, most urgent first."),
        [letters[i] for i in range(len(steps))],
        rule=message(
            "airway and breathing first, then seizures and circulation, then stop further drug (empty the "
            "pump) and admit, then remove drug from the CSF. {teaching}",
            teaching=teaching,
        ),
        source=_SOURCE,
        items=dict(sorted((letters[i], s.text) for i, s in enumerate(steps))),
        item_sources={letters[i]: s.source for i, s in enumerate(steps)},
        hints=(
            _("Airway and breathing come before everything else."),
            _("Stop further drug (empty the reservoir) before draining CSF. There is no specific antidote."),
        ),
    )
    signs_text = ", ".join(overdose.SIGNS[c].text for c in a.signs)
    story = message(
        "Three hours after the refill the nurse finds: **{signs_text}**. The doctor suspects an "
        "intrathecal baclofen overdose (a programming error is possible). Lumbar puncture is not "
        "contraindicated.",
        signs_text=signs_text,
    )
    return Variant(patient, situation, story, {"signs": a.signs}, (grade_part, order))
