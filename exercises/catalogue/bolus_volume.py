"""Exercise ``test_bolus_volume``: how many mL of the 50 µg/mL solution hold the test bolus.

For training only, not for treating patients.
"""

from __future__ import annotations

from itbcore import screening
from itbcore.units import Q_, fmt

from ..checking import QuantityPart, Slip
from ..core import Draw, Variant, exercise
from ..i18n import N_, _, message

_SOURCE = "lionova 4.2; lioresal Dosing: initial phase"
_RULE = N_("screening uses only the 50 µg/mL solution, test bolus 25–100 µg: volume = dose ÷ 50 µg/mL")


@exercise(
    "test_bolus_volume",
    N_("Test bolus: volume to draw up"),
    N_("Volume of the 50 µg/mL screening solution for a test bolus (25–100 µg)."),
)
def build(draw: Draw) -> Variant:
    kind = draw.choice(["screening_day_1", "screening_escalation"])
    situation = draw.situation_by_id(kind)
    patient = draw.patient(population="adult")
    dose = draw.quantity(situation, "dose", "ug")
    volume = screening.test_dose_volume(dose)  # refuses anything above 100 µg (lionova 4.2)
    # Typical slips: the pump strengths (500 µg/mL, 2 mg/mL) instead of the 50 µg/mL screening solution.
    slips = tuple(
        Slip(
            f"wrong_strength_{int(c)}",
            (dose / Q_(c, "ug/mL")).to("mL"),
            message(
                "That volume is for the {Q_} pump solution; the test bolus is drawn only from the 50 µg/mL "
                "(0.05 mg/mL) screening ampoule.",
                Q_=fmt(Q_(c, "ug/mL")),
            ),
            "lionova 4.2",
        )
        for c in (500, 2000)
    )
    part = QuantityPart(
        "volume",
        message("How many mL of the 50 µg/mL solution do you draw up for the {dose} test bolus?", dose=fmt(dose)),
        volume,
        unit="mL",
        rtol=0.02,
        rule=_(_RULE),
        source=_SOURCE,
        slips=slips,
        hints=(
            _("Which ampoule is used for screening? Only one strength is allowed for a test bolus."),
            _("The screening solution holds 50 µg in each mL."),
            message("Divide the dose by the concentration: {dose} ÷ 50 µg/mL.", dose=fmt(dose)),
        ),
    )
    story = message(
        "The team gives a test bolus of **{dose}** by lumbar puncture, slowly over at least 1 minute, "
        "with observation for 4–8 h afterwards.",
        dose=fmt(dose),
    )
    return Variant(patient, situation, story, {"dose": dose}, (part,))
