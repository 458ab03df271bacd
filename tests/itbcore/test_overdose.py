"""Tests of itbcore.overdose: signs, severity grade, management and the physostigmine regimen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore import overdose
from itbcore.errors import InputError, ITBError
from itbcore.overdose import CSF_DRAIN_VOLUME, SEVERITIES, SIGNS, assess, physostigmine
from itbcore.patient import Patient
from itbcore.sources import Action, Finding
from itbcore.testing import assert_quantity_close, typed

CONTRACT_SIGNS = {
    "hypotonia",
    "drowsiness",
    "dizziness",
    "somnolence",
    "sedation",
    "seizures",
    "loss_of_consciousness",
    "hypothermia",
    "hypersalivation",
    "nausea",
    "vomiting",
    "respiratory_depression",
    "apnea",
    "coma",
}
CONTRACT_ACTIONS = {
    "admit",
    "empty_pump",
    "intubate",
    "csf_drain",
    "cardiovascular_support",
    "diazepam_for_seizures",
    "physostigmine",
}


def codes(a):
    return [x.code for x in a.actions]


# ---------------------------------------------------------------- signs


def test_sign_codes_match_contract():
    assert set(SIGNS) >= CONTRACT_SIGNS


def test_every_contract_sign_cites_lionova_4_9_and_every_sign_has_text():
    for code, sign in SIGNS.items():
        if code in CONTRACT_SIGNS:
            assert sign.source.startswith("lionova 4.9"), code
        assert set(sign.source.split("; ")) <= {"lionova 4.9", "lioresal Overdose", "baclorex 3"}, code
        assert str(sign) == sign.text and sign.text


@pytest.mark.parametrize("code", ["respiratory_depression", "apnea", "coma"])
def test_severe_signs_of_lionova_4_9_grade_severe(code):
    # lionova 4.9: respiratory depression, apnoea and coma occur in severe overdose.
    assert SIGNS[code].severity == "severe"
    assert assess([code]).severity == "severe"


@pytest.mark.parametrize("code", ["seizures", "loss_of_consciousness"])
def test_seizures_and_loss_of_consciousness_at_least_moderate(code):
    assert SEVERITIES.index(assess([code]).severity) >= SEVERITIES.index("moderate")


@pytest.mark.parametrize("code", ["hypotonia", "nausea", "drowsiness", "hypothermia"])
def test_other_label_signs_are_mild(code):
    assert assess([code]).severity == "mild"


def test_no_signs_no_actions():
    a = assess([])
    assert a.severity == "none" and a.actions == []
    assert a.findings and all(isinstance(f, Finding) for f in a.findings)


# ---------------------------------------------------------------- management


def test_full_label_management_for_severe_overdose():
    a = assess(["respiratory_depression", "seizures", "coma"])
    assert set(codes(a)) == CONTRACT_ACTIONS - {"physostigmine"}
    assert codes(a)[0] == "intubate"  # airway first


def test_intubate_only_with_respiratory_depression_or_apnea():
    assert "intubate" not in codes(assess(["drowsiness"]))
    assert "intubate" in codes(assess(["apnea"]))


def test_diazepam_only_for_seizures():
    assert "diazepam_for_seizures" not in codes(assess(["nausea"]))
    assert "diazepam_for_seizures" in codes(assess(["seizures"]))


def test_csf_drain_30_to_40_ml_unless_lumbar_puncture_contraindicated():
    # lionova 4.9; lioresal Overdose: withdraw 30–40 mL CSF if lumbar puncture is not contraindicated.
    assert_quantity_close(CSF_DRAIN_VOLUME[0], "30 mL")
    assert_quantity_close(CSF_DRAIN_VOLUME[1], "40 mL")
    drain = [x for x in assess(["coma"]).actions if x.code == "csf_drain"][0]
    assert "30–40 mL" in drain.text and drain.source == "lionova 4.9"
    a = assess(["coma"], lumbar_puncture_contraindicated=True)
    assert "csf_drain" not in codes(a)
    assert any(f.code == "csf_drain_not_possible" for f in a.findings)


def test_empty_pump_and_admit_in_every_overdose():
    for code in SIGNS:
        assert {"empty_pump", "admit"} <= set(codes(assess([code])))


def test_physostigmine_only_under_lioresal_with_practice_caution():
    assert "physostigmine" not in codes(assess(["coma"]))
    a = assess(["coma"], label="lioresal")
    phys = [x for x in a.actions if x.code == "physostigmine"][0]
    assert phys.source == "lioresal Overdose"
    assert any(f.source.startswith("practice guidance") for f in a.findings)
    assert any(f.code == "no_antidote" and f.source == "lionova 4.9" for f in assess(["coma"]).findings)


def test_physostigmine_warning_when_seizing():
    a = assess(["seizures", "apnea"], label="lioresal")
    assert any(f.code == "physostigmine_with_seizures" for f in a.findings)


def test_lioresal_profile_cites_lioresal_but_admit_stays_lionova():
    a = assess(["apnea"], label="lioresal")
    by = {x.code: x.source for x in a.actions}
    assert by["intubate"] == "lioresal Overdose"
    assert by["admit"] == "lionova 4.9"
    assert a.label == "lioresal"


def test_unknown_label_refused():
    with pytest.raises(ITBError):
        assess(["coma"], label="lioresol")


def test_single_code_string_accepted():
    assert assess("coma").severity == "severe"


def test_unknown_code_lists_known_codes():
    with pytest.raises(InputError, match="known codes: hypotonia"):
        assess(["coma", "yawning"])


# ---------------------------------------------------------------- properties

sign_lists = st.lists(st.sampled_from(sorted(SIGNS)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(signs=sign_lists, extra=sign_lists)
def test_adding_signs_never_lowers_severity(signs, extra):
    before = SEVERITIES.index(assess(signs).severity)
    after = SEVERITIES.index(assess(signs + extra).severity)
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(signs=sign_lists, label=st.sampled_from(["lionova", "lioresal"]), lp=st.booleans())
def test_actions_always_have_sources_and_are_unique(signs, label, lp):
    a = assess(signs, label=label, lumbar_puncture_contraindicated=lp)
    assert all(isinstance(x, Action) and x.source and x.text for x in a.actions)
    assert all(x.source.split()[0] in ("lionova", "lioresal", "baclorex") for x in a.actions)
    assert len(codes(a)) == len(set(codes(a)))
    assert set(codes(a)) <= CONTRACT_ACTIONS
    assert (a.severity == "none") == (not signs)
    assert all(f.source for f in a.findings)


@settings(max_examples=200, deadline=None)
@given(signs=st.lists(st.one_of(st.text(max_size=12), st.integers(), st.none(), st.floats()), min_size=1, max_size=5))
def test_unknown_codes_raise_input_error_only(signs):
    if all(isinstance(s, str) and s in SIGNS for s in signs):
        assess(signs)
        return
    with pytest.raises(InputError):
        assess(signs)


def test_non_iterable_signs_raise_input_error():
    with pytest.raises(InputError):
        assess(42)


# ---------------------------------------------------------------- physostigmine (lioresal Overdose)


def test_physostigmine_adult_1_to_2_mg_over_5_to_10_min_repeat_1_mg_every_30_to_60_min():
    r = physostigmine(Patient(40, "spinal"))
    assert r.population == "adult"
    assert_quantity_close(r.dose_range[0], "1 mg")
    assert_quantity_close(r.dose_range[1], "2 mg")
    assert_quantity_close(r.dose, "2 mg")
    assert_quantity_close(r.over[0], "5 min")
    assert_quantity_close(r.over[1], "10 min")
    assert r.max_total is None and r.max_rate is None
    assert_quantity_close(r.repeat.dose, "1 mg")
    assert_quantity_close(r.repeat.interval[0], "30 min")
    assert_quantity_close(r.repeat.interval[1], "60 min")
    assert r.source == "lioresal Overdose" and r.route == "IV"
    assert_quantity_close(r.min_duration, "5 min")


def test_physostigmine_child_0_02_mg_per_kg_at_most_0_5_mg_per_min_max_2_mg():
    r = physostigmine(Patient(10, "cerebral", weight="30 kg"))
    assert r.population == "pediatric"
    assert_quantity_close(r.dose, "0.6 mg")
    assert_quantity_close(r.max_total, "2 mg")
    assert_quantity_close(r.max_rate, "0.5 mg/min")
    assert r.over is None
    assert_quantity_close(r.min_duration, "1.2 min")


def test_physostigmine_child_weight_argument_wins():
    r = physostigmine(Patient(10, "cerebral", weight="30 kg"), weight="20 kg")
    assert_quantity_close(r.dose, "0.4 mg")


def test_physostigmine_heavy_child_capped_at_2_mg():
    r = physostigmine(Patient(17, "spinal"), weight="150 kg")
    assert_quantity_close(r.dose, "2 mg")


def test_physostigmine_child_without_weight_refused():
    with pytest.raises(InputError, match="weight"):
        physostigmine(Patient(8, "spinal"))


def test_physostigmine_bare_weight_refused():
    with pytest.raises(ITBError):
        physostigmine(Patient(8, "spinal"), weight=25)


def test_physostigmine_not_a_patient_refused():
    with pytest.raises(InputError):
        physostigmine({"age": 40})


def test_physostigmine_cautions_cover_label_and_practice():
    r = physostigmine(Patient(40, "spinal"))
    text = " ".join(c.message for c in r.cautions).lower()
    for word in ("seizures", "bradycardia", "conduction", "may not work"):
        assert word in text
    assert any(c.source.startswith("practice guidance") for c in r.cautions)
    assert any(c.source == "lioresal Overdose" for c in r.cautions)


@settings(max_examples=150, deadline=None)
@given(kg=st.floats(min_value=0.5, max_value=300), age=st.floats(min_value=0, max_value=17.99))
def test_child_dose_never_above_2_mg_and_proportional_below(kg, age):
    r = physostigmine(Patient(age, "spinal"), weight=f"{typed(kg)} kg")
    mg = r.dose.to("mg").magnitude
    assert 0 < mg <= 2.0 + 1e-12
    assert mg == pytest.approx(min(0.02 * kg, 2.0))


def test_module_exports():
    assert "assess" in overdose.__all__ and "physostigmine" in overdose.__all__
