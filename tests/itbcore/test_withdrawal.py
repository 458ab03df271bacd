"""Tests of itbcore.withdrawal: signs, stage, management, taper and likely causes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore.errors import DoseLimitError, InputError, ITBError, UnitError
from itbcore.testing import assert_quantity_close
from itbcore.units import Q_
from itbcore.withdrawal import (
    DIFFERENTIALS,
    HIGH_RISK,
    SIGNS,
    STAGES,
    TAPER_DAYS,
    assess,
    likely_causes,
    taper,
)

CONTRACT_SIGNS = {
    "spasticity_return",
    "pruritus",
    "hypotension",
    "paresthesia",
    "priapism",
    "high_fever",
    "altered_mental_status",
    "rebound_spasticity",
    "muscle_rigidity",
    "seizures",
    "rhabdomyolysis",
    "hallucinations",
}
EARLY = {"spasticity_return", "pruritus", "hypotension", "paresthesia", "priapism"}
CONTRACT_DIFFERENTIALS = {"autonomic_dysreflexia", "sepsis", "malignant_hyperthermia", "neuroleptic_malignant_syndrome"}


def codes(a):
    return [x.code for x in a.actions]


# ---------------------------------------------------------------- signs and stage


def test_contract_signs_present():
    assert set(SIGNS) >= CONTRACT_SIGNS


def test_early_signs_of_lionova_4_4():
    # lionova 4.4: return of baseline spasticity, pruritus, hypotension, paraesthesia, priapism.
    assert {c for c, s in SIGNS.items() if s.stage == "early"} == EARLY
    assert all("lionova 4.4" in SIGNS[c].source for c in EARLY)


@pytest.mark.parametrize("code", sorted(EARLY))
def test_early_sign_alone_is_early(code):
    assert assess([code]).stage == "early"


@pytest.mark.parametrize("code", sorted(CONTRACT_SIGNS - EARLY))
def test_advanced_sign_makes_advanced(code):
    assert assess(["pruritus", code]).stage == "advanced"


def test_none_without_signs():
    a = assess([])
    assert a.stage == "none" and a.actions == [] and a.differentials == []


def test_contract_actions_in_advanced_withdrawal():
    a = assess(["high_fever", "muscle_rigidity"])
    assert {"restart_itb", "check_pump_catheter", "icu", "oral_baclofen", "benzodiazepines"} <= set(codes(a))
    assert codes(a)[0] == "icu"


def test_early_withdrawal_is_an_emergency_not_icu():
    a = assess(["pruritus"])
    assert codes(a)[0] == "emergency" and "icu" not in codes(a)
    assert "restart_itb" in codes(a)


def test_restart_at_or_near_previous_dose_cites_both_labels():
    restart = [x for x in assess(["pruritus"]).actions if x.code == "restart_itb"][0]
    assert "near" in restart.text
    assert "lionova 4.4" in restart.source and "lioresal Dosing: discontinuation of treatment" in restart.source


def test_oral_baclofen_alone_is_no_guarantee():
    a = assess(["pruritus"])
    assert any(f.code == "oral_baclofen_not_enough" for f in a.findings)


def test_advanced_differentials_match_contract():
    a = assess(["high_fever"])
    assert set(a.differentials) >= CONTRACT_DIFFERENTIALS
    assert set(a.differentials) <= set(DIFFERENTIALS)


def test_dantrolene_note_is_practice_guidance():
    a = assess(["muscle_rigidity"])
    note = [f for f in a.findings if f.code == "dantrolene_rigidity_only"][0]
    assert note.source.startswith("practice guidance")


def test_high_risk_factors_of_lionova_4_4():
    assert set(HIGH_RISK) == {"sci_t6_or_above", "communication_difficulties", "previous_withdrawal"}
    assert all(r.source == "lionova 4.4" for r in HIGH_RISK.values())
    a = assess([], risk_factors=["sci_t6_or_above"])
    assert any(f.code == "high_risk_sci_t6_or_above" for f in a.findings)


def test_unknown_risk_factor_refused():
    with pytest.raises(InputError, match="risk factor"):
        assess([], risk_factors=["smoker"])


sign_lists = st.lists(st.sampled_from(sorted(SIGNS)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(signs=sign_lists, extra=sign_lists)
def test_adding_signs_never_lowers_stage(signs, extra):
    assert STAGES.index(assess(signs + extra).stage) >= STAGES.index(assess(signs).stage)


@settings(max_examples=200, deadline=None)
@given(signs=sign_lists, risks=st.lists(st.sampled_from(sorted(HIGH_RISK)), max_size=3))
def test_actions_always_have_sources(signs, risks):
    a = assess(signs, risk_factors=risks)
    assert all(x.source.split()[0] in ("lionova", "lioresal") for x in a.actions)
    assert all(f.source for f in a.findings)
    assert len(codes(a)) == len(set(codes(a)))
    assert (a.stage == "none") == (not signs)


@settings(max_examples=200, deadline=None)
@given(signs=st.lists(st.one_of(st.text(max_size=12), st.integers(), st.none()), min_size=1, max_size=5))
def test_unknown_codes_raise_input_error_only(signs):
    if all(isinstance(s, str) and s in SIGNS for s in signs):
        assess(signs)
        return
    with pytest.raises(InputError):
        assess(signs)


# ---------------------------------------------------------------- taper (lionova 4.2; lioresal discontinuation)


def test_taper_days_are_2_to_4_weeks():
    # lionova 4.2: gradual reduction over 2–4 weeks.
    assert TAPER_DAYS == (14, 28)


def test_taper_default_three_weeks_to_zero():
    plan = taper("420 ug/day")
    assert [d for d, _ in plan] == list(range(22))
    assert_quantity_close(plan[0][1], "420 ug/day")
    assert_quantity_close(plan[-1][1], "0 ug/day")
    assert_quantity_close(plan[1][1], "400 ug/day")


@pytest.mark.parametrize("days", [14, 28, "3 weeks", Q_(20, "day")])
def test_taper_accepts_label_range(days):
    plan = taper("0.5 mg/day", days)
    assert plan[-1][1].magnitude == 0


@pytest.mark.parametrize("days", [13, 29, 1, 0, -5, "1 week"])
def test_taper_outside_2_to_4_weeks_is_dose_limit_error(days):
    with pytest.raises(DoseLimitError, match="lionova 4.2"):
        taper("500 ug/day", days)


@pytest.mark.parametrize("days", [21.5, True, None, "soon", float("nan")])
def test_taper_bad_days_refused(days):
    with pytest.raises(ITBError):
        taper("500 ug/day", days)


def test_taper_refuses_zero_dose_and_bare_numbers():
    with pytest.raises(DoseLimitError, match="nothing to taper"):
        taper("0 ug/day")
    with pytest.raises(UnitError):
        taper(500)


@settings(max_examples=200, deadline=None)
@given(dose=st.floats(min_value=1.0, max_value=2000.0), days=st.integers(14, 28))
def test_taper_is_gradual_never_abrupt(dose, days):
    plan = taper(Q_(dose, "ug/day"), days)
    values = [q.to("ug/day").magnitude for _, q in plan]
    assert len(plan) == days + 1
    assert values[0] == pytest.approx(dose)
    assert values[-1] == 0
    steps = [a - b for a, b in zip(values, values[1:], strict=False)]
    # strictly decreasing, each step at most 1/14 of the starting dose: never an abrupt stop
    assert all(s > 0 for s in steps)
    assert all(s <= dose / 14 * (1 + 1e-9) for s in steps)
    assert all(q.units == Q_(1, "ug/day").units for _, q in plan)


@pytest.mark.parametrize(
    "dose, days, d0, n",
    [
        (Q_(500, "ug/day"), Q_(21, "day"), 500.0, 21),  # what the app passes: Quantities from its fields
        ("420 ug/day", 14, 420.0, 14),
        ("0.7 mg/day", "4 week", float(Q_(0.7, "mg/day").to("ug/day").magnitude), 28),
        (Q_(1, "ug/h"), 20.0, 24.0, 20),
    ],
)
def test_taper_values_pinned(dose, days, d0, n):
    # Regression pin: day k's dose is exactly d0 * (n - k) / n, a float in µg/day.
    plan = taper(dose, days)
    assert [d for d, _ in plan] == list(range(n + 1))
    assert [q.magnitude for _, q in plan] == [d0 * (n - k) / n for k in range(n + 1)]
    assert all(type(q.magnitude) is float and q.units == Q_(1, "ug/day").units for _, q in plan)


@pytest.mark.parametrize(
    "dose, days, error, message",
    [
        (
            "500 ug/day",
            13,
            DoseLimitError,
            "A taper over 13 days is too fast: a planned discontinuation is a gradual reduction over 14 to 28 days "
            "(lionova 4.2: the 2–4 weeks of a drug holiday's gradual reduction).",
        ),
        (
            "500 ug/day",
            Q_(5, "week"),
            DoseLimitError,
            "A taper over 35 days is longer than 14 to 28 days (lionova 4.2: the 2–4 weeks of a drug holiday's gradual "
            "reduction).",
        ),
        ("500 ug/day", 21.5, InputError, "The taper length must be a whole number of days, not 21.5."),
        ("-5 ug/day", 21, DoseLimitError, "There is nothing to taper: the daily dose must be above zero."),
        ("500 ug/day", "2 h", InputError, "The taper length must be a whole number of days, not 0.0833333."),
    ],
)
def test_taper_refusals_pinned(dose, days, error, message):
    with pytest.raises(error) as info:
        taper(dose, days)
    assert str(info.value) == message


# ---------------------------------------------------------------- likely causes


def test_label_causes_catheter_connectors_first_by_default():
    c = likely_causes()
    assert c.codes[:3] == ["catheter_failure", "low_reservoir", "pump_failure"]
    assert "connector" in c.causes[0].text
    assert all(x.source.startswith("lionova") for x in c.causes)


def test_onset_window_practice_1_to_3_days():
    c = likely_causes("36 h")
    assert_quantity_close(c.onset_window[0], "1 day")
    assert_quantity_close(c.onset_window[1], "3 day")
    assert any(f.code == "onset_typical" for f in c.findings)
    late = likely_causes("5 day")
    assert any(f.code == "onset_late" and f.source.startswith("practice guidance") for f in late.findings)


def test_low_reservoir_moves_first():
    c = likely_causes(reservoir_volume="1.5 mL")
    assert c.codes[0] == "low_reservoir"
    assert any(f.code == "reservoir_low" for f in c.findings)
    assert likely_causes(reservoir_volume="3 mL", alarm_volume="4 mL").codes[0] == "low_reservoir"
    assert likely_causes(reservoir_volume="10 mL").codes[0] == "catheter_failure"


def test_residual_volume_mismatch_means_pump_not_delivering():
    # practice guidance: 19 mL found where about 2 mL was expected.
    c = likely_causes(reservoir_volume="19 mL", expected_reservoir_volume="2 mL")
    assert c.codes[0] == "pump_failure"
    assert any(f.code == "residual_mismatch" for f in c.findings)


def test_programming_change_moves_programming_error_first():
    assert likely_causes(recent_programming_change=True).codes[0] == "programming_error"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"hours_since_interruption": "-1 h"}, InputError),
        ({"reservoir_volume": "-1 mL"}, DoseLimitError),  # a volume that cannot be, refused as every amount is
        ({"expected_reservoir_volume": "2 mL"}, InputError),
        ({"recent_programming_change": "yes"}, InputError),
    ],
)
def test_likely_causes_refuses_bad_input(kwargs, error):
    with pytest.raises(error):
        likely_causes(**kwargs)
