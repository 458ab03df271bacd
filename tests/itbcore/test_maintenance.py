"""Tests of itbcore.maintenance (lionova 4.2 "Vedlikeholdsbehandling", "Administrasjonsmåte";
lioresal Dosing: supportive therapy, mode of infusion)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itbcore.errors import DoseLimitError, EligibilityError, InputError, LabelError, UnitError
from itbcore.maintenance import (
    FLEX_EFFECT_LEAD,
    FLEX_NIGHT_INCREASE,
    LIMITED_EXPERIENCE_ABOVE,
    FlexStep,
    dose_range_findings,
    drug_holiday,
    flex_from_continuous,
    flex_programme,
    flex_start_for_effect,
    flex_unit_check,
    maintenance_range,
)
from itbcore.patient import Patient
from itbcore.testing import assert_quantity_close
from itbcore.units import Q_, fmt

pos = dict(allow_nan=False, allow_infinity=False)


def ug(x):
    return Q_(x, "ug/day")


# --- maintenance ranges: lionova 4.2; lioresal Dosing: supportive therapy --------------------------------------------
@pytest.mark.parametrize("label", ["lionova", "lioresal"])
def test_adult_spinal_300_to_800_observed_12_to_2003(label):
    r = maintenance_range(Patient(45, "spinal"), label=label)
    assert_quantity_close(r.low, ug(300))
    assert_quantity_close(r.high, ug(800))
    assert_quantity_close(r.observed_low, ug(12))
    assert_quantity_close(r.observed_high, ug(2003))
    assert_quantity_close(r.limited_experience_above, ug(1000))
    assert r.label == label
    assert r.source == {"lionova": "lionova 4.2", "lioresal": "lioresal Dosing: supportive therapy"}[label]


def test_adult_cerebral_22_to_1400_means_276_and_307():
    r = maintenance_range(Patient(30, "cerebral"))
    assert_quantity_close(r.low, ug(22))
    assert_quantity_close(r.high, ug(1400))
    means = dict(r.means)
    assert_quantity_close(means["after 1 year"], ug(276))
    assert_quantity_close(means["after 2 years"], ug(307))


def test_paediatric_initial_maintenance_differs_by_label():
    # lionova 4.2: 25-200 µg/day, mean 100; lioresal: 35-200 µg/day (mean 100)
    child = Patient(10, "spinal")
    lio = maintenance_range(child, label="lionova")
    lr = maintenance_range(child, label="lioresal")
    assert (lio.low.magnitude, lio.high.magnitude) == (25, 200)
    assert (lr.low.magnitude, lr.high.magnitude) == (35, 200)
    assert_quantity_close(dict(lio.means)["initial maintenance, children 4 to < 18"], ug(100))
    assert lio.observed_low is None  # the under-12 figures are stated with the cerebral-origin doses


def test_under_twelve_cerebral_24_to_1199_mean_274_lionova():
    r = maintenance_range(Patient(7, "cerebral"))
    assert_quantity_close(r.observed_low, ug(24))
    assert_quantity_close(r.observed_high, ug(1199))
    assert_quantity_close(dict(r.means)["children under 12, cerebral origin"], ug(274))
    assert maintenance_range(Patient(14, "cerebral")).observed_low is None


def test_limited_experience_above_1000():
    assert_quantity_close(LIMITED_EXPERIENCE_ABOVE, ug(1000))


def test_range_refusals():
    with pytest.raises(EligibilityError):
        maintenance_range(Patient(3, "spinal"))
    with pytest.raises(EligibilityError):
        maintenance_range(Patient(3, "spinal"), label="lioresal")
    with pytest.raises(LabelError):
        maintenance_range(Patient(30, "spinal"), label="baclorex")
    with pytest.raises(InputError):
        maintenance_range("adult")


def test_dose_range_findings():
    adult = Patient(50, "spinal")
    assert [f.code for f in dose_range_findings(adult, "500 ug/day")] == ["within_range"]
    assert [f.code for f in dose_range_findings(adult, "200 ug/day")] == ["below_range"]
    out = dose_range_findings(adult, "2.5 mg/day")
    # above the labels' highest reported dose (2003 µg/day): the drug library's soft limit as well
    assert [f.code for f in out] == ["above_range", "outside_observed_range", "above_1000", "soft_limit_daily_dose"]
    assert all(f.severity != "violation" for f in out)  # ranges, not limits
    child = Patient(8, "cerebral")
    assert [f.code for f in dose_range_findings(child, "30 ug/day")] == ["within_range"]
    assert [f.code for f in dose_range_findings(child, "30 ug/day", label="lioresal")] == ["below_range"]
    with pytest.raises(DoseLimitError):
        dose_range_findings(adult, "0 ug/day")
    with pytest.raises(UnitError):
        dose_range_findings(adult, 500)


# --- flex dosing -----------------------------------------------------------------------------------------------------
def test_flex_label_numbers():
    # lionova 4.2 "Administrasjonsmåte" / lioresal mode of infusion: +20 % per hour, programmed 2 h before
    assert FLEX_NIGHT_INCREASE == 0.20
    assert_quantity_close(FLEX_EFFECT_LEAD, "2 h")


@pytest.mark.parametrize("wanted, expected", [("22 h", 20), ("1 h", 23), ("0 h", 22), ("10 h", 8)])
def test_flex_start_two_hours_before_effect(wanted, expected):
    assert_quantity_close(flex_start_for_effect(wanted), Q_(expected, "h"))


def test_flex_start_refusals():
    with pytest.raises(InputError):
        flex_start_for_effect("25 h")
    with pytest.raises(UnitError):
        flex_start_for_effect(22)
    with pytest.raises(InputError):
        flex_start_for_effect("22 h", lead="-1 h")


def test_flex_from_continuous_label_example():
    p = flex_from_continuous("480 ug/day")
    assert [(s.start.magnitude, s.rate.magnitude) for s in p.steps] == [(4.0, 20.0), (20.0, 24.0)]
    assert_quantity_close(p.daily_total, ug(512))  # 16 h × 20 + 8 h × 24 µg/h
    assert_quantity_close(p.rate_at("2 h"), "24 ug/h")
    assert_quantity_close(p.rate_at("12 h"), "20 ug/h")
    f = [f for f in p.findings if f.code == "flex_daily_total"][0]
    assert "lionova 4.2" in f.source and "lioresal Dosing: mode of infusion" in f.source
    p = flex_from_continuous("480 ug/day", night_increase=0.5)
    assert any(f.code == "night_increase_above_example" for f in p.findings)
    with pytest.raises(DoseLimitError):
        flex_from_continuous("480 ug/day", night_increase=0)
    with pytest.raises(InputError):
        flex_from_continuous("480 ug/day", night_start="6 h", night_end="6 h")


def test_flex_programme_wraps_midnight_and_validates():
    p = flex_programme([("20 h", "30 ug/h"), ("6 h", "10 ug/h")])
    assert [s.start.magnitude for s in p.steps] == [6.0, 20.0]
    assert_quantity_close(p.daily_total, ug(14 * 10 + 10 * 30))
    rates = p.hourly_rates()
    assert rates.shape == (24,)
    assert rates[0].magnitude == 30 and rates[6].magnitude == 10
    with pytest.raises(InputError):
        flex_programme([])
    with pytest.raises(InputError):
        flex_programme([("6 h", "10 ug/h"), ("6 h", "12 ug/h")])
    with pytest.raises(DoseLimitError):
        FlexStep("6 h", "-1 ug/h")
    with pytest.raises(UnitError):
        FlexStep("6 h", "10 ug/day per mL")
    assert any(f.code == "zero_rate_step" for f in flex_programme([("0 h", "0 ug/h"), ("8 h", "5 ug/h")]).findings)
    flex_programme([(f"{h} h", "1 ug/h") for h in range(13)])  # 13 steps: what the pump allows
    with pytest.raises(DoseLimitError, match="number of flex steps 14 is above the hard limit of 13"):
        flex_programme([(f"{h} h", "1 ug/h") for h in range(14)])


steps_strategy = st.lists(
    st.tuples(st.floats(min_value=0, max_value=23.99, **pos), st.floats(min_value=0, max_value=125, **pos)),
    min_size=1,
    max_size=13,
    unique_by=lambda t: round(t[0], 6),
)


@settings(max_examples=300, deadline=None)
@given(steps_strategy)
def test_property_flex_daily_total_is_integral_of_rates(steps):
    p = flex_programme([FlexStep(Q_(a, "h"), Q_(r, "ug/h")) for a, r in steps])
    total = p.daily_total.to("ug/day").magnitude
    # hourly means integrate to the total
    assert np.isclose(p.hourly_rates().to("ug/h").magnitude.sum(), total, rtol=1e-9, atol=1e-9)
    # the step function integrates to the total
    t, r = p.step_function()
    assert np.isclose(np.sum(np.diff(t.magnitude) * r.magnitude[:-1]), total, rtol=1e-9, atol=1e-9)
    # a midpoint sum of rate_at agrees; each rate change costs at most one grid cell of error
    dt_h = 0.1
    grid = (np.arange(int(24 / dt_h)) + 0.5) * dt_h
    numeric = sum(p.rate_at(Q_(h, "h")).magnitude for h in grid) * dt_h
    max_rate = max(s.rate.magnitude for s in p.steps)
    assert abs(numeric - total) <= len(p.steps) * dt_h * max_rate + 1e-6
    # durations add up to one day
    assert np.isclose(p.durations().magnitude.sum(), 24.0)


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=1, max_value=1500, **pos), st.floats(min_value=0.01, max_value=1, **pos))
def test_property_flex_from_continuous_total(dose, inc):
    p = flex_from_continuous(Q_(dose, "ug/day"), night_increase=inc)
    # 8 h night (22 h to 6 h) at +inc
    assert np.isclose(p.daily_total.magnitude, dose * (1 + inc * 8 / 24), rtol=1e-9)


# --- per-hour / per-day guard (practice: reported flex-mode programming incident) ------------------------------------
def test_unit_check_flags_rate_equal_to_daily_dose_per_hour():
    out = flex_unit_check("60 ug/h", "60 ug/day")
    assert [f.code for f in out] == ["per_hour_per_day_mixup"]
    assert out[0].severity == "violation" and "practice guidance" in out[0].source
    assert "2.5 µg/h" in out[0].message


def test_unit_check_flags_the_opposite_slip():
    out = flex_unit_check("2.5 ug/h", "1440 ug/day")  # 60 µg/day entered where 60 µg/h were meant
    assert [f.code for f in out] == ["per_hour_per_day_mixup"]
    assert "under-dose" in out[0].message


def test_unit_check_programme_and_quiet_cases():
    assert flex_unit_check(flex_from_continuous("480 ug/day"), "480 ug/day") == []
    assert [f.code for f in flex_unit_check("50 ug/h", "480 ug/day")] == ["twofold_off"]
    assert [f.code for f in flex_unit_check("120 ug/h", "120 ug/day")] == ["per_hour_per_day_mixup"]
    assert [f.code for f in flex_unit_check("100 ug/h", "200 ug/day")] == ["tenfold_off"]
    with pytest.raises(DoseLimitError, match="hard limit of 125 µg/h"):  # the drug library refuses it outright
        flex_unit_check("200 ug/h", "480 ug/day")
    assert [f.code for f in flex_unit_check("0 ug/h", "480 ug/day")] == ["nothing_programmed"]
    with pytest.raises(DoseLimitError):
        flex_unit_check("20 ug/h", "0 ug/day")


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1, max_value=3000, **pos))
def test_property_daily_dose_entered_per_hour_is_always_caught(dose):
    try:
        out = flex_unit_check(Q_(dose, "ug/h"), Q_(dose, "ug/day"))
    except DoseLimitError as exc:  # past the hourly hard limit: refused where it is entered
        assert exc.key == "infusion_rate"
    else:
        assert any(f.code == "per_hour_per_day_mixup" and f.severity == "violation" for f in out)
    assert flex_unit_check(Q_(dose / 24, "ug/h"), Q_(dose, "ug/day")) == []


# --- drug holiday: lionova 4.2 ---------------------------------------------------------------------------------------
def test_drug_holiday_schedule_and_restart():
    h = drug_holiday("700 ug/day", "150 ug/day")  # default 3 weeks
    assert h.schedule[0][0] == 0 and h.schedule[-1][0] == 21
    assert_quantity_close(h.schedule[0][1], ug(700))
    assert_quantity_close(h.schedule[-1][1], ug(0))
    assert_quantity_close(h.restart_dose, ug(150))
    codes = [a.code for a in h.actions]
    assert {"admit", "other_antispastic", "gradual_reduction", "restart_initial_dose"} <= set(codes)
    assert all(a.source for a in h.actions)
    assert any(f.code == "morphine_switch" for f in h.findings)
    assert "lionova 4.2" in h.source


@pytest.mark.parametrize("weeks", [2, 4, "2 week", "28 day"])
def test_drug_holiday_two_to_four_weeks(weeks):
    h = drug_holiday("700 ug/day", "150 ug/day", weeks=weeks)
    assert 14 <= h.schedule[-1][0] <= 28


@pytest.mark.parametrize("weeks", [1, 1.9, 4.1, 6, "10 day"])
def test_drug_holiday_refuses_outside_two_to_four_weeks(weeks):
    with pytest.raises(DoseLimitError, match="lionova 4.2"):
        drug_holiday("700 ug/day", "150 ug/day", weeks=weeks)


def test_drug_holiday_restart_above_current_is_flagged():
    h = drug_holiday("100 ug/day", "200 ug/day")
    assert any(f.code == "restart_above_current" for f in h.findings)


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=10, max_value=3000, **pos), st.floats(min_value=2, max_value=4, **pos))
def test_property_drug_holiday_is_gradual(dose, weeks):
    h = drug_holiday(Q_(dose, "ug/day"), "100 ug/day", weeks=weeks)
    doses = np.array([d.to("ug/day").magnitude for _, d in h.schedule])
    days = [d for d, _ in h.schedule]
    assert days == list(range(len(days)))
    assert np.all(np.diff(doses) <= 1e-9)  # never rises
    # never an abrupt stop: no single day drops more than 1/14 of the starting dose (2 weeks is the shortest)
    assert np.max(-np.diff(doses)) <= dose / 14 + 1e-9
    assert np.isclose(doses[0], dose) and np.isclose(doses[-1], 0)


def test_drug_holiday_pinned():
    # Regression pin of the whole plan for the app's default inputs (Quantities from its fields).
    h = drug_holiday(Q_(700, "ug/day"), Q_(150, "ug/day"), Q_(3, "week"))
    assert h.weeks == 3.0 and type(h.weeks) is float
    assert [d for d, _ in h.schedule] == list(range(22))
    assert [q.magnitude for _, q in h.schedule] == [700.0 * (1 - d / 21) for d in range(22)]
    quantities = [h.current_daily_dose, h.restart_dose] + [q for _, q in h.schedule]
    assert all(type(q.magnitude) is float and q.units == Q_(1, "ug/day").units for q in quantities)
    assert h.current_daily_dose.magnitude == 700.0 and h.restart_dose.magnitude == 150.0
    src = "lionova 4.2; lioresal Dosing: supportive therapy"
    assert h.source == src
    assert [(a.code, a.text, a.source) for a in h.actions] == [
        ("admit", "Plan the drug holiday in hospital.", "lionova 4.2"),
        ("other_antispastic", "Start other antispastic treatment as the intrathecal dose is reduced.", src),
        (
            "gradual_reduction",
            "Reduce the intrathecal dose gradually over 21 days; never stop abruptly (withdrawal).",
            "lionova 4.2; lionova 4.4; lioresal Dosing: discontinuation of treatment",
        ),
        (
            "watch_withdrawal",
            "Watch for withdrawal: return of spasticity, pruritus, hypotension, paraesthesia; later high fever, "
            "altered mental state, rebound spasticity and muscle rigidity.",
            "lionova 4.4",
        ),
        (
            "restart_initial_dose",
            "Restart at the initial continuous infusion dose (150 µg/day); lionova 4.2 adds: then titrate again to "
            "avoid overdose, as an in-patient (lioresal names neither).",
            src,
        ),
    ]
    assert [(f.code, f.severity, f.message, f.source) for f in h.findings] == [
        (
            "morphine_switch",
            "warning",
            "Take care when switching from baclofen to morphine and back.",
            "lionova 4.2; lionova 4.5; lioresal Dosing: supportive therapy",
        ),
    ]


@pytest.mark.parametrize(
    "current, initial, weeks, days, c, restart",
    [
        (
            "0.45 mg/day",
            "0.5 mg/day",
            3.3,
            23,
            float(Q_(0.45, "mg/day").to("ug/day").magnitude),
            float(Q_(0.5, "mg/day").to("ug/day").magnitude),
        ),
        (Q_(1, "ug/h"), "100 ug/day", "28 day", 28, 24.0, 100.0),
        ("333.3 ug/day", Q_(333.3, "ug/day"), Q_(2.5, "week"), 18, 333.3, 333.3),
    ],
)
def test_drug_holiday_values_pinned(current, initial, weeks, days, c, restart):
    h = drug_holiday(current, initial, weeks)
    assert [q.magnitude for _, q in h.schedule] == [c * (1 - d / days) for d in range(days + 1)]
    assert h.current_daily_dose.magnitude == c and h.restart_dose.magnitude == restart
    above = [f.message for f in h.findings if f.code == "restart_above_current"]
    if restart > c:
        assert above == [
            f"The restart dose {fmt(Q_(restart, 'ug/day'))} is above the dose before the holiday "
            f"({fmt(Q_(c, 'ug/day'))}); sensitivity may be restored, so a high restart risks overdose."
        ]
    else:
        assert above == []


@pytest.mark.parametrize(
    "current, initial, weeks, error, message",
    [
        ("0 ug/day", "150 ug/day", 3, DoseLimitError, "The current daily dose 0 µg/day must be above zero."),
        ("700 ug/day", "-0.1 mg/day", 3, DoseLimitError, "The initial infusion dose -100 µg/day must be above zero."),
        (
            "700 ug/day",
            "150 ug/day",
            1,
            DoseLimitError,
            "A drug holiday reduces the dose gradually over 2 to 4 weeks, not 1 week (lionova 4.2).",
        ),
        (
            "700 ug/day",
            "150 ug/day",
            "10 day",
            DoseLimitError,
            "A drug holiday reduces the dose gradually over 2 to 4 weeks, not 1.42857 weeks (lionova 4.2).",
        ),
        ("700 ug/day", "150 ug/day", float("inf"), InputError, "The number of weeks inf is not a finite number."),
        (
            "700 ug/day",
            "150 ug/day",
            True,
            InputError,
            "The number of weeks must be a number or a time such as '3 week'.",
        ),
    ],
)
def test_drug_holiday_refusals_pinned(current, initial, weeks, error, message):
    with pytest.raises(error) as info:
        drug_holiday(current, initial, weeks)
    assert str(info.value) == message
