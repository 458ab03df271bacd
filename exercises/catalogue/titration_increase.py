"""Exercise ``titration_increase``: the allowed daily increase band and the highest next daily dose.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import titration
from itbcore.units import fmt

from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise

_SOURCE = "lionova 4.2; lioresal Dosing: phase of dose selection"


def _band(limits: tuple[float, float]) -> str:
    lo, hi = limits
    return f"+{lo * 100:g} % to +{hi * 100:g} % per 24 h"


@exercise(
    "titration_increase",
    "Titration: how much more today?",
    "The daily increase band by origin, and the highest daily dose allowed for the next 24 h.",
)
def build(draw: Draw) -> Variant:
    situation = draw.situation("titration_day")
    while situation.day == 1:  # no increase in the first 24 h (lionova 4.2)
        situation = draw.situation("titration_day")
    patient_case = draw.patient(population="adult")
    patient = patient_case.to_patient()
    current = draw.quantity(situation, "current", "ug/day")
    limits = titration.increase_limits(patient, phase="titration")
    other_origin = "cerebral" if patient.origin == "spinal" else "spinal"
    other_limits = titration.increase_limits(patient.replace(origin=other_origin), phase="titration")
    maximum = current * (1 + limits[1])
    band_texts = {_band(limits): "right", _band(other_limits): "origin"}
    for extra in ((0.05, 0.20), (0.20, 0.40), (0.30, 0.50)):
        if len(band_texts) < 4:
            band_texts.setdefault(_band(extra), "other")
    keys = "abcd"
    order = draw.shuffled(list(band_texts))
    options = dict(zip(keys, order, strict=False))
    key_of = {t: k for k, t in options.items()}
    slips = {}
    for text, why in band_texts.items():
        if why == "origin":
            slips[key_of[text]] = Slip(
                "wrong_origin",
                "",
                f"That is the band for spasticity of {other_origin} "
                f"origin; this patient's spasticity is of {patient.origin} origin.",
                _SOURCE,
            )
        elif why == "other":
            slips[key_of[text]] = Slip(
                "wrong_band",
                "",
                "That band is not a titration band of the label "
                "(5–20 % is the maintenance adjustment for cerebral origin).",
                _SOURCE,
            )
    band = ChoicePart(
        "band",
        "Which daily increase does the label allow for this patient during titration?",
        key_of[_band(limits)],
        rule=f"adults, {patient.origin} origin: {_band(limits)}",
        source=_SOURCE,
        options=options,
        slips=slips,
        hints=(
            "The band depends on the origin of the spasticity.",
            "Spinal origin allows a wider band than cerebral origin.",
        ),
    )
    top = QuantityPart(
        "max_daily_dose",
        "What is the highest daily dose you may programme for the next 24 h?",
        maximum,
        unit="ug/day",
        rtol=0.01,
        limit="daily_dose",
        rule=f"highest next dose = current daily dose × (1 + {limits[1] * 100:g} %)",
        source=_SOURCE,
        slips=(
            Slip(
                "wrong_origin",
                current * (1 + other_limits[1]),
                f"You used the {other_origin}-origin band; this patient's spasticity is of {patient.origin} origin.",
                _SOURCE,
            ),
            Slip(
                "lower_end", current * (1 + limits[0]), "That is the lowest step of the band, not the highest.", _SOURCE
            ),
            Slip(
                "increase_only", current * limits[1], "That is the increase alone; add it to the current dose.", _SOURCE
            ),
        ),
        hints=("Find the top of the band first.", "Multiply the current daily dose by (1 + top of the band)."),
    )
    story = (
        f"Day {situation.day} of titration on a programmable pump: current daily dose **{fmt(current)}**, "
        "last change more than 24 h ago, effect still not enough."
    )
    return Variant(patient_case, situation, story, {"current": current, "limits": limits}, (band, top))
