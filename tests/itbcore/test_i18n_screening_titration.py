"""Screening, titration, the reader, the drug library, the patient and the refill checklist speak through the
core's catalogue: in the pseudo-locale every message they make comes out inside ``⟦…⟧`` (no English left
outside a translated template), and keeps its English template and parameters."""

from __future__ import annotations

import re

import pytest

from itbcore import library, screening, titration
from itbcore.assessment import REFILL_STEPS, score_refill
from itbcore.errors import ITBError
from itbcore.i18n import Message, using
from itbcore.patient import CONDITIONS, MEDICINES, Patient
from itbcore.units import as_quantity

_WORDS = re.compile(r"[A-Za-z]{4,}")


def _outside(text: str) -> str:
    """What is left of ``text`` once every ``⟦…⟧`` (nested ones too) is taken out."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", "", text)
    return text


def _messages() -> list[str]:
    out: list[str] = []
    everything = Patient(
        70,
        "spinal",
        conditions=sorted(set(CONDITIONS) - {"hypersensitivity", "treatment_resistant_epilepsy"}),
        medicines=sorted(MEDICINES),
    )
    child = Patient(5, "cerebral", conditions=["peg_tube"])
    for label in ("lionova", "lioresal"):
        out += [f.message for f in screening.screening_warnings(everything, label)]
        out += [i.text for i in screening.before_first_fill(everything, True, label)]
        for doses, responded in ((["25 ug", "50 ug"], False), (["25 ug", "50 ug", "75 ug", "100 ug"], False)):
            out += [f.message for f in screening.next_step(child, doses, responded, label).findings]
        out += [f.message for f in screening.next_step(Patient(40, "spinal"), ["75 ug"], True, label).findings]
    out.append(screening.initial_test_dose(Patient(30, "spinal"), relies_on_spasticity=True).reason)
    for args in (
        ("100 ug/day", "140 ug/day", "3 day", "24 h"),
        ("100 ug/day", "120 ug/day", "12 h", None),
        ("100 ug/day", "5 ug/day", "5 day", "2 h"),
        ("100 ug/day", "0 ug/day", "5 day", "2 h"),
        ("1000 ug/day", "1100 ug/day", "5 day", "30 h"),
    ):
        for patient in (Patient(40, "spinal"), Patient(8, "cerebral")):
            out += [f.message for f in titration.check_change(patient, *args, no_effect=True)]
            out += [
                f.message
                for f in titration.check_change(
                    patient, *args, pump="non_programmable", phase="maintenance", label="lioresal"
                )
            ]
    plan = titration.titration_plan(Patient(8, "spinal"), "100 ug/day", "300 ug/day", step_fraction=0.05, max_steps=3)
    out += [f.message for f in plan.findings]
    out += [o.rule for o in titration.initial_dose_options("50 ug", "12 h", True).options]
    out += [f.message for f in library.check("daily_dose", "2500 ug/day")]
    out += [score_refill([]).message, score_refill([s.code for s in REFILL_STEPS]).message]
    out.append(library.active_library().summary)
    return out


def _refusals() -> list[str]:
    attempts = [
        *(
            (lambda text=text: as_quantity(text, "ug/day", name="daily dose"))
            for text in ("", "1,000 ug", "1.000 ug", "5 ug mg", "50", "5 kg", "2*3 ug", ".5 ug", "5 foo", "1o ug")
        ),
        lambda: library.check("daily_dose", "100 mg/day", name="daily dose"),
        lambda: library.read_date("9999-12-25", "fill date"),
        lambda: screening.test_dose_volume("125 ug"),
        lambda: Patient(3, "spinal").require_eligible("lioresal"),
        lambda: titration.initial_daily_dose("150 ug", "3 h"),
    ]
    out = []
    for attempt in attempts:
        with pytest.raises(ITBError) as info:
            attempt()
        out.append(str(info.value))
    return out


def test_every_message_passes_through_the_catalogue():
    with using("qps"):
        texts = _messages() + _refusals()
    left = [t for t in texts if _WORDS.search(_outside(t))]
    assert texts and not left, left[:3]


def test_a_field_name_is_translated_inside_the_refusal():
    with using("qps"), pytest.raises(ITBError) as info:
        as_quantity("5", "ug", name="test dose")
    assert "⟦test dose⟧" in str(info.value)


def test_findings_keep_their_english_template():
    with using("nb"):
        finding = titration.check_change(Patient(40, "spinal"), "100 ug/day", "140 ug/day", "3 day", "24 h")[0]
    assert isinstance(finding.message, Message)
    assert finding.message.template.startswith("An increase of {percent} %")
