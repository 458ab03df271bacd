"""Regression tests of the citation audit of the pump, fill, PK, scenario and refill-checklist rules.

For training only, not for treating patients.

Each test is named after a defect the audit found: a rule that cited a section which does not say it, a label made
to say another label's words, or a label fact the suite left out.  Each reads the label text it rests on from the
seed section (``test_citation_audit.section_text``).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from itbcore import Patient, formulations
from itbcore.errors import DoseLimitError
from itbcore.formulations import FORMULATIONS, ampoules_for_fill
from itbcore.label_map import cited_sections
from itbcore.pk import LABEL_PK
from itbcore.pump import PumpSettings, choose_concentration, refill_plan
from itbcore.scenarios import access_port_injection, too_fast_titration
from itbcore.sources import differences
from itbcore.units import Q_

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_citation_audit import fold, needs_seeds, section_text


def _sections(source: str) -> list[str]:
    return [s.section for s in cited_sections(source)]


def _by_code(findings) -> dict:
    return {f.code: f for f in findings}


@needs_seeds
def test_lioresal_refill_rules_cite_special_instructions_not_dosing():
    refill = "Re-fill the infusion pump reservoir."
    port = "Direct injection into the catheter through the access port can cause an overdose"
    assert refill in section_text("lioresal Special instructions")
    assert port in section_text("lioresal Special instructions")
    assert port not in section_text("lioresal Dosing: re-fill")  # the whole of Dosing and Administration
    found = _by_code(refill_plan("20 mL", "500 ug/mL", "100 ug/day", label="lioresal").findings)
    for code in ("never_empty", "catheter_access_port"):
        assert "lioresal Special instructions" in _sections(found[code].source), code
        assert "lioresal Dosing: re-fill" not in _sections(found[code].source), code


@needs_seeds
def test_concentration_rule_cites_lioresal_infusion_system_and_baclorex_health_personnel_part():
    lioresal = "The particular concentration of the drug to be applied via an infusion pump depends on the desired"
    baclorex = "Seçilecek kesin konsantrasyon, gerekli toplam günlük doza ve pompanın minimum infüzyon"
    assert lioresal in section_text("lioresal Instructions for use of the infusion system")
    assert baclorex in section_text("baclorex 5") and baclorex not in section_text("baclorex Seyreltme")
    source = _by_code(choose_concentration("100 ug/day").findings)["concentration_depends"].source
    assert _sections(source) == ["lionova 4.2", "lioresal Instructions for use of the infusion system", "baclorex 5"]


@needs_seeds
def test_lioresal_too_fast_titration_cites_lioresal_not_lionova():
    assert "an excessive rapid dose increase" in section_text("lioresal Overdose")
    assert "the beginning of an antispastic action is observed after 6-8 hours" in section_text(
        "lioresal Pharmacodynamics"
    )
    r = too_fast_titration("100 ug/day", 0.5, 3, label="lioresal")
    found = _by_code(r.findings)
    assert _sections(found["too_rapid_increase"].source) == ["lioresal Overdose"]
    assert _sections(found["effect_lags"].source) == ["lioresal Pharmacodynamics"]
    assert _sections(r.source) == ["lioresal Overdose"]
    lionova = too_fast_titration("100 ug/day", 0.5, 3, label="lionova")
    assert _sections(_by_code(lionova.findings)["too_rapid_increase"].source) == ["lionova 4.9"]


@needs_seeds
def test_csf_peak_cites_the_75_ml_of_lionova_5_2():
    assert "Gjennomsnittsverdien på ca. 75 ml tilsvarer ca. humant CSF-volum" in section_text("lionova 5.2")
    assert "75 ml" not in section_text("lionova 4.9")
    peak = _by_code(access_port_injection().findings)["csf_peak"]
    assert "75 mL" in peak.message and "lionova 5.2" in _sections(peak.source)


@needs_seeds
def test_refill_inspection_step_rests_on_lioresal_not_lionova_6_6():
    from itbcore.assessment import REFILL_STEPS

    lioresal = "The drug can not be used when the color changes and the appearance of undissolved visible particles."
    assert lioresal in section_text("lioresal Dosing and Administration")
    for section in ("lionova 6.6", "lionova 6.3"):
        assert "partik" not in section_text(section) and "farge" not in section_text(section), section
    step = next(s for s in REFILL_STEPS if s.code == "inspect_solution")
    assert _sections(step.source)[0] == "lioresal Dosing and Administration"
    assert "lionova 3" in _sections(step.source)  # lionova: a clear, colourless solution


@needs_seeds
def test_refill_before_alarm_step_cites_lionova_4_4_not_4_2():
    from itbcore.assessment import REFILL_STEPS

    assert "tidsplaner og prosedyrer for påfylling av pumpen og pumpens alarmsignaler" in section_text("lionova 4.4")
    assert "alarm" not in section_text("lionova 4.2")
    step = next(s for s in REFILL_STEPS if s.code == "refill_before_alarm")
    assert _sections(step.source)[0] == "lionova 4.4"


@needs_seeds
def test_storage_item_does_not_make_baclorex_say_not_frozen():
    from itbcore.screening import before_first_fill

    assert "should not be frozen" in section_text("lioresal Storage conditions")
    assert "Isıdan koruyarak 30 °C altındaki oda sıcaklığında saklanmalıdır." in section_text("baclorex 5")
    assert "dondur" not in section_text("baclorex 5").lower()  # Turkish: freeze
    assert "ingen spesielle oppbevaringsbetingelser" in section_text("lionova 6.4")
    items = before_first_fill(Patient(40, "spinal"), True, "lionova")
    storage = next(i for i in items if i.code == "storage").text
    baclorex_part = storage.split("baclorex:", 1)[1]
    lionova_part = storage.split("lionova:", 1)[1].split(";", 1)[0]
    assert "frozen" not in baclorex_part and "frozen" not in lionova_part
    assert "not frozen" in storage.split("lioresal:", 1)[1].split(";", 1)[0]
    assert "Only lioresal" in differences("storage")[0].note


@needs_seeds
def test_solution_ph_and_isotonicity_from_lionova_3_and_4_2():
    assert "Klar og fargeløs oppløsning i ampuller med pH 5,0 - 7,0." in section_text("lionova 3")
    assert "Løsningen er stabil, isoton, pyrogen og antioksidantfri og har en pH på 5,0 - 7,0." in section_text(
        "lionova 4.2"
    )
    solution = formulations.SOLUTION
    assert solution.ph_range == (5.0, 7.0) and solution.isotonic and solution.stable
    assert formulations.SOLUTION.appearance == "clear and colourless"
    assert _sections(formulations.SOLUTION.sources["ph_range"]) == ["lionova 3", "lionova 4.2"]
    assert _sections(formulations.SOLUTION.sources["isotonic"]) == ["lionova 4.2"]
    assert "pH" not in fold(section_text("lioresal Dosage form"))  # lioresal states no pH
    assert differences("solution_ph_tonicity")


@needs_seeds
def test_fill_sodium_is_stated_as_share_of_who_2_g_daily():
    text = section_text("lionova 4.4")
    assert (
        "tilsvarende 70,81 mg natrium per dose. Dette tilsvarer 3,5 % av WHOs anbefalte maksimale daglige "
        "inntak av natrium på 2 g for en voksen person." in text
    )
    assert "17,70 mg natrium per dose. Dette tilsvarer 0,9 %" in text
    # Worked from the label's numbers: 70.81 mg / 2000 mg = 3.54 % (the label rounds to 3.5 %); 17.70 mg: 0.885 %.
    assert math.isclose(formulations.sodium_share_of_who_daily("70.81 mg"), 0.035405)
    assert math.isclose(FORMULATIONS["2000 ug/mL"].sodium_share_of_who_daily, 0.00885)
    fill = ampoules_for_fill("500 ug/mL", "20 mL")
    assert math.isclose(fill.sodium_share_of_who_daily, 0.035405)
    sodium = _by_code(fill.findings)["sodium"]
    assert "3.5 % of the WHO-recommended maximum daily intake of 2 g sodium for an adult" in sodium.message
    assert sodium.source == "lionova 4.4"
    five = _by_code(ampoules_for_fill("2000 ug/mL", "5 mL").findings)["sodium"].message
    assert "0.9 % of the WHO-recommended" in five


@needs_seeds
def test_children_plasma_level_at_8_to_18_years_is_in_label_pk():
    assert (
        "Pediatriske pasienter (alder 8-18 år), som mottok kronisk intratekal baklofen infusjoner med dosering "
        "mellom 77 og 400 mikrogram/ml, hadde plasmakonsentrasjoner på eller under 11 nanogram/ml."
    ) in section_text("lionova 5.2")
    assert "11 ng" not in section_text("lioresal Pharmacokinetics")
    assert LABEL_PK.plasma_max_children_chronic == Q_(11, "ng/mL")
    assert LABEL_PK.plasma_max_children_chronic_ages == (Q_(8, "year"), Q_(18, "year"))
    assert LABEL_PK.plasma_max_children_chronic_dosing == (Q_(77, "ug/mL"), Q_(400, "ug/mL"))  # as printed
    for key in (
        "plasma_max_children_chronic",
        "plasma_max_children_chronic_ages",
        "plasma_max_children_chronic_dosing",
    ):
        assert LABEL_PK.sources[key] == "lionova 5.2"
    assert differences("children_plasma_level")


def test_compare_settings_concentration_above_strengths_is_refused_where_entered():
    # The branch that flagged a concentration above 2000 µg/mL could never run: the drug library refuses it first.
    with pytest.raises(DoseLimitError):
        PumpSettings("2500 ug/mL", "400 ug/day")
