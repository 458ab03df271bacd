"""Tests of itbcore.pump (lionova 4.2 "Administrasjon", 4.4 "Påfylling"; lioresal Special instructions (re-fill),
Stability)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore.errors import DiluentError, DoseLimitError, InputError, LabelError, UnitError
from itbcore.pump import (
    LIMITED_BY_TEXT,
    LIORESAL_STABILITY,
    MANUFACTURER_REFILL_CAP,
    PRACTICE_REFILL_MARGIN,
    PumpSettings,
    RefillPlan,
    bridge_bolus,
    choose_concentration,
    compare_settings,
    daily_volume,
    dilution,
    expected_residual,
    priming_bolus,
    refill_plan,
    residual_check,
)
from itbcore.testing import assert_quantity_close, typed
from itbcore.units import Q_, ureg

pos = dict(allow_nan=False, allow_infinity=False)


# --- daily volume ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dose, conc, expected",
    [
        ("500 ug/day", "500 ug/mL", "1 mL/day"),
        ("500 mcg/day", "2 mg/mL", "0.25 mL/day"),
        ("0.1 mg/day", "50 µg/mL", "2 mL/day"),
        ("1000 μg/day", "2000 ug/mL", "500 uL/day"),
    ],
)
def test_daily_volume(dose, conc, expected):
    v = daily_volume(dose, conc)
    assert v.units == ureg.Unit("mL/day")
    assert_quantity_close(v, expected)


def test_daily_volume_refusals():
    with pytest.raises(UnitError):
        daily_volume(500, "500 ug/mL")
    with pytest.raises(UnitError):
        daily_volume("500 ug", "500 ug/mL")
    with pytest.raises(DoseLimitError):
        daily_volume("500 ug/day", "0 ug/mL")
    with pytest.raises(DoseLimitError):
        daily_volume("-5 ug/day", "500 ug/mL")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1e-2, max_value=3e3, **pos), st.sampled_from([50.0, 500.0, 2000.0, 137.5]))
def test_property_daily_volume_round_trips_units(dose_ug, conc_ug):
    a = daily_volume(Q_(dose_ug, "ug/day"), Q_(conc_ug, "ug/mL"))
    b = daily_volume(Q_(dose_ug / 1000, "mg/day"), Q_(conc_ug / 1000, "mg/mL"))
    c = daily_volume(f"{typed(dose_ug / 24)} ug/h", f"{typed(conc_ug)} ug/mL")
    assert_quantity_close(a, b, rtol=1e-9)
    assert_quantity_close(a, c, rtol=1e-9)
    assert_quantity_close(a.to("uL/day"), Q_(1000 * dose_ug / conc_ug, "uL/day"), rtol=1e-9)
    # and back: volume × concentration is the dose
    assert_quantity_close(a * Q_(conc_ug, "ug/mL"), Q_(dose_ug, "ug/day"), rtol=1e-9)


# --- refill plan ---------------------------------------------------------------------------------------------
def test_refill_plan_example_and_dates():
    plan = refill_plan("20 mL", "500 ug/mL", "100 ug/day", fill_date=dt.date(2024, 1, 1))
    assert_quantity_close(plan.daily_volume, "0.2 mL/day")
    assert_quantity_close(plan.days_to_alarm, "90 day")
    assert_quantity_close(plan.days_to_empty, "100 day")
    assert_quantity_close(plan.refill_after, "86 day")  # practice: 4 days before the alarm by default
    assert plan.alarm_date == dt.date(2024, 3, 31)
    assert plan.empty_date == dt.date(2024, 4, 10)
    assert plan.refill_date == dt.date(2024, 3, 27)
    assert plan.limited_by_code == "alarm_margin"
    assert plan.label == "lionova"


def test_what_set_the_refill_day_is_a_code_and_its_text_is_made_in_one_place():
    # RefillPlan carries the code; the display text is made from it by LIMITED_BY_TEXT alone.
    plans = {
        "alarm_margin": refill_plan("20 mL", "500 ug/mL", "100 ug/day"),
        "alarm": refill_plan("20 mL", "500 ug/mL", "2000 ug/day", margin="5 day"),
        "stability": refill_plan("20 mL", "500 ug/mL", "100 ug/day", label="lioresal"),
        "cap_180": refill_plan("40 mL", "2000 ug/mL", "100 ug/day"),
    }
    assert set(plans) == set(LIMITED_BY_TEXT)
    for code, plan in plans.items():
        assert plan.limited_by_code == code and plan.limited_by == LIMITED_BY_TEXT[code]
    assert "limited_by_code" in {f.name for f in dataclasses.fields(RefillPlan)}
    assert "limited_by" not in {f.name for f in dataclasses.fields(RefillPlan)}


def test_no_consumer_branches_on_the_limited_by_display_text():
    """Code compares ``limited_by_code``, never the prose of ``limited_by`` (which may be reworded)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for folder in ("itbcore", "widgets", "exercises", "tests", "bench", "notebooks"):
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Match):
                    if any(isinstance(n, ast.Attribute) and n.attr == "limited_by" for n in ast.walk(node.subject)):
                        offenders.append(f"{path.relative_to(root)}:{node.lineno}")
                elif isinstance(node, ast.Compare):
                    sides = [node.left, *node.comparators]
                    reads_text = any(
                        isinstance(n, ast.Attribute) and n.attr == "limited_by"
                        for side in sides
                        for n in ast.walk(side)
                    )
                    against_prose = any(
                        isinstance(n, ast.Constant) and isinstance(n.value, str)
                        for side in sides
                        for n in ast.walk(side)
                    )
                    if reads_text and against_prose:
                        offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, f"branch on RefillPlan.limited_by_code, not its display text: {offenders}"


def test_refill_plan_without_date_has_no_dates():
    plan = refill_plan("20 mL", "2 mg/mL", "500 ug/day")
    assert plan.fill_date is plan.alarm_date is plan.refill_date is plan.empty_date is None
    assert_quantity_close(plan.days_to_alarm, "72 day")


def test_refill_plan_accepts_iso_date_and_datetime():
    a = refill_plan("20 mL", "2 mg/mL", "500 ug/day", fill_date="2024-05-01")
    b = refill_plan("20 mL", "2 mg/mL", "500 ug/day", fill_date=dt.datetime(2024, 5, 1, 15, 30))
    assert a.refill_date == b.refill_date == dt.date(2024, 5, 1) + dt.timedelta(days=68)
    with pytest.raises(InputError):
        refill_plan("20 mL", "2 mg/mL", "500 ug/day", fill_date="next Tuesday")


def test_lioresal_eleven_week_stability_cap():
    # lioresal Stability of the drug: 11 weeks in a SynchroMed pump.
    assert_quantity_close(LIORESAL_STABILITY, "77 day")
    plan = refill_plan("20 mL", "500 ug/mL", "100 ug/day", label="lioresal")
    assert_quantity_close(plan.refill_after, "77 day")
    assert plan.limited_by_code == "stability"
    assert any(f.source == "lioresal Stability of the drug" for f in plan.findings)
    # lionova states no stability period: the same plan is not capped at 77 days
    assert refill_plan("20 mL", "500 ug/mL", "100 ug/day").refill_after.magnitude == 86


def test_manufacturer_180_day_cap_is_practice_guidance():
    assert_quantity_close(MANUFACTURER_REFILL_CAP, "180 day")
    plan = refill_plan("40 mL", "2000 ug/mL", "100 ug/day")
    assert plan.refill_after.magnitude == 180
    assert plan.limited_by_code == "cap_180"
    cap = [f for f in plan.findings if f.code == "manufacturer_cap"]
    assert cap and cap[0].source.startswith("practice guidance")


def test_refill_findings_cite_labels():
    plan = refill_plan("20 mL", "2 mg/mL", "500 ug/day")
    by_code = {f.code: f for f in plan.findings}
    # lionova 4.4: observe the patient for 24 h after refilling
    assert by_code["observe_after_refill"].source == "lionova 4.4" and "24 h" in by_code["observe_after_refill"].message
    assert "lioresal Special instructions" in by_code["catheter_access_port"].source
    assert "overdose" in by_code["catheter_access_port"].message
    assert "lionova 4.4" in by_code["never_empty"].source


def test_practice_margin_is_three_to_five_days():
    assert [q.magnitude for q in PRACTICE_REFILL_MARGIN] == [3, 5]
    plan = refill_plan("20 mL", "2 mg/mL", "500 ug/day", margin="10 day")
    assert any(f.code == "margin_outside_practice" for f in plan.findings)


def test_margin_that_does_not_fit_is_a_violation_and_refill_is_not_after_alarm():
    plan = refill_plan("20 mL", "500 ug/mL", "2000 ug/day", margin="5 day")  # 4 mL/day: alarm after 4.5 days
    assert plan.limited_by_code == "alarm"
    assert plan.refill_after <= plan.days_to_alarm
    assert any(f.code == "margin_does_not_fit" and f.severity == "violation" for f in plan.findings)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(alarm_volume="20 mL"), DoseLimitError),
        (dict(alarm_volume="25 mL"), DoseLimitError),
        (dict(alarm_volume="0 mL"), DoseLimitError),
        (dict(margin="-1 day"), DoseLimitError),
        (dict(label="baclorex"), LabelError),
        (dict(label="nope"), LabelError),
        (dict(alarm_volume=2), UnitError),
    ],
)
def test_refill_plan_refusals(kwargs, error):
    with pytest.raises(error):
        refill_plan("20 mL", "500 ug/mL", "500 ug/day", **kwargs)
    with pytest.raises(DoseLimitError):
        refill_plan("20 mL", "500 ug/mL", "0 ug/day")


@settings(max_examples=300, deadline=None)
@given(
    reservoir=st.floats(min_value=1, max_value=40, **pos),
    alarm_frac=st.floats(min_value=0.01, max_value=0.95, **pos),
    conc=st.floats(min_value=5, max_value=2000, **pos),
    dose=st.floats(min_value=1, max_value=3000, **pos),
    margin=st.floats(min_value=0, max_value=30, **pos),
    label=st.sampled_from(["lionova", "lioresal"]),
    day=st.integers(min_value=0, max_value=3000),
)
def test_property_refill_never_after_alarm_or_empty(reservoir, alarm_frac, conc, dose, margin, label, day):
    start = dt.date(2020, 1, 1) + dt.timedelta(days=day)
    alarm = min(reservoir * alarm_frac, 10.0)  # the drug library's hard limit on the alarm volume
    plan = refill_plan(
        Q_(reservoir, "mL"),
        Q_(conc, "ug/mL"),
        Q_(dose, "ug/day"),
        Q_(alarm, "mL"),
        fill_date=start,
        margin=Q_(margin, "day"),
        label=label,
    )
    assert plan.days_to_alarm <= plan.days_to_empty
    assert plan.refill_after <= plan.days_to_alarm
    assert plan.refill_after.magnitude >= 0
    assert plan.refill_after <= MANUFACTURER_REFILL_CAP
    if label == "lioresal":
        assert plan.refill_after <= LIORESAL_STABILITY
    if plan.alarm_date is not None:
        assert start <= plan.refill_date <= plan.alarm_date <= plan.empty_date
    # what set the date is named
    assert plan.limited_by_code in {"alarm_margin", "alarm", "stability", "cap_180"}
    assert plan.limited_by == LIMITED_BY_TEXT[plan.limited_by_code]


# --- dilution ------------------------------------------------------------------------------------------------
def test_dilution_example():
    d = dilution("500 ug/mL", "100 ug/mL", "20 mL")
    assert_quantity_close(d.stock_volume, "4 mL")
    assert_quantity_close(d.diluent_volume, "16 mL")
    assert_quantity_close(d.amount, "2 mg")
    by_code = {f.code: f for f in d.findings}
    assert by_code["diluted_within_24h"].source == "baclorex 5"
    assert by_code["no_mixing"].source == "lionova 6.2"


def test_dilution_refusals():
    with pytest.raises(DoseLimitError):
        dilution("500 ug/mL", "1000 ug/mL", "20 mL")
    with pytest.raises(DiluentError, match="lionova 6.2"):
        dilution("500 ug/mL", "100 ug/mL", "20 mL", diluent="glucose 5%")
    with pytest.raises(DiluentError):
        dilution("500 ug/mL", "100 ug/mL", "20 mL", diluent="water for injection")
    with pytest.raises(DoseLimitError):
        dilution("500 ug/mL", "100 ug/mL", "0 mL")


def test_dilution_from_screening_strength_is_flagged():
    d = dilution("50 ug/mL", "25 ug/mL", "2 mL")
    assert any(f.code == "screening_strength" and f.source == "lionova 4.2" for f in d.findings)
    d = dilution("300 ug/mL", "100 ug/mL", "2 mL")
    assert any(f.code == "stock_not_marketed" for f in d.findings)


@settings(max_examples=300, deadline=None)
@given(
    stock=st.sampled_from(["500 ug/mL", "2000 ug/mL", "0.5 mg/mL", "2 mg/mL"]),
    frac=st.floats(min_value=1e-3, max_value=1, **pos),
    volume=st.floats(min_value=0.1, max_value=40, **pos),
    unit=st.sampled_from(["mL", "uL"]),
)
def test_property_dilution_adds_up_and_conserves_drug(stock, frac, volume, unit):
    s = Q_(float(stock.split()[0]), stock.split()[1])
    target = s * frac
    final = Q_(volume, "mL").to(unit)
    d = dilution(stock, target, final)
    assert_quantity_close(d.stock_volume + d.diluent_volume, Q_(volume, "mL"), rtol=1e-9)
    assert_quantity_close(d.stock_volume * s, target * Q_(volume, "mL"), rtol=1e-9)
    assert_quantity_close(d.amount, target * Q_(volume, "mL"), rtol=1e-9)
    assert d.diluent_volume.magnitude >= 0


# --- concentration choice ---------------------------------------------------------------------------------------
def test_choose_concentration_prefers_lowest_strength_that_fits():
    c = choose_concentration("100 ug/day")
    assert_quantity_close(c.concentration, "500 ug/mL")  # 0.2 mL/day, alarm after 90 days
    assert c.fits and not c.needs_dilution
    c = choose_concentration("600 ug/day")  # 500 µg/mL: 1.2 mL/day → 15 days; 2000: 0.3 mL/day → 60 days
    assert_quantity_close(c.concentration, "2000 ug/mL")
    assert_quantity_close(c.days_to_alarm, "60 day")
    assert any(f.code == "rate_range_not_entered" for f in c.findings)


def test_choose_concentration_dilutes_below_minimum_rate_baclorex():
    c = choose_concentration("37 ug/day", min_rate="0.1 mL/day", max_rate="10 mL/day")
    assert c.needs_dilution and c.fits
    assert_quantity_close(c.concentration, "370 ug/mL")
    assert c.daily_volume >= Q_(0.1, "mL/day")
    assert any("baclorex 5" in f.source for f in c.findings)


def test_choose_concentration_reports_when_nothing_fits():
    c = choose_concentration("3000 ug/day")  # 1.5 mL/day at 2000 µg/mL → 12 days
    assert not c.fits
    assert_quantity_close(c.concentration, "2000 ug/mL")
    assert any(f.code == "no_concentration_fits" and f.severity == "violation" for f in c.findings)
    c = choose_concentration("500 ug/day", max_rate="0.2 mL/day")  # 0.25 mL/day at 2000 µg/mL
    assert not c.fits


def test_choose_concentration_refusals():
    with pytest.raises(DoseLimitError):
        choose_concentration("100 ug/day", min_rate="1 mL/day", max_rate="0.5 mL/day")
    with pytest.raises(DoseLimitError):
        choose_concentration("100 ug/day", reservoir_volume="2 mL")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1, max_value=3000, **pos), st.floats(min_value=0.01, max_value=1, **pos))
def test_property_choice_that_fits_respects_the_rate_range(dose, min_rate):
    c = choose_concentration(Q_(dose, "ug/day"), min_rate=Q_(min_rate, "mL/day"), max_rate="20 mL/day")
    if c.fits:
        assert c.daily_volume >= Q_(min_rate, "mL/day") * (1 - 1e-9)
        assert c.days_to_alarm >= Q_(30, "day")
        assert c.concentration <= Q_(2000, "ug/mL")


# --- residual check ------------------------------------------------------------------------------------------------
def test_expected_residual():
    assert_quantity_close(expected_residual("20 mL", "500 ug/day", "500 ug/mL", "14 day"), "6 mL")
    assert_quantity_close(expected_residual("20 mL", "500 ug/day", "0.5 mg/mL", "2 week"), "6 mL")
    assert expected_residual("20 mL", "500 ug/day", "500 ug/mL", "40 day").magnitude == 0


def test_residual_much_larger_means_pump_not_delivering():
    r = residual_check("2 mL", "19 mL")  # the reported incident
    assert r.status == "discrepancy"
    f = r.findings[0]
    assert f.code == "pump_not_delivering" and f.severity == "violation"
    assert "restart" in f.message and "overdose" in f.message
    assert "practice guidance" in f.source


def test_residual_much_smaller_means_over_delivery_or_pocket_fill():
    r = residual_check("6 mL", "2 mL")
    assert r.status == "discrepancy" and r.findings[0].code == "volume_missing"
    assert "pocket" in r.findings[0].message


def test_residual_tolerance_volume_and_fraction():
    assert residual_check("5 mL", "5.9 mL").status == "ok"
    assert residual_check("5 mL", "6.1 mL").status == "discrepancy"
    assert residual_check("10 mL", "11.5 mL", tolerance=0.2).status == "ok"
    assert residual_check("10 mL", "12.5 mL", tolerance=0.2).status == "discrepancy"
    assert residual_check("5 mL", "5500 uL", tolerance="600 uL").status == "ok"
    with pytest.raises(InputError):
        residual_check("5 mL", "5 mL", tolerance=1.5)
    with pytest.raises(DoseLimitError):
        residual_check("5 mL", "-1 mL")


# --- bridge and priming boluses ------------------------------------------------------------------------------------
def test_bridge_bolus_for_higher_concentration():
    b = bridge_bolus("500 ug/mL", "2000 ug/mL", "480 ug/day", "50 cm", "2 uL/cm", "100 uL")
    assert_quantity_close(b.dead_volume, "200 uL")
    assert_quantity_close(b.old_amount, "100 ug")
    assert_quantity_close(b.clear_time_old_rate, "5 h")  # 200 µL at 0.96 mL/day
    assert_quantity_close(b.clear_time_new_rate, "20 h")  # 200 µL at 0.24 mL/day
    assert_quantity_close(b.dose_rate_without_bridge, "120 ug/day")  # a quarter of the dose
    assert_quantity_close(b.bolus_volume, "200 uL")
    assert_quantity_close(b.bolus_duration, "5 h")
    # during the bridge the patient gets the prescribed dose rate
    assert_quantity_close(b.old_amount / b.bolus_duration, "480 ug/day")
    assert b.source.startswith("practice guidance")
    assert any("under-dose" in f.message for f in b.findings)


def test_bridge_bolus_for_lower_concentration_warns_of_overdose():
    b = bridge_bolus("2000 ug/mL", "500 ug/mL", "480 ug/day", "50 cm", "2 uL/cm", "100 uL")
    assert_quantity_close(b.dose_rate_without_bridge, "1920 ug/day")
    assert any("overdose" in f.message for f in b.findings if f.code == "bridge_needed")


def test_no_bridge_when_concentration_unchanged():
    b = bridge_bolus("500 ug/mL", "0.5 mg/mL", "480 ug/day", "50 cm", "2 uL/cm", "100 uL")
    assert b.bolus_volume.magnitude == 0
    assert any(f.code == "no_bridge_needed" for f in b.findings)


def test_priming_bolus():
    p = priming_bolus("2 mg/mL", "60 cm", "1.5 uL/cm", "0.13 mL")
    assert_quantity_close(p.volume, "220 uL")
    assert_quantity_close(p.amount_in_line, "440 ug")
    with pytest.raises(DoseLimitError):
        priming_bolus("2 mg/mL", "0 cm", "1.5 uL/cm", "0 uL")


# --- settings comparison ---------------------------------------------------------------------------------------------
def codes(findings):
    return [f.code for f in findings]


def test_compare_settings_small_change_warns_of_nothing_but_asks_to_follow_the_patient():
    found = compare_settings(PumpSettings("500 ug/mL", "400 ug/day"), PumpSettings("500 ug/mL", "440 ug/day"))
    assert [(f.code, f.severity) for f in found] == [("monitor_until_stable", "info")]
    assert compare_settings(PumpSettings("500 ug/mL", "400 ug/day"), PumpSettings("500 ug/mL", "400 ug/day")) == []


@pytest.mark.parametrize(
    "old, new, what",
    [
        (("500 ug/mL", "400 ug/day"), ("2000 ug/mL", "400 ug/day"), "concentration"),
        (("500 ug/mL", "400 ug/day"), ("500 ug/mL", "440 ug/day"), "infusion rate"),
    ],
)
def test_a_change_of_concentration_or_rate_asks_to_follow_the_patient_until_stable(old, new, what):
    # regression (clinical audit): lionova 4.4 "ved endring i konsentrasjonen av baklofen eller infusjonshastigheten,
    # må pasienten følges nøye inntil tilstanden er stabil"; lioresal Special instructions "every time the dosing
    # rate and / or the concentration of baclofen in the pump reservoir changes": compare_settings said nothing.
    found = {f.code: f for f in compare_settings(PumpSettings(*old), PumpSettings(*new))}
    f = found["monitor_until_stable"]
    assert what in f.message and "until the condition is stable" in f.message
    assert f.source == "lionova 4.4; lioresal Special instructions"


def test_compare_settings_mg_ug_slip():
    # a thousandfold slip within the drug library's hard limit is flagged in the comparison ...
    out = compare_settings(PumpSettings("500 ug/mL", "2 ug/day"), PumpSettings("500 ug/mL", "2 mg/day"))
    assert "dose_mg_ug_slip" in codes(out)
    assert all(f.severity == "violation" for f in out if f.code.endswith("slip"))
    # ... and one past it cannot even be entered: the hard limit refuses it and names the slip
    with pytest.raises(DoseLimitError, match=r"1000 times 400 µg/day — was mg written for µg\?$"):
        PumpSettings("500 ug/mL", "400 mg/day")


def test_compare_settings_tenfold_and_twofold():
    out = compare_settings(PumpSettings("500 ug/mL", "100 ug/day"), PumpSettings("500 ug/mL", "1000 ug/day"))
    assert "dose_tenfold" in codes(out) and "daily_volume_tenfold" in codes(out)
    out = compare_settings(PumpSettings("500 ug/mL", "100 ug/day"), PumpSettings("500 ug/mL", "50 ug/day"))
    assert "dose_twofold" in codes(out)
    assert "dose_increase_above_label" not in codes(out)


def test_compare_settings_concentration_change_needs_bridge_and_volume_check():
    out = compare_settings(PumpSettings("500 ug/mL", "400 ug/day"), PumpSettings("2000 ug/mL", "400 ug/day"))
    assert {"concentration_twofold", "daily_volume_twofold", "concentration_changed"} <= set(codes(out))
    assert "dose_twofold" not in codes(out)


def test_compare_settings_increase_above_thirty_percent_lionova_4_2():
    out = compare_settings(PumpSettings("500 ug/mL", "400 ug/day"), PumpSettings("500 ug/mL", "560 ug/day"))
    (f,) = [f for f in out if f.code == "dose_increase_above_label"]
    assert "lionova 4.2" in f.source


def test_pump_settings_validation():
    with pytest.raises(InputError):
        PumpSettings("500 ug/mL", "400 ug/day", mode="turbo")
    with pytest.raises(UnitError):
        PumpSettings(500, "400 ug/day")
    s = PumpSettings("0.5 mg/mL", "0.4 mg/day")
    assert_quantity_close(s.daily_volume, "0.8 mL/day")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.daily_dose = Q_(1, "ug/day")  # frozen


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1, max_value=2000, **pos), st.floats(min_value=10, max_value=2000, **pos))
def test_property_thousandfold_dose_change_always_flagged(dose, conc):
    old = PumpSettings(Q_(conc, "ug/mL"), Q_(dose, "ug/day"))
    try:
        new = PumpSettings(Q_(conc, "ug/mL"), Q_(dose, "mg/day"))
    except DoseLimitError as exc:  # past the drug library's hard limit: refused where it is entered
        assert exc.key == "daily_dose" and exc.value == pytest.approx(dose * 1000)
        return
    out = compare_settings(old, new)
    assert any(f.code == "dose_mg_ug_slip" and f.severity == "violation" for f in out)
    assert any(f.severity == "violation" for f in compare_settings(new, old))
