"""Every rule's source says what the rule says: the sentence each new rule rests on is found in its label's text.

For training only, not for treating patients.

The seed texts (``shared/seeds``; lionova is Norwegian, lioresal an English translation) are searched with their
line breaks and repeated spaces folded, within the section the rule cites: lionova by its numbered section
("4.2" up to "4.3"), lioresal within its heading ("Dosing and Administration:" up to "Side effects:").
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from itbcore import library, maintenance, pump, screening
from itbcore.sources import LABELS
from itbcore.titration import DECREASE_LIMITS, LARGEST_INCREASE, SPINAL_BAND

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

#: lioresal's top headings, in the order of the text (for the end of a section).
_LIORESAL_HEADINGS = ("Dosing and Administration:", "Side effects:")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _section(source: str) -> str:
    """The text of the cited section, folded."""
    key, _, section = source.partition(" ")
    text = (SEEDS / LABELS[key].seed_file).read_text(encoding="utf-8")
    if key == "lionova":
        start = re.search(rf"^\s*{re.escape(section)} \S", text, re.M)
        assert start, source
        end = re.search(r"^\s*\d\.\d \S", text[start.end():], re.M)
        return _fold(text[start.start(): start.end() + (end.start() if end else len(text))])
    if key == "lioresal" and section.startswith(("Dosing", "Dosing:")):
        a, b = text.index(_LIORESAL_HEADINGS[0]), text.index(_LIORESAL_HEADINGS[1])
        return _fold(text[a:b])
    return _fold(text)


#: (rule, source, the sentence it rests on, as the label prints it).
QUOTES = [
    ("after a change of concentration or rate, follow the patient closely (compare_settings: monitor_until_stable)",
     "lionova 4.4", "ved endring i konsentrasjonen av baklofen eller infusjonshastigheten, må pasienten følges nøye "
     "inntil tilstanden er stabil"),
    ("after a change of concentration or rate, follow the patient closely (compare_settings: monitor_until_stable)",
     "lioresal Special instructions", "especially necessary during the initial phase of use the infusion system "
     "and every time the dosing rate and / or the concentration of baclofen in the pump reservoir changes"),
    ("the maximum test dose: screening's ceiling, the drug library's test_dose and the top of bolus_dose's soft "
     "range", "lionova 4.2",
     "Dosen kan økes i trinn på 25 mikrogram med intervaller på minst 24 timer til en maksimal testdose på 100 "
     "mikrogram"),
    ("the bottom of bolus_dose's soft range: the usual first test dose", "lionova 4.2",
     "Den vanlige innledende testdosen for voksne er 25 eller 50 mikrogram"),
    ("no response at the maximum test dose: no further increase", "lionova 4.2",
     "Hos pasienter som ikke responderer på en testdose på 100 mikrogram, bør det ikke gis noen ytterligere økning "
     "av dosen"),
    ("a pump fill at the screening strength (refill_plan: screening_strength_fill)", "lionova 4.2",
     "Lionova 50 mikrogram/ml er beregnet for administrasjon av en enkelt bolustestdose (via spinalkateter eller "
     "lumbalpunksjon). Lionova 0,5 mg/ml eller 2 mg/ml er egnet for kontinuerlig administrasjon"),
    ("a pump fill at the screening strength (refill_plan: screening_strength_fill)", "lioresal Dosing: initial phase",
     "To test the dose, a solution with a low concentration of the drug (0.05 mg / ml) is intended."),
    ("a flex programme above the intended daily dose by more than a day's increase is a violation", "lionova 4.2",
     "Hos pasienter med spastisitet av spinal opprinnelse kan den daglige dosen økes gradvis med 10-30 %"),
    ("a flex programme below the intended daily dose by more than a day's decrease is a warning", "lionova 4.2",
     "I begge tilfeller kan den daglige dosen også reduseres med 10-20 % dersom pasienten opplever"),
    ("a flex programme above the intended daily dose by more than a day's increase is a violation",
     "lioresal Dosing: supportive therapy",
     "Patients with spasticity daily dose can be gradually increased (by 10- 30%)"),
]


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside the project")
@pytest.mark.parametrize("rule, source, quote", QUOTES, ids=[f"{i}-{q[1]}" for i, q in enumerate(QUOTES)])
def test_the_sentence_a_rule_rests_on_is_in_its_label(rule, source, quote):
    assert _fold(quote) in _section(source), f"{rule}: not found in {source}"


def test_the_numbers_the_quotes_give_are_the_rules_numbers():
    # the ceiling and the bolus soft range (lionova 4.2: 25 or 50 µg first, up to 100 µg)
    assert screening.MAX_TEST_DOSE.magnitude == 100 == library.limit("test_dose").hard.max
    bolus = library.limit("bolus_dose").soft
    assert (bolus.min, bolus.max, bolus.source) == (25, 100, "lionova 4.2")
    # the flex band (lionova 4.2: +10-30 %, -10-20 %)
    assert SPINAL_BAND == (0.10, 0.30) and LARGEST_INCREASE == 0.30 and DECREASE_LIMITS == (0.10, 0.20)
    assert {f.source for f in maintenance.flex_unit_check("30 ug/h", "480 ug/day")} == {
        "lionova 4.2; lioresal Dosing: supportive therapy"}
    # the screening strength (lionova 4.2; lioresal Dosing: initial phase)
    (f,) = [f for f in pump.refill_plan("20 mL", "50 ug/mL", "20 ug/day").findings
            if f.code == "screening_strength_fill"]
    assert f.source == "lionova 4.2; lioresal Dosing: initial phase"
