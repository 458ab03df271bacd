"""Every section of the three labels is taught or accounted for, and every citation names a mapped section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import itbcore
from itbcore import Patient, overdose, pump, titration, withdrawal
from itbcore.errors import InputError, LabelError
from itbcore.patient import CONDITIONS, MEDICINES
from itbcore.screening import screening_warnings
from itbcore.sources import LABEL_DIFFERENCES, LABEL_MAP, cited_sections, section

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = [e for entries in LABEL_MAP.values() for e in entries]

LIONOVA_SECTIONS = [
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "4.7",
    "4.8",
    "4.9",
    "5.1",
    "5.2",
    "5.3",
    "6.1",
    "6.2",
    "6.3",
    "6.4",
    "6.5",
    "6.6",
]
#: The headings of the lioresal text (shared/seeds/001_*), and of the baclorex leaflet (sections 1-5).
LIORESAL_HEADINGS = [
    "Composition",
    "Dosage form",
    "Pharmacotherapeutic group",
    "Pharmacodynamics",
    "Pharmacokinetics",
    "Indications",
    "Contraindications",
    "Carefully",
    "Pregnancy and lactation",
    "Dosing and Administration",
    "Side effects",
    "Overdose",
    "Interaction",
    "Special instructions",
    "Effect on the ability to drive",
    "Packaging",
    "Storage conditions",
    "Shelf life",
    "Stability of the drug",
    "Manufacturer",
]


def test_every_section_of_the_three_texts_has_an_entry():
    have = {e.section for e in ENTRIES}
    assert {f"lionova {s}" for s in LIONOVA_SECTIONS} <= have
    assert {f"lioresal {h}" for h in LIORESAL_HEADINGS} <= have
    assert {f"baclorex {i}" for i in range(1, 6)} <= have


def test_every_entry_is_taught_or_says_why_not():
    for e in ENTRIES:
        assert e.taught_in or e.reason, e.section
        assert e.title, e.section
        if e.taught_in:
            assert e.summary, e.section


def _codes_in_core() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "itbcore").rglob("*.py"))


def test_every_taught_in_names_something_that_exists():
    from exercises.core import list_exercises

    exercises = {d.id for d in list_exercises()}
    core = _codes_in_core()
    for e in ENTRIES:
        for t in e.taught_in:
            kind, _, name = t.partition(":")
            if kind == "app":
                assert (ROOT / "notebooks" / f"{name}.ipynb").is_file(), (e.section, t)
            elif kind == "exercise":
                assert name in exercises, (e.section, t)
            else:
                assert re.search(rf'["\']{re.escape(t)}["\']', core), (e.section, t)


def _literal_sources() -> list[str]:
    found = []
    for folder in ("itbcore", "widgets", "exercises"):
        for p in (ROOT / folder).rglob("*.py"):
            text = p.read_text(encoding="utf-8")
            found += [f"{k} {s}" for k, s in re.findall(r'cite\("(lionova|lioresal|baclorex)", "([^"]+)"\)', text)]
            found += re.findall(r'"((?:lionova|lioresal|baclorex) [^"{}]+)"', text)
    return found


def test_every_citation_in_the_code_names_a_mapped_section():
    bad = []
    for src in _literal_sources():
        if src.startswith(
            (
                "lioresal label",
                "lioresal gives",
                "lionova names",
                "lionova states",
                "lioresal limits",
                "lioresal 11-week",
                "lioresal is silent",
            )
        ):
            continue  # prose that begins with a label's name, not a citation
        try:
            cited_sections(src)
        except LabelError as exc:
            bad.append(str(exc))
    assert not bad, "\n".join(bad)


def _results():
    """Findings and actions of a broad sweep of the core, under both rule profiles."""
    out = []
    for label in ("lionova", "lioresal"):
        for age in (8, 45, 70):
            p = Patient(
                age,
                "spinal",
                weight="30 kg",
                conditions=[c for c in CONDITIONS if c not in ("hypersensitivity", "treatment_resistant_epilepsy")],
                medicines=list(MEDICINES),
            )
            out += screening_warnings(p, label)
            out += screening_warnings(
                Patient(age, "cerebral", conditions=["hypersensitivity", "treatment_resistant_epilepsy"]), label
            )
            for current, new, start, last in (
                ("100 ug/day", "140 ug/day", "12 h", None),
                ("500 ug/day", "5 ug/day", "30 day", "3 day"),
                ("1200 ug/day", "1300 ug/day", "30 day", "3 day"),
            ):
                out += titration.check_change(
                    Patient(age, "spinal"), current, new, start, last, label=label, no_effect=True
                )
        out += pump.refill_plan("20 mL", "500 ug/mL", "100 ug/day", label=label).findings
        out += overdose.assess(list(overdose.SIGNS), label=label).actions
        out += overdose.assess(list(overdose.SIGNS), label=label).findings
        out += pump.choose_concentration("100 ug/day", label=label).findings
    out += withdrawal.assess(list(withdrawal.SIGNS)).actions
    out += withdrawal.likely_causes("36 h").causes
    out += list(overdose.physostigmine(Patient(40, "spinal")).cautions)
    return out


def test_every_source_a_rule_finding_or_action_cites_names_a_mapped_section():
    results = _results()
    assert len(results) > 100
    for r in results:
        cited_sections(r.source)  # raises LabelError for an unmapped section


def test_every_label_difference_cites_mapped_sections():
    for d in LABEL_DIFFERENCES:
        for src in d.sources.values():
            cited_sections(src)


def test_the_map_parser_refuses_an_unmapped_section():
    with pytest.raises(LabelError):
        cited_sections("lionova 4.11")
    with pytest.raises(LabelError):
        section("lioresal Chapter 9")
    assert [s.section for s in cited_sections("lionova 4.2, 6.6 (dilution)")] == ["lionova 4.2", "lionova 6.6"]


def test_new_teaching_content_is_in_the_core():
    p = Patient(30, "spinal", conditions=["pregnancy", "breast_feeding", "drives", "scoliosis", "peg_tube"])
    by = {f.code: f for f in screening_warnings(p)}
    assert by["pregnancy"].source == "lionova 4.6" and by["driving"].source == "lionova 4.7"
    assert by["scoliosis"].source == "lionova 4.4" and by["peg_tube"].source == "baclorex 2"
    assert "can be used while breast-feeding" in by["breast_feeding"].message
    by = {f.code: f for f in screening_warnings(p, "lioresal")}
    assert by["pregnancy"].source == "lioresal Pregnancy and lactation"
    assert len(itbcore.LABEL_DIFFERENCES) >= 20


def test_before_the_first_fill_checklist_is_sourced_and_fits_the_patient():
    from itbcore.screening import before_first_fill

    adult = {i.code: i for i in before_first_fill(Patient(40, "spinal"))}
    child = {i.code: i for i in before_first_fill(Patient(8, "cerebral"), post_traumatic=True, label="lioresal")}
    assert not adult["arachnoiditis_imaging"].applies and child["arachnoiditis_imaging"].applies
    assert not adult["child_body_size"].applies and child["child_body_size"].applies
    assert "bacterial filter" in adult["compatible_pump_with_filter"].text
    assert "epidural" in adult["route_intrathecal_only"].text
    for item in (*adult.values(), *child.values()):
        assert cited_sections(item.source)


def test_interactions_are_data_with_an_effect_and_an_action():
    from itbcore.screening import INTERACTIONS

    assert {"morphine", "antihypertensive", "levodopa_carbidopa"} <= set(INTERACTIONS)
    for code, i in INTERACTIONS.items():
        assert i.medicine == code and i.effect and i.action and cited_sections(i.source)


def test_adverse_effects_are_data_by_band_with_the_texts_figures():
    from itbcore.adverse_effects import ADVERSE_EFFECTS, BANDS, LISTED, by_band, effect

    # lioresal Side effects: "very often - drowsiness (24.8%), headache (19.9%), seizures (10.4%)";
    # "urinary retention (11.4%)"; "lowering blood pressure (37.4%)" filed under "often".
    pct = {e.code: e.percent.get("lioresal") for e in ADVERSE_EFFECTS}
    assert (pct["drowsiness"], pct["headache"], pct["seizures"], pct["urinary_retention"]) == (24.8, 19.9, 10.4, 11.4)
    assert effect("hypotension").band_in("lioresal") == "often" and pct["hypotension"] == 37.4
    assert {e.code for e in ADVERSE_EFFECTS if e.more_with_cerebral} == {
        "headache",
        "seizures",
        "urinary_retention",
        "nausea",
        "vomiting",
    }
    assert all(set(e.bands.values()) <= {*BANDS, LISTED} and cited_sections(e.source) for e in ADVERSE_EFFECTS)
    assert by_band("infrequently") and pytest.raises(InputError, by_band, "sometimes")
