"""itbcore.screening: the test bolus ladder, its volume, warnings and timeline.

Every label number is pinned with its source: lionova 4.2 ("Screeningsfase"),
lionova 5.1, lioresal "Dosing: initial phase" and "Pharmacodynamics".
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore import screening as scr
from itbcore.errors import DoseLimitError, EligibilityError, InputError, ITBError, LabelError, UnitError
from itbcore.patient import CONDITIONS, MEDICINES, Patient
from itbcore.sources import PRACTICE
from itbcore.testing import assert_quantity_close, typed
from itbcore.units import Q_

ADULT = Patient(40, "spinal")
CHILD = Patient(9, "cerebral")
LABELS = ("lionova", "lioresal")

# A dose written in the spellings clinicians use: µg (micro sign, Greek mu), ug, mcg and mg.
SPELLINGS = ("{} ug", "{} mcg", "{} µg", "{} μg", "{} micrograms")


def as_text(ug: float, i: int) -> str:
    # typed(): a number written so the reader does not refuse it as dot-grouped ("1.125" -> "1.1250")
    if i == len(SPELLINGS):
        return f"{typed(ug / 1000)} mg"
    return SPELLINGS[i].format(typed(ug))


patients = st.builds(
    Patient,
    age_years=st.floats(min_value=4, max_value=95),
    origin=st.sampled_from(["spinal", "cerebral"]),
)


# --- test_dose_volume ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dose, volume",
    [("50 ug", "1 mL"), ("25 µg", "0.5 mL"), ("75 mcg", "1.5 mL"), ("100 μg", "2 mL"), ("0.1 mg", "2 mL")],
)
def test_volume_is_dose_over_50_ug_per_ml_lionova_4_2(dose, volume):
    # lionova 4.2 / lioresal Dosing: initial phase: screening uses the 50 µg/mL solution only.
    out = scr.test_dose_volume(dose)
    assert out.units == Q_(1, "mL").units
    assert_quantity_close(out, volume)


def test_solution_is_50_ug_per_ml_and_max_is_100_ug_lionova_4_2():
    assert_quantity_close(scr.TEST_SOLUTION_CONCENTRATION, "0.05 mg/mL")
    assert_quantity_close(scr.MAX_TEST_DOSE, "100 ug")
    assert_quantity_close(scr.TEST_DOSE_STEP, "25 ug")
    assert_quantity_close(scr.MIN_TEST_INTERVAL, "24 h")
    assert [q.to("h").magnitude for q in scr.MONITOR_WINDOW] == [4, 8]
    assert [q.to("ug").magnitude for q in scr.ADULT_START_DOSES] == [25, 50]
    assert [q.to("ug").magnitude for q in scr.PEDIATRIC_START_RANGE] == [25, 50]


@pytest.mark.parametrize("dose", ["0 ug", "-25 ug", "100.5 ug", "125 ug", "0.2 mg"])
def test_volume_refuses_dose_not_above_zero_or_above_100_ug(dose):
    with pytest.raises(DoseLimitError, match="lionova 4.2"):
        scr.test_dose_volume(dose)


@pytest.mark.parametrize(
    "dose, error",
    [
        (50, UnitError),
        ("50", UnitError),
        ("50 mL", UnitError),
        ("", InputError),
        ("nan ug", InputError),
        (None, InputError),
    ],
)
def test_volume_refuses_missing_unit_and_garbage(dose, error):
    with pytest.raises(error):
        scr.test_dose_volume(dose)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=100 + 1e-9, max_value=1e6), st.integers(0, len(SPELLINGS)))
def test_volume_never_accepts_more_than_100_ug(ug, spelling):
    # Doses are read to 12 significant digits (dropping unit-conversion noise such as 0.1 mg → 100.00000000000001 µg);
    # anything above 100 µg at that precision is refused.
    with pytest.raises(DoseLimitError):
        scr.test_dose_volume(as_text(ug, spelling))


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0.001, max_value=100.0), st.integers(0, len(SPELLINGS)))
def test_volume_is_the_same_in_every_spelling(ug, spelling):
    assert_quantity_close(scr.test_dose_volume(as_text(ug, spelling)), Q_(ug / 50, "mL"), rtol=1e-9)


# --- next_step ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", LABELS)
def test_escalate_by_25_ug_after_at_least_24_h(label):
    # lionova 4.2 "i trinn på 25 mikrogram med intervaller på minst 24 timer"; lioresal Dosing: initial phase.
    step = scr.next_step(ADULT, ["50 ug"], responded=False, label=label)
    assert step.action == "escalate"
    assert_quantity_close(step.next_dose, "75 ug")
    assert_quantity_close(step.wait, "24 h")
    assert step.label == label
    assert step.source == {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: initial phase"}[label]


def test_monitor_window_is_4_to_8_h_after_each_bolus_lionova_4_2():
    for responded in (True, False):
        step = scr.next_step(ADULT, ["25 ug"], responded=responded)
        low, high = step.monitor
        assert_quantity_close(low, "4 h")
        assert_quantity_close(high, "8 h")
        monitor = [f for f in step.findings if f.code == "monitor_after_bolus"]
        assert monitor and monitor[0].source == "lionova 4.2"


def test_full_adult_ladder_25_to_100_then_not_candidate_lionova_4_2():
    given_doses = ["25 ug"]
    while True:
        step = scr.next_step(ADULT, given_doses, responded=False)
        if step.action != "escalate":
            break
        given_doses.append(step.next_dose)
    assert [Q_(d).to("ug").magnitude if not isinstance(d, str) else float(d.split()[0]) for d in given_doses] == [
        25,
        50,
        75,
        100,
    ]
    # lionova 4.2: no response at 100 µg → no further increase, not a candidate for continuous infusion.
    assert step.action == "not_candidate"
    assert step.next_dose is None and step.wait is None
    stop = [f for f in step.findings if f.code == "no_response_at_max"]
    assert stop[0].severity == "violation" and stop[0].source == "lionova 4.2"


def test_positive_response_makes_a_candidate():
    step = scr.next_step(ADULT, ["50 ug", "75 ug"], responded=True)
    assert step.action == "candidate"
    assert step.next_dose is None and step.wait is None
    assert any(f.code == "positive_response" for f in step.findings)


def test_positive_response_at_100_ug_is_still_a_candidate():
    assert scr.next_step(ADULT, ["50 ug", "75 ug", "100 ug"], responded=True).action == "candidate"


def test_step_from_an_odd_dose_is_capped_at_100_ug():
    step = scr.next_step(ADULT, ["60 ug", "85 ug"], responded=False)
    assert_quantity_close(step.next_dose, "100 ug")


def test_repeating_a_dose_is_allowed():
    step = scr.next_step(ADULT, ["50 ug", "50 ug"], responded=False)
    assert_quantity_close(step.next_dose, "75 ug")


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("age", [0, 2, 3.9])
def test_under_4_is_refused(age, label):
    with pytest.raises(EligibilityError, match="under 4"):
        scr.next_step(Patient(age, "spinal"), ["25 ug"], responded=False, label=label)


def test_contraindication_is_refused():
    with pytest.raises(EligibilityError, match="lionova 4.3"):
        scr.next_step(Patient(30, "spinal", conditions=["hypersensitivity"]), ["25 ug"], responded=False)


@pytest.mark.parametrize(
    "history, error, text",
    [
        ([], InputError, "No test bolus"),
        (["125 ug"], DoseLimitError, "100 µg"),
        (["0 ug"], DoseLimitError, "must be above zero"),
        (["75 ug", "50 ug"], InputError, "lower than the one before"),
        (["50 ug", "100 ug"], DoseLimitError, "25 µg step"),
        (["25 ug", "60 ug"], DoseLimitError, "25 µg step"),
        ([50], UnitError, "no unit"),
        (["50 mL"], UnitError, "is a volume, not a mass"),
    ],
)
def test_dose_history_is_validated(history, error, text):
    with pytest.raises(error, match=text):
        scr.next_step(ADULT, history, responded=False)


def test_responded_must_be_a_bool():
    with pytest.raises(InputError):
        scr.next_step(ADULT, ["50 ug"], responded="yes")


def test_baclorex_leaflet_has_no_screening_rules():
    with pytest.raises(LabelError, match="leaflet"):
        scr.next_step(ADULT, ["50 ug"], responded=False, label="baclorex")


def test_a_single_dose_may_be_given_without_a_list():
    assert scr.next_step(ADULT, "50 ug", responded=False).action == "escalate"


def test_first_dose_above_usual_adult_start_is_a_warning_lionova_4_2():
    # lionova 4.2: the usual adult first test dose is 25 or 50 µg.
    step = scr.next_step(ADULT, ["75 ug"], responded=False)
    found = [f for f in step.findings if f.code == "first_dose_not_usual"]
    assert found and found[0].severity == "warning" and found[0].source == "lionova 4.2"
    assert not any(f.code == "first_dose_not_usual" for f in scr.next_step(ADULT, ["50 ug"], False).findings)
    low = [f for f in scr.next_step(ADULT, ["10 ug"], False).findings if f.code == "first_dose_not_usual"]
    assert low[0].severity == "info"


def test_pediatric_ladder_25_to_50_per_day_then_plus_25_lionova_4_2():
    # lionova 4.2: children 4 to < 18 years 25–50 µg/day, +25 µg/day every 24 h, at most 100 µg/day.
    step = scr.next_step(CHILD, ["25 ug"], responded=False)
    assert_quantity_close(step.next_dose, "50 ug")
    note = [f for f in step.findings if f.code == "pediatric_screening"]
    assert note and note[0].source == "lionova 4.2" and "100 µg/day" in note[0].message
    assert any(f.code == "first_dose_not_usual" for f in scr.next_step(CHILD, ["75 ug"], False).findings)
    last = scr.next_step(CHILD, ["50 ug", "75 ug", "100 ug"], responded=False)
    assert last.action == "not_candidate"


def test_step_includes_the_patients_screening_warnings():
    p = Patient(40, "spinal", medicines=["benzodiazepine"])
    step = scr.next_step(p, ["50 ug"], responded=False)
    assert any(f.code == "respiratory_risk_benzodiazepine" for f in step.findings)


def test_units_round_trip_in_next_step():
    a = scr.next_step(ADULT, ["0.05 mg", "75 mcg"], responded=False)
    b = scr.next_step(ADULT, [Q_(50, "ug"), "75 µg"], responded=False)
    assert a.action == b.action
    assert_quantity_close(a.next_dose, b.next_dose)
    assert a.next_dose.units == Q_(1, "ug").units


@st.composite
def histories(draw):
    """Any valid history of boluses: each above zero, at most 100 µg, never lower, at most 25 µg above the last."""
    first = draw(st.floats(min_value=0.5, max_value=100))
    doses = [first]
    for _ in range(draw(st.integers(0, 6))):
        rise = draw(st.floats(min_value=0, max_value=25))
        doses.append(min(doses[-1] + rise, 100.0))
    spelling = draw(st.integers(0, len(SPELLINGS)))
    return [as_text(d, spelling) for d in doses], doses


@settings(max_examples=250, deadline=None)
@given(patients, histories(), st.booleans(), st.sampled_from(LABELS))
def test_no_suggested_bolus_is_ever_above_100_ug(patient, history, responded, label):
    texts, doses = history
    step = scr.next_step(patient, texts, responded, label=label)
    if step.next_dose is not None:
        assert step.action == "escalate"
        ug = step.next_dose.to("ug").magnitude
        assert ug <= 100
        assert ug == pytest.approx(min(doses[-1] + 25, 100), rel=1e-9)
        assert_quantity_close(step.wait, "24 h")
    else:
        assert step.action in ("candidate", "not_candidate")
        assert (step.action == "candidate") == responded
    assert all(f.source for f in step.findings)


@settings(max_examples=150, deadline=None)
@given(patients, st.lists(st.floats(min_value=100.001, max_value=1000), min_size=1, max_size=3))
def test_next_step_refuses_any_history_above_100_ug(patient, doses):
    with pytest.raises(DoseLimitError):
        scr.next_step(patient, [f"{typed(d)} ug" for d in doses], responded=False)


# --- initial_test_dose ------------------------------------------------------------------------------------------


def test_standard_first_bolus_is_50_ug_practice_guidance():
    s = scr.initial_test_dose(ADULT)
    assert_quantity_close(s.dose, "50 ug")
    assert s.source.startswith(PRACTICE) and "Boster" in s.source
    # lionova 4.2: the label itself allows 25 or 50 µg.
    assert [q.to("ug").magnitude for q in s.alternatives] == [25, 50]
    assert s.label_source == "lionova 4.2"
    assert_quantity_close(s.volume, "1 mL")


@pytest.mark.parametrize(
    "patient, kwargs",
    [
        (ADULT, {"relies_on_spasticity": True}),
        (Patient(5, "cerebral"), {"very_small_child": True}),
        (Patient(5, "cerebral"), {"very_small_child": True, "relies_on_spasticity": True}),
    ],
)
def test_25_ug_for_small_children_or_patients_relying_on_spasticity(patient, kwargs):
    s = scr.initial_test_dose(patient, **kwargs)
    assert_quantity_close(s.dose, "25 ug")
    assert s.source.startswith(PRACTICE)


def test_child_label_options_are_25_to_50_per_day_lionova_and_lioresal():
    s = scr.initial_test_dose(CHILD)
    assert [q.to("ug").magnitude for q in s.alternatives] == [25, 50]
    assert s.label_source == "lionova 4.2"
    assert scr.initial_test_dose(CHILD, label="lioresal").label_source == "lioresal Dosing: initial phase"


def test_initial_test_dose_refusals():
    with pytest.raises(InputError, match="adult"):
        scr.initial_test_dose(ADULT, very_small_child=True)
    with pytest.raises(EligibilityError):
        scr.initial_test_dose(Patient(3, "spinal"))
    with pytest.raises(InputError):
        scr.initial_test_dose(ADULT, relies_on_spasticity="yes")


# --- screening_warnings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, code, severity, source",
    [
        ({"medicines": ["benzodiazepine"]}, "respiratory_risk_benzodiazepine", "warning", "lionova 4.2"),
        ({"medicines": ["opiate"]}, "respiratory_risk_opiate", "warning", "lionova 4.2"),
        ({"medicines": ["morphine"]}, "respiratory_risk_morphine", "warning", "lionova 4.2"),
        (
            {"conditions": ["cardiopulmonary_disease"]},
            "respiratory_risk_cardiopulmonary_disease",
            "warning",
            "lionova 4.2",
        ),
        (
            {"conditions": ["respiratory_muscle_weakness"]},
            "respiratory_risk_respiratory_muscle_weakness",
            "warning",
            "lionova 4.2",
        ),
        ({"conditions": ["infection"]}, "infection", "violation", "lionova 4.2"),
        ({"conditions": ["head_injury_under_1_year"]}, "head_injury_under_1_year", "warning", "lionova 4.4"),
        ({"conditions": ["epilepsy"]}, "caution_epilepsy", "warning", "lionova 4.4"),
        ({"conditions": ["renal_impairment"]}, "caution_renal_impairment", "warning", "lionova 4.2, lionova 4.4"),
        ({"conditions": ["diabetes"]}, "caution_diabetes", "info", "lioresal Carefully"),
        ({"conditions": ["hypersensitivity"]}, "contraindication_hypersensitivity", "violation", "lionova 4.3"),
        ({"medicines": ["tricyclic_antidepressant"]}, "interaction_tricyclic_antidepressant", "warning", "lionova 4.5"),
        ({"medicines": ["antihypertensive"]}, "interaction_antihypertensive", "warning", "lionova 4.5"),
        ({"medicines": ["levodopa_carbidopa"]}, "interaction_levodopa_carbidopa", "warning", "lionova 4.5"),
        ({"medicines": ["general_anaesthetic"]}, "interaction_general_anaesthetic", "warning", "lionova 4.5"),
        ({"medicines": ["cns_depressant"]}, "interaction_cns_depressant", "warning", "lionova 4.5"),
        ({"medicines": ["oral_baclofen"]}, "interaction_oral_baclofen", "warning", "lionova 4.5"),
        ({"medicines": ["other_muscle_relaxant"]}, "interaction_other_muscle_relaxant", "warning", "lionova 4.5"),
    ],
)
def test_screening_warning_for_each_risk(kwargs, code, severity, source):
    found = {f.code: f for f in scr.screening_warnings(Patient(40, "spinal", **kwargs))}
    assert code in found, sorted(found)
    assert found[code].severity == severity
    assert found[code].source == source


@pytest.mark.parametrize(
    "kwargs, code, source",
    [
        ({"medicines": ["benzodiazepine"]}, "respiratory_risk_benzodiazepine", "lioresal Special instructions"),
        ({"conditions": ["infection"]}, "infection", "lioresal Dosing: initial phase"),
        ({"conditions": ["diabetes"]}, "caution_diabetes", "lioresal Carefully"),
        ({"medicines": ["morphine"]}, "interaction_morphine", "lioresal Interaction"),
        (
            {"conditions": ["head_injury_under_1_year"]},
            "head_injury_under_1_year",
            "lioresal Dosing and Administration",
        ),
    ],
)
def test_screening_warnings_cite_lioresal_under_its_profile(kwargs, code, source):
    found = {f.code: f for f in scr.screening_warnings(Patient(40, "spinal", **kwargs), label="lioresal")}
    assert found[code].source == source
    if code == "caution_diabetes":
        # lioresal lists diabetes; lionova 4.4 does not.
        assert found[code].severity == "warning"


def test_every_patient_gets_resuscitation_and_variable_sensitivity_lionova_4_2():
    found = {f.code: f for f in scr.screening_warnings(ADULT)}
    assert found["resuscitation_equipment"].source == "lionova 4.2"
    # lionova 4.2: coma in one adult after a single 25 µg test dose.
    assert "25 µg" in found["variable_sensitivity"].message
    assert {f.severity for f in found.values()} == {"info"}


def test_every_caution_condition_is_reported():
    for code in scr._CAUTION:
        codes = [f.code for f in scr.screening_warnings(Patient(30, "cerebral", conditions=[code]))]
        assert f"caution_{code}" in codes


@pytest.mark.parametrize("label", LABELS)
def test_under_4_is_refused_in_warnings_and_checklist_as_everywhere(label):
    # Every screening function that answers a question about a patient refuses one under 4 in the same words.
    p = Patient(3, "spinal")
    with pytest.raises(EligibilityError) as eligible:
        p.require_eligible(label)
    for call in (
        lambda: scr.screening_warnings(p, label),
        lambda: scr.before_first_fill(p, False, label),
        lambda: scr.next_step(p, ["25 ug"], False, label),
        lambda: scr.initial_test_dose(p, label=label),
        lambda: scr.screening_ladder(p, label=label),
    ):
        with pytest.raises(EligibilityError) as exc:
            call()
        assert str(exc.value) == str(eligible.value)


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=0, max_value=100),
    st.sampled_from(["spinal", "cerebral"]),
    st.sets(st.sampled_from(sorted(MEDICINES))),
    st.sets(st.sampled_from(sorted(CONDITIONS))),
    st.sampled_from(LABELS),
)
def test_warnings_are_ordered_and_always_sourced(age, origin, meds, conds, label):
    p = Patient(age, origin, medicines=meds, conditions=conds)
    if age < 4:
        with pytest.raises(EligibilityError, match="under 4"):
            scr.screening_warnings(p, label=label)
        return
    found = scr.screening_warnings(p, label=label)
    order = {"violation": 0, "warning": 1, "info": 2}
    assert [order[f.severity] for f in found] == sorted(order[f.severity] for f in found)
    assert all(f.source.startswith(("lionova ", "lioresal ", "baclorex ")) for f in found)
    assert len({f.code for f in found}) == len(found)
    assert ("infection" in conds) == any(f.code == "infection" for f in found)


# --- bolus timeline ---------------------------------------------------------------------------------------------


def test_bolus_timeline_onset_peak_duration_lionova_4_2_5_1():
    t = scr.bolus_timeline()
    # lionova 4.2 and 5.1: onset ½–1 h, peak about 4 h, lasting 4–8 h; monitor 4–8 h; next bolus ≥ 24 h.
    assert [q.to("h").magnitude for q in t.onset] == [0.5, 1]
    assert t.peak.to("h").magnitude == 4
    assert [q.to("h").magnitude for q in t.duration] == [4, 8]
    assert [q.to("h").magnitude for q in t.monitor] == [4, 8]
    assert t.next_bolus.to("h").magnitude == 24
    assert t.sources["onset"] == "lionova 4.2, lionova 5.1"
    assert t.sources["monitor"] == "lionova 4.2"
    assert set(t.sources) == {"onset", "peak", "duration", "monitor", "next_bolus"}


def test_bolus_timeline_under_lioresal_cites_pharmacodynamics():
    t = scr.bolus_timeline("lioresal")
    assert t.sources["peak"] == "lioresal Pharmacodynamics"
    # lioresal gives no observation window: the 4–8 h stays with lionova 4.2.
    assert t.sources["monitor"] == "lionova 4.2"
    assert t.sources["next_bolus"] == "lioresal Dosing: initial phase"


def test_bolus_timeline_is_ordered():
    t = scr.bolus_timeline()
    assert t.onset[0] < t.onset[1] <= t.peak <= t.duration[1]


# --- screening_ladder -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, expected",
    [
        ("50 ug", [50, 75, 100]),
        ("25 µg", [25, 50, 75, 100]),
        ("0.075 mg", [75, 100]),
        ("100 mcg", [100]),
        ("30 ug", [30, 55, 80, 100]),
    ],
)
def test_ladder_rises_by_25_to_100_ug_lionova_4_2(start, expected):
    assert [q.to("ug").magnitude for q in scr.screening_ladder(ADULT, start)] == expected


def test_ladder_default_start_follows_initial_test_dose():
    assert [q.to("ug").magnitude for q in scr.screening_ladder(ADULT)] == [50, 75, 100]


def test_ladder_refuses_start_above_100_and_under_4():
    with pytest.raises(DoseLimitError):
        scr.screening_ladder(ADULT, "125 ug")
    with pytest.raises(EligibilityError):
        scr.screening_ladder(Patient(2, "spinal"), "25 ug")


@settings(max_examples=200, deadline=None)
@given(patients, st.floats(min_value=0.5, max_value=100), st.integers(0, len(SPELLINGS)), st.sampled_from(LABELS))
def test_ladder_never_goes_above_100_ug(patient, start, spelling, label):
    ladder = [q.to("ug").magnitude for q in scr.screening_ladder(patient, as_text(start, spelling), label=label)]
    assert ladder[0] == pytest.approx(start, rel=1e-9)
    assert max(ladder) <= 100
    assert ladder[-1] == 100
    assert all(0 < b - a <= 25 + 1e-9 for a, b in zip(ladder, ladder[1:], strict=False))


def test_every_refusal_is_an_itb_error():
    for call in (
        lambda: scr.test_dose_volume("500 ug"),
        lambda: scr.screening_ladder(ADULT, "x"),
        lambda: scr.bolus_timeline("nolabel"),
    ):
        with pytest.raises(ITBError):
            call()
