"""Exercise ``titration_increase``: the allowed daily increase band and the highest next daily dose.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import titration
from itbcore.units import fmt

from ..cases import origin_text
from ..checking import ChoicePart, QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2; lioresal Dosing: phase of dose selection"


def _band(limits: tuple[float, float]) -> str:
    lo, hi = limits
    return message("+{low} % to +{high} % per 24 h", low=lo * 100, high=hi * 100)


@exercise(
    "titration_increase",
    N_("Titration: how much more today?"),
    N_("The daily increase band by origin, and the highest daily dose allowed for the next 24 h."),
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
                message(
                    "That is the band for spasticity of {other_origin} origin; this patient's spasticity is of "
                    "{origin} origin.",
                    other_origin=origin_text(other_origin),
                    origin=origin_text(patient.origin),
                ),
                _SOURCE,
            )
        elif why == "other":
            slips[key_of[text]] = Slip(
                "wrong_band",
                "",
                _(
                    "That band is not a titration band of the label (5–20 % is the maintenance adjustment for "
                    "cerebral origin)."
                ),
                _SOURCE,
            )
    band = ChoicePart(
        "band",
        _("Which daily increase does the label allow for this patient during titration?"),
        key_of[_band(limits)],
        rule=message("adults, {origin} origin: {band}", origin=origin_text(patient.origin), band=_band(limits)),
        source=_SOURCE,
        options=options,
        slips=slips,
        hints=(
            _("The band depends on the origin of the spasticity."),
            _("Spinal origin allows a wider band than cerebral origin."),
        ),
    )
    top = QuantityPart(
        "max_daily_dose",
        _("What is the highest daily dose you may programme for the next 24 h?"),
        maximum,
        unit="ug/day",
        rtol=0.01,
        limit="daily_dose",
        rule=message("highest next dose = current daily dose × (1 + {rise} %)", rise=limits[1] * 100),
        source=_SOURCE,
        slips=(
            Slip(
                "wrong_origin",
                current * (1 + other_limits[1]),
                message(
                    "You used the {other_origin}-origin band; this patient's spasticity is of {origin} origin.",
                    other_origin=origin_text(other_origin),
                    origin=origin_text(patient.origin),
                ),
                _SOURCE,
            ),
            Slip(
                "lower_end",
                current * (1 + limits[0]),
                _("That is the lowest step of the band, not the highest."),
                _SOURCE,
            ),
            Slip(
                "increase_only",
                current * limits[1],
                _("That is the increase alone; add it to the current dose."),
                _SOURCE,
            ),
        ),
        hints=(_("Find the top of the band first."), _("Multiply the current daily dose by (1 + top of the band).")),
    )
    story = message(
        "Day {day} of titration on a programmable pump: current daily dose **{current}**, last change "
        "more than 24 h ago, effect still not enough.",
        day=situation.day,
        current=fmt(current),
    )
    return Variant(patient_case, situation, story, {"current": current, "limits": limits}, (band, top))
