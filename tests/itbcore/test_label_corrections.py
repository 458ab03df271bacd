"""Clinical corrections found by reading the three labels against the suite as a pharmacist would.

Each test is named after the correction and quotes the label text it rests on (shared/seeds; lionova is
Norwegian, lioresal an English translation, baclorex Turkish).
"""

import pytest

from itbcore import Patient, overdose, pk, pump, titration, withdrawal
from itbcore.screening import screening_warnings
from itbcore.units import magnitude_in

ADULT = Patient(45, "spinal")


def codes(items):
    return [x.code for x in items]


def test_cut_to_near_zero_at_once_is_an_abrupt_discontinuation():
    # lionova 4.2: "Med unntak av akutte overdosetilfeller ... skal behandling med baklofen alltid seponeres ved
    # gradvise dosereduksjoner. Baklofen må ikke seponeres brått."
    out = titration.check_change(ADULT, "500 ug/day", "5 ug/day", "30 day", "3 day", phase="maintenance")
    (f,) = [f for f in out if f.code == "abrupt_stop"]
    assert f.severity == "violation" and "lionova 4.2" in f.source
    assert "500 µg/day to 5 µg/day" in f.message
    # a reduction in steps stays a band warning, not a violation
    out = titration.check_change(ADULT, "500 ug/day", "300 ug/day", "30 day", "3 day", phase="maintenance")
    assert "abrupt_stop" not in codes(out) and "decrease_above_band" in codes(out)


def test_coma_gets_airway_and_breathing_actions_without_respiratory_depression():
    # lionova 4.9: "Respirasjonsdepresjon, apné og koma forekommer ved alvorlig overdosering."
    for sign in ("coma", "loss_of_consciousness"):
        a = overdose.assess([sign])
        assert a.actions[0].code == "intubate"
        assert "airway" in a.actions[0].text and "breathing" in a.actions[0].text


def test_emptying_the_pump_is_ordered_as_the_label_orders_it():
    # lionova 4.9 "Behandling": "Resten av oppløsningen ... skal fjernes fra pumpen så raskt som mulig" comes
    # before intubation, CSF drainage, cardiovascular support and diazepam; admission comes at the first signs.
    order = codes(overdose.assess(["drowsiness", "seizures"]).actions)
    assert order == ["admit", "empty_pump", "csf_drain", "cardiovascular_support", "diazepam_for_seizures"]
    # the airway, when threatened, comes first of all
    assert codes(overdose.assess(["apnea"]).actions)[:3] == ["intubate", "admit", "empty_pump"]


def test_a_single_mild_sign_does_not_call_for_a_csf_drain():
    # lionova 4.9: CSF is withdrawn "for å redusere konsentrasjonen av baklofen i CSF"; nausea alone shows none.
    a = overdose.assess(["nausea"])
    assert "csf_drain" not in codes(a.actions)
    assert "csf_drain_not_indicated" in codes(a.findings)
    assert "csf_drain" in codes(overdose.assess(["nausea", "drowsiness"]).actions)


def test_flex_total_beyond_the_label_band_is_flagged():
    # lionova 4.2: increases of 10-30 % (spinal), decreases of 10-20 % for side effects; a 1.5-fold programme
    # is no day's adjustment.
    from itbcore.maintenance import flex_unit_check

    (f,) = flex_unit_check("30 ug/h", "480 ug/day")  # 720 µg/day: +50 %
    assert f.code == "off_intended_beyond_band" and f.severity == "violation" and "lionova 4.2" in f.source
    assert flex_unit_check("24 ug/h", "480 ug/day") == []  # 576 µg/day: +20 %, within the band


def test_compare_settings_and_check_change_agree_on_the_severity_of_the_same_change():
    for old, new in ((400, 560), (400, 40 * 0.5), (400, 280)):
        cmp = {
            f.code: f.severity
            for f in pump.compare_settings(
                pump.PumpSettings("500 ug/mL", f"{old} ug/day"), pump.PumpSettings("500 ug/mL", f"{new} ug/day")
            )
        }
        chk = {
            f.code: f.severity
            for f in titration.check_change(
                ADULT, f"{old} ug/day", f"{new} ug/day", "30 day", "3 day", phase="maintenance"
            )
        }
        for a, b in (
            ("dose_increase_above_label", "increase_above_band"),
            ("abrupt_stop", "abrupt_stop"),
            ("decrease_above_band", "decrease_above_band"),
            ("above_1000", "above_1000"),
        ):
            if a in cmp or b in chk:
                assert cmp.get(a) == chk.get(b), (old, new, a, cmp, chk)


def test_restarting_after_an_interruption_carries_the_overdose_monitoring_warning():
    # lionova 4.9: "Pasienten må overvåkes nøye for tegn og symptomer på overdosering ... også ved
    # gjenopptakelse av baklofen etter avbrudd i behandlingen."
    (restart,) = [a for a in withdrawal.assess(["pruritus"]).actions if a.code == "restart_itb"]
    assert "lionova 4.9" in restart.source and "overdose" in restart.text


def test_loss_of_effect_lists_a_catheter_tip_inflammatory_mass():
    # lionova 4.4 "Inflammatorisk masse på spissen av implantert kateter": "De vanligste symptomene ... er:
    # 1) nedsatt terapeutisk respons".
    causes = withdrawal.likely_causes()
    (mass,) = [c for c in causes.causes if c.code == "inflammatory_mass"]
    assert mass.source == "lionova 4.4"
    out = titration.check_change(
        ADULT, "400 ug/day", "440 ug/day", "30 day", "3 day", phase="maintenance", no_effect=True
    )
    (f,) = [f for f in out if f.code == "check_pump_catheter"]
    assert "inflammatory mass" in f.message and "lionova 4.4" in f.source


def test_renal_impairment_may_need_a_lower_dose_under_lionova():
    # lionova 4.2 "Nedsatt nyrefunksjon": "kan det være nødvendig å redusere dosen"; lioresal: "care must be taken".
    p = Patient(50, "spinal", conditions=["renal_impairment"])
    (f,) = [f for f in screening_warnings(p) if f.code == "caution_renal_impairment"]
    assert f.severity == "warning" and "reduced" in f.message and f.source == "lionova 4.2, lionova 4.4"
    (g,) = [f for f in screening_warnings(p, "lioresal") if f.code == "caution_renal_impairment"]
    assert g.source == "lioresal Carefully" and "reduced" not in g.message


def test_patients_65_and_over_are_monitored_closely_under_lionova():
    # lionova 4.2 "Eldre pasienter (≥ 65 år) ... bør derfor overvåkes nøye for utvikling av bivirkninger";
    # lioresal Carefully: "with individual selection of the dose ... an increase ... is unlikely".
    (f,) = [f for f in screening_warnings(Patient(65, "spinal")) if f.code == "older_patient"]
    assert f.severity == "warning" and "monitor" in f.message and "lionova 4.2" in f.source
    (g,) = [f for f in screening_warnings(Patient(70, "spinal"), "lioresal") if f.code == "older_patient"]
    assert g.severity == "info" and "unlikely" in g.message
    assert not [f for f in screening_warnings(Patient(65, "spinal"), "lioresal") if f.code == "older_patient"]


def test_treatment_resistant_epilepsy_is_cited_to_lionova_4_3_and_baclorex_2_not_lioresal():
    # lionova 4.3: "- Behandlingsresistent epilepsi."; baclorex 2: "Tedaviye dirençli epilepsi ...";
    # lioresal's contraindications are hypersensitivity and age under 4 only.
    p = Patient(40, "spinal", conditions=["treatment_resistant_epilepsy"])
    (f,) = [f for f in screening_warnings(p) if f.code == "contraindication_treatment_resistant_epilepsy"]
    assert f.severity == "violation" and f.source == "lionova 4.3; baclorex 2"
    (g,) = [f for f in screening_warnings(p, "lioresal") if f.code == "contraindication_treatment_resistant_epilepsy"]
    assert g.severity == "warning" and "lioresal Contraindications" not in g.source


def test_stopping_oral_relaxants_suddenly_is_lionova_4_5():
    # lionova 4.5: "Enhver plutselig reduksjon eller seponering av samtidig muskelrelakserende legemiddel bør
    # unngås under kronisk behandling med baklofen."
    p = Patient(40, "spinal", medicines=["oral_baclofen"])
    (f,) = [f for f in screening_warnings(p) if f.code == "interaction_oral_baclofen"]
    assert f.source == "lionova 4.5"


def test_adult_physostigmine_dose_is_the_labels_1_to_2_mg_range():
    # lioresal Overdose: adults "1-2 mg" IV over 5-10 min.
    r = overdose.physostigmine(Patient(40, "spinal"))
    assert [magnitude_in(q, "mg") for q in r.dose_range] == [1.0, 2.0]
    assert r.dose_text == "1–2 mg"
    assert overdose.physostigmine(Patient(8, "spinal"), weight="20 kg").dose_text == "0.4 mg"


def test_taper_length_says_where_it_comes_from():
    # lionova 4.2 (drug holiday "i løpet av 2 til 4 uker"); the taper's 14-28 days are those 2-4 weeks.
    with pytest.raises(
        Exception, match=r"14 to 28 days \(lionova 4.2: the 2–4 weeks of a drug holiday.s gradual reduction\)"
    ):
        withdrawal.taper("400 ug/day", days=7)


def test_steady_state_carries_the_labels_figures_beside_the_models():
    # lionova 5.2: "steady-state ... 130 til 1240 ng/ml" at 50-1200 µg/day, reached within 1-2 days.
    s = pk.steady_state("500 ug/day")
    assert [magnitude_in(q, "ng/mL") for q in s.label_range] == [130, 1240]
    assert [magnitude_in(q, "day") for q in s.label_time] == [1, 2]
    assert magnitude_in(s.model, "ng/mL") == pytest.approx(694.4, rel=1e-3)
    assert "lionova 5.2" in s.source and "1–2 days" in s.note


def test_choose_concentration_says_when_a_fill_would_outlast_the_stability_cap():
    # lioresal Stability of the drug: "maintained for 11 weeks" in a SynchroMed pump.
    c = pump.choose_concentration("100 ug/day", "20 mL", label="lioresal")
    (f,) = [f for f in c.findings if f.code == "outlasts_stability"]
    assert f.severity == "warning" and f.source == "lioresal Stability of the drug"
    (g,) = [f for f in pump.choose_concentration("100 ug/day", "20 mL").findings if f.code == "outlasts_stability"]
    assert g.severity == "info"
