"""Tests of itbcore.scenarios: what each error delivers, the registry and the CSF simulation."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore.errors import DoseLimitError, InputError, ITBError, LabelError, UnitError
from itbcore.pk import csf_concentration, steady_state_concentration
from itbcore.scenarios import (
    SCENARIOS,
    UNIT_SLIPS,
    ScenarioResult,
    access_port_injection,
    concentration_mismatch,
    flex_mixup,
    pocket_fill,
    simulate,
    too_fast_titration,
    unit_slip,
)
from itbcore.testing import assert_quantity_close
from itbcore.units import Q_

# ---------------------------------------------------------------- each scenario


def test_pocket_fill_from_concentration_and_volume():
    r = pocket_fill(concentration="2 mg/mL", volume="20 mL", daily_dose="500 ug/day", residual_volume="2 mL")
    assert_quantity_close(r.delivered_amount, "40 mg")
    assert r.factor == pytest.approx(80.0)
    assert r.route == "subcutaneous pocket"
    assert r.boluses == ()
    # 500 µg/day at 2000 µg/mL is 0.25 mL/day; 2 mL residual lasts 8 days.
    start, end, rate = r.infusions[0]
    assert_quantity_close(end, "8 day")
    assert_quantity_close(rate, "500 ug/day")
    assert any(f.code == "not_intrathecal" and f.source == "lionova 4.2" for f in r.findings)
    assert any(f.code == "withdrawal_when_empty" and f.source == "lionova 4.4" for f in r.findings)


def test_pocket_fill_from_refill_amount():
    r = pocket_fill("10 mg", daily_dose="250 ug/day")
    assert_quantity_close(r.delivered_amount, "10000 ug")
    assert r.factor == pytest.approx(40.0)


def test_pocket_fill_csf_falls_to_zero_after_residual_runs_out():
    r = pocket_fill(residual_volume="0.25 mL")  # one day of residual at 0.25 mL/day
    sim = simulate(r, hours=72)
    late = sim.delivered.magnitude[sim.times.magnitude > 60]
    assert late.max() < 1e-3 * sim.intended.magnitude.max()


def test_access_port_whole_volume_is_one_csf_bolus_lionova_4_4():
    r = access_port_injection("2 mg/mL", "20 mL")
    assert len(r.boluses) == 1
    t0, amount = r.boluses[0]
    assert_quantity_close(t0, "0 h")
    assert_quantity_close(amount, "40 mg")
    assert r.factor == pytest.approx(80.0)
    assert r.findings[0].code == "access_port_overdose" and r.findings[0].source == "lionova 4.4"
    sim = simulate(r, hours=6)
    assert_quantity_close(sim.peak_delivered, Q_(40000 / 75 * 1000, "ng/mL"), rtol=1e-3)


def test_flex_mixup_is_24_fold():
    r = flex_mixup("60 ug/day")
    assert r.factor == pytest.approx(24.0)
    assert_quantity_close(r.delivered_rate, "60 ug/h")
    assert_quantity_close(r.intended_daily_dose, "60 ug/day")


def test_concentration_mismatch_delivers_programmed_volume_times_actual_concentration():
    r = concentration_mismatch("500 ug/mL", "2000 ug/mL", "500 ug/day")
    # 500 µg/day ÷ 500 µg/mL = 1 mL/day; × 2000 µg/mL = 2000 µg/day
    assert_quantity_close(r.delivered_rate, "2000 ug/day")
    assert r.factor == pytest.approx(4.0)
    assert any(f.code == "overdose_risk" and f.source == "lionova 4.9" for f in r.findings)


def test_concentration_mismatch_underdose_warns_of_withdrawal():
    r = concentration_mismatch("2 mg/mL", "0.5 mg/mL", "500 ug/day")
    assert r.factor == pytest.approx(0.25) and not r.is_overdose
    assert any(f.code == "withdrawal_risk" and f.source == "lionova 4.4" for f in r.findings)


def test_concentration_match_is_info_only():
    r = concentration_mismatch("0.5 mg/mL", "500 ug/mL", "500 ug/day")
    assert r.factor == pytest.approx(1.0)
    assert [f.severity for f in r.findings] == ["info"]


def test_unit_slip_is_1000_fold():
    r = unit_slip("500 ug/day")
    assert_quantity_close(r.delivered_rate, "500 mg/day")
    assert r.factor == 1000.0
    down = unit_slip("0.5 mg/day", "ug_for_mg")
    assert_quantity_close(down.delivered_rate, "0.5 ug/day")
    assert down.factor == pytest.approx(0.001)
    assert set(UNIT_SLIPS) == {"mg_for_ug", "ug_for_mg"}


def test_unit_slip_unknown_slip_refused():
    with pytest.raises(InputError, match="mg_for_ug"):
        unit_slip("500 ug/day", "ml_for_ug")


def test_too_fast_titration_against_lionova_4_2_spinal_30_percent():
    r = too_fast_titration("100 ug/day", 0.5, 3)
    assert_quantity_close(r.delivered_rate, Q_(100 * 1.5**3, "ug/day"))
    assert_quantity_close(r.intended_daily_dose, Q_(100 * 1.3**3, "ug/day"))
    assert r.factor == pytest.approx((1.5 / 1.3) ** 3)
    assert any(f.code == "increase_above_label" and f.source == "lionova 4.2" for f in r.findings)


def test_too_fast_titration_first_24_h_unchanged_then_daily_steps():
    r = too_fast_titration("100 ug/day", 0.2, 2, origin="cerebral")
    assert len(r.infusions) == 3
    assert_quantity_close(r.infusions[0][2], "100 ug/day")
    assert_quantity_close(r.infusions[0][1], "24 h")
    assert r.infusions[-1][1] is None
    # cerebral band 15 % (lionova 4.2)
    assert_quantity_close(r.intended_infusions[1][2], "115 ug/day")


def test_too_fast_titration_lioresal_children_spinal_15_percent():
    r = too_fast_titration("100 ug/day", 0.2, 1, population="pediatric", label="lioresal")
    assert r.findings[0].code == "increase_above_label"
    assert r.findings[0].source == "lioresal Dosing: phase of dose selection"
    ok = too_fast_titration("100 ug/day", 0.2, 1, population="pediatric", label="lionova")
    assert ok.findings[0].code == "increase_within_label"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"daily_increase_fraction": 0},
        {"daily_increase_fraction": -0.1},
        {"daily_increase_fraction": True},
        {"daily_increase_fraction": "30 %"},
        {"days": 0},
        {"days": 31},
        {"days": 2.5},
        {"origin": "spine"},
        {"population": "elderly"},
    ],
)
def test_too_fast_titration_refuses_bad_input(kwargs):
    with pytest.raises(InputError):
        too_fast_titration(**kwargs)


def test_too_fast_titration_refuses_a_leaflet_without_dosing_rules():
    with pytest.raises(LabelError, match="baclorex"):
        too_fast_titration(label="baclorex")


@pytest.mark.parametrize(
    "builder, args",
    [
        (pocket_fill, {"daily_dose": 500}),
        (access_port_injection, {"concentration": 2, "volume": "20 mL"}),
        (flex_mixup, {"intended_daily_dose": 60}),
        (concentration_mismatch, {"programmed_concentration": "500 ug"}),
        (unit_slip, {"intended": "500 ug"}),
    ],
)
def test_bad_units_refused(builder, args):
    with pytest.raises(UnitError):
        builder(**args)


@pytest.mark.parametrize(
    "builder, args",
    [
        (pocket_fill, {"daily_dose": "0 ug/day"}),
        (pocket_fill, {"residual_volume": "-1 mL"}),
        (access_port_injection, {"volume": "0 mL"}),
        (flex_mixup, {"intended_daily_dose": "-60 ug/day"}),
        (concentration_mismatch, {"filled_concentration": "0 ug/mL"}),
    ],
)
def test_non_positive_values_refused(builder, args):
    # a dose, strength or volume that cannot be: refused as every amount is (library.check_amount)
    with pytest.raises(DoseLimitError, match=r"must (be above zero|not be negative)\.$") as err:
        builder(**args)
    assert err.value.limit == 0.0 and err.value.name in str(err.value)


# ---------------------------------------------------------------- registry and results


def test_registry_lists_all_scenarios_and_builds_with_defaults():
    assert set(SCENARIOS) == {
        "pocket_fill",
        "access_port_injection",
        "flex_mixup",
        "concentration_mismatch",
        "unit_slip",
        "too_fast_titration",
    }
    for code, scenario in SCENARIOS.items():
        r = scenario()
        assert isinstance(r, ScenarioResult)
        assert r.code == code == scenario.code
        assert r.title == scenario.title
        assert r.source and r.findings
        assert all(f.source for f in r.findings)
        assert r.is_overdose  # every default is an overdose scenario


def test_registry_overrides_and_refuses_unknown_settings():
    assert SCENARIOS["flex_mixup"](intended_daily_dose="100 ug/day").intended_daily_dose.magnitude == 100
    with pytest.raises(InputError, match="no setting"):
        SCENARIOS["flex_mixup"](dose="100 ug/day")


@pytest.mark.parametrize(
    "result, intended, delivered, explanation",
    [
        (
            flex_mixup("60 ug/day"),
            "60 ug/day",
            "1440 ug/day",
            "A flex step meant as a daily total was entered as an amount per hour.",
        ),
        (
            concentration_mismatch("500 ug/mL", "2 mg/mL", "400 ug/day"),
            "400 ug/day",
            "1600 ug/day",
            "The programmer computes volume from the concentration it was told; the reservoir holds another.",
        ),
        (unit_slip("0.5 mg/day", "ug_for_mg"), "500 ug/day", "0.5 ug/day", "The number meant in mg entered in µg."),
    ],
)
def test_rate_errors_infuse_the_wrong_rate_from_hour_zero_on(result, intended, delivered, explanation):
    # A continuous-infusion error: one open-ended infusion at the delivered rate against one at the intended.
    assert result.route == "intrathecal infusion" and result.delivered_amount is None
    assert result.boluses == () and result.intended_boluses == ()
    ((t0, end, rate),) = result.infusions
    ((it0, iend, irate),) = result.intended_infusions
    assert end is None and iend is None
    assert_quantity_close(t0, "0 h")
    assert_quantity_close(it0, "0 h")
    assert_quantity_close(rate, delivered)
    assert_quantity_close(result.delivered_rate, delivered)
    assert_quantity_close(irate, intended)
    assert_quantity_close(result.intended_daily_dose, intended)
    assert result.source.startswith("practice guidance") and "reported incidents" in result.source
    assert result.explanation == explanation
    assert_quantity_close(result.duration, "48 h")
    assert result.title == SCENARIOS[result.code].title


def test_result_is_frozen():
    r = flex_mixup()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.factor = 1.0  # type: ignore[misc]


def test_scenario_doses_pass_straight_to_pk():
    for scenario in SCENARIOS.values():
        r = scenario()
        c = csf_concentration(["1 h", "30 h"], r.boluses, r.infusions)
        assert c.shape == (2,)


# ---------------------------------------------------------------- simulate


def test_simulate_reaches_intended_and_delivered_steady_states():
    r = concentration_mismatch("500 ug/mL", "2000 ug/mL", "500 ug/day")
    sim = simulate(r, hours="3 day", points=73)
    assert sim.times.shape == (73,)
    assert_quantity_close(sim.intended[-1], steady_state_concentration("500 ug/day"), rtol=1e-6)
    assert_quantity_close(sim.delivered[-1], steady_state_concentration("2000 ug/day"), rtol=1e-6)


def test_simulate_for_a_population():
    r = flex_mixup()
    sim = simulate(
        r, hours=24, points=25, volume=Q_([50.0, 75.0, 150.0], "mL"), clearance=Q_([20.0, 30.0, 40.0], "mL/h")
    )
    assert sim.delivered.shape == (3, 25)
    assert sim.peak_delivered.shape == (3,)


@pytest.mark.parametrize("hours", [0, -1, float("inf"), True, "0 h", "5 ug"])
def test_simulate_refuses_bad_length(hours):
    with pytest.raises(ITBError):
        simulate(flex_mixup(), hours=hours)


def test_simulate_refuses_non_results_and_bad_points():
    with pytest.raises(InputError):
        simulate("flex_mixup")
    with pytest.raises(InputError):
        simulate(flex_mixup(), points=1)


# ---------------------------------------------------------------- properties

doses = st.floats(min_value=1.0, max_value=2000.0)
concs = st.floats(min_value=10.0, max_value=2000.0)  # the drug library: 2000 µg/mL is the strongest solution


@settings(max_examples=150, deadline=None)
@given(dose=doses)
def test_flex_and_unit_slip_overdoses_have_factor_at_least_1(dose):
    d = Q_(dose, "ug/day")
    assert flex_mixup(d).factor == pytest.approx(24.0)
    assert unit_slip(d).factor >= 1
    sim = simulate(flex_mixup(d), hours=48, points=49)
    assert np.all(sim.delivered.magnitude >= sim.intended.magnitude - 1e-9)


@settings(max_examples=150, deadline=None)
@given(cp=concs, cf=concs, dose=doses)
def test_concentration_mismatch_factor_is_filled_over_programmed(cp, cf, dose):
    r = concentration_mismatch(Q_(cp, "ug/mL"), Q_(cf, "ug/mL"), Q_(dose, "ug/day"))
    assert r.factor == pytest.approx(cf / cp)
    assert r.delivered_rate.to("ug/day").magnitude == pytest.approx(dose * cf / cp)
    # concentrations one float step apart (10.0 against 10.000000000000002) are the same strength
    if math.isclose(cf, cp, rel_tol=1e-12):
        assert any(f.code == "concentrations_match" for f in r.findings)
    elif cf > cp:
        assert r.factor >= 1 and any(f.code == "overdose_risk" for f in r.findings)
    else:
        assert any(f.code == "withdrawal_risk" for f in r.findings)


@settings(max_examples=150, deadline=None)
@given(c=concs, v=st.floats(min_value=0.5, max_value=40.0), dose=doses)
def test_access_port_factor_is_amount_over_daily_dose(c, v, dose):
    r = access_port_injection(Q_(c, "ug/mL"), Q_(v, "mL"), Q_(dose, "ug/day"))
    assert r.factor == pytest.approx(c * v / dose)
    assert r.delivered_amount.to("ug").magnitude == pytest.approx(c * v)
    if c * v >= dose:
        assert r.factor >= 1


@settings(max_examples=150, deadline=None)
@given(
    start=doses,
    f=st.floats(min_value=0.01, max_value=3.0),
    days=st.integers(1, 10),
    origin=st.sampled_from(["spinal", "cerebral"]),
)
def test_titration_above_band_is_an_overdose(start, f, days, origin):
    r = too_fast_titration(Q_(start, "ug/day"), f, days, origin=origin)
    limit = 0.30 if origin == "spinal" else 0.15
    assert r.is_overdose == (f > limit)
    if f > limit:
        assert r.factor >= 1
    rates = [x[2].to("ug/day").magnitude for x in r.infusions]
    assert all(b >= a for a, b in zip(rates, rates[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(
    c=concs, v=st.floats(min_value=1.0, max_value=40.0), dose=doses, residual=st.floats(min_value=0.0, max_value=20.0)
)
def test_pocket_fill_never_delivers_more_to_csf_than_intended(c, v, dose, residual):
    r = pocket_fill(
        concentration=Q_(c, "ug/mL"),
        volume=Q_(v, "mL"),
        daily_dose=Q_(dose, "ug/day"),
        residual_volume=Q_(residual, "mL"),
    )
    sim = simulate(r, hours=96, points=97)
    assert np.all(sim.delivered.magnitude <= sim.intended.magnitude + 1e-9)
    assert r.factor == pytest.approx(c * v / dose)
