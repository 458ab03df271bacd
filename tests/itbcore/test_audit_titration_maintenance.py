"""The citation audit of titration and maintenance: each defect found, as a regression test that quotes the label.

For training only, not for treating patients.
"""

from __future__ import annotations

import pytest

from itbcore import maintenance, titration
from itbcore.patient import Patient

ADULT_SPINAL = Patient(40, "spinal")


def _codes(findings, code):
    return [f for f in findings if f.code == code]


def test_lioresal_check_pump_catheter_cites_its_own_granuloma_section_not_lionova_4_4():
    # lioresal Special instructions: "Cases of granuloma on the end of an implanted catheter ... The most frequent
    # symptoms of catheter granulomas were: a decrease in therapeutic efficacy".  Under lioresal the finding cited
    # lionova 4.4 ("Inflammatorisk masse på spissen av implantert kateter"), another label's section.
    f = _codes(
        titration.check_change(
            ADULT_SPINAL, "100 ug/day", "120 ug/day", "5 day", "30 h", label="lioresal", no_effect=True
        ),
        "check_pump_catheter",
    )[0]
    assert "lionova" not in f.source
    assert f.source == "lioresal Dosing: phase of dose selection; lioresal Special instructions"
    assert "granuloma" in f.message
    g = _codes(
        titration.check_change(ADULT_SPINAL, "100 ug/day", "120 ug/day", "5 day", "30 h", no_effect=True),
        "check_pump_catheter",
    )[0]
    assert g.source == "lionova 4.2; lionova 4.4" and "inflammatory mass" in g.message


def test_lioresal_child_maintenance_note_does_not_borrow_lionovas_first_year():
    # lionova 4.2: "Det er vanlig at den totale daglige dosen øker i løpet av det første året av behandlingen";
    # lioresal Dosing: supportive therapy: "The maintenance dose depends on the severity of the clinical response
    # with a tendency to gradually increase the total daily dose" -- no first year.
    child = Patient(10, "spinal")
    assert "first year" in maintenance.maintenance_range(child, "lionova").notes[0]
    note = maintenance.maintenance_range(child, "lioresal").notes[0]
    assert "first year" not in note and "rise gradually" in note


def test_lioresal_adult_above_1000_cites_the_phase_of_dose_selection_not_the_childrens_paragraph():
    # lioresal states "Data on the use of the drug in doses exceeding 1000 micrograms per day are limited" only in
    # its "Children and adolescents (from 4 to 18 years)" paragraph of supportive therapy; for every patient:
    # "The experience of using doses of the drug exceeding 1000 mcg per day is limited" (phase of dose selection).
    adult = _codes(maintenance.dose_range_findings(ADULT_SPINAL, "1200 ug/day", "lioresal"), "above_1000")[0]
    assert adult.source == "lioresal Dosing: phase of dose selection"
    child = _codes(maintenance.dose_range_findings(Patient(10, "spinal"), "1200 ug/day", "lioresal"), "above_1000")[0]
    assert child.source == "lioresal Dosing: supportive therapy"


@pytest.mark.parametrize("label", ["lionova", "lioresal"])
def test_plan_interval_bars_an_increase_not_every_change_in_the_first_24h(label):
    # lionova 4.2: "Dosen bør ikke økes i løpet av de første 24 timene"; lioresal Dosing: phase of dose selection:
    # "In the first 24 hours ... can not be increased".  A decrease for side effects is not barred.
    plan = titration.titration_plan(ADULT_SPINAL, "200 ug/day", "180 ug/day", label=label)
    f = _codes(plan.findings, "plan_interval")[0]
    assert f.message.startswith("No increase in the first 24 h")


def test_an_interruption_in_a_flex_programme_cites_lioresal_too_not_only_lionova_4_4():
    # lioresal Dosing: discontinuation of treatment: "Prevention of cases of sudden discontinuation of therapy ...
    # requires attention to compliance with the rules for programming and monitoring of the infusion system".
    src = "lionova 4.4; lioresal Dosing: discontinuation of treatment"
    p = maintenance.flex_programme([("0 h", "20 ug/h"), ("8 h", "0 ug/h")])
    assert _codes(p.findings, "zero_rate_step")[0].source == src
    assert _codes(maintenance.flex_unit_check("0 ug/h", "60 ug/day"), "nothing_programmed")[0].source == src


def test_drug_holiday_restart_gives_the_retitration_and_hospital_stay_to_lionova_alone():
    # lionova 4.2: "behandlingen bør gjenopptas med den innledende kontinuerlige infusjonsdosen etterfulgt av en
    # titreringsfase for å unngå overdose. Dette må utføres under innleggelse."  lioresal Dosing: supportive therapy:
    # "Treatment with the drug should be resumed using the dose that was administered at the beginning of a
    # prolonged infusion." -- no re-titration, no in-patient stay.
    h = maintenance.drug_holiday("500 ug/day", "100 ug/day")
    a = next(x for x in h.actions if x.code == "restart_initial_dose")
    assert "lionova 4.2 adds" in a.text and "lioresal names neither" in a.text


@pytest.mark.parametrize("label", ["lionova", "lioresal"])
def test_a_child_above_the_initial_maintenance_range_is_told_the_dose_tends_to_rise(label):
    # lionova 4.2: "Det er vanlig at den totale daglige dosen øker i løpet av det første året av behandlingen";
    # lioresal Dosing: supportive therapy: "with a tendency to gradually increase the total daily dose".  The
    # initial range is not a ceiling: the finding named only a catheter complication or pump failure.
    f = _codes(maintenance.dose_range_findings(Patient(10, "spinal"), "300 ug/day", label), "above_range")[0]
    assert maintenance.maintenance_range(Patient(10, "spinal"), label).notes[0] in f.message
    assert "catheter" in f.message
