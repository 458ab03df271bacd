"""Every exercise: right answers in two unit spellings, typical wrong answers with the matching feedback."""
import datetime as dt

import pytest

from exercises import load_exercise, list_exercises
from itbcore.units import Q_, fmt

SEEDS = [0, 1, 2, 5, 11]


def _check(ex, answer, part):
    return ex.check(answer, part=part if len(ex.parts) > 1 else None)


def test_five_or_more_exercises_registered():
    assert {"test_bolus_volume", "initial_daily_dose", "refill_dates", "flex_dosing",
            "titration_increase", "withdrawal_call"} <= {d.id for d in list_exercises()}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ident", [d.id for d in list_exercises()])
def test_right_answer_accepted_in_two_spellings(ident, seed):
    ex = load_exercise(ident, seed=seed)
    for p in ex.parts:
        e = p.expected
        if p.kind == "quantity":
            base = fmt(e).split(" ", 1)[1]
            small = {"mL": "uL", "µg/day": "mg/day", "µg/h": "mg/h", "day": "h"}[base]
            spellings = [fmt(e), f"{e.to(small).magnitude!r} {small}", e]
        elif p.kind == "date":
            spellings = [e.isoformat(), e, dt.datetime.combine(e, dt.time())]
        elif p.kind == "order":
            spellings = [list(p.expected), ", ".join(p.expected), " > ".join(k.upper() for k in p.expected)]
        else:
            spellings = [p.expected, p.expected.upper(), p.options[p.expected]]
        for s in spellings:
            r = _check(ex, s, p.id)
            assert r.correct, (ident, seed, p.id, s, r.message)
            assert r.source and r.rule


def test_bolus_volume_micro_litres_and_slips():
    ex = load_exercise("test_bolus_volume", seed=4)
    v = ex.solution()
    assert ex.check(f"{v.to('uL').magnitude:g} µL").correct
    assert ex.check(f"{v.to('uL').magnitude:g} μL").correct  # Greek mu
    wrong = ex.check(v * 1000)
    assert not wrong.correct and wrong.slip == "unit_x1000" and "1000" in wrong.message
    assert "lionova 4.2" in wrong.source
    pump = ex.check((ex.given["dose"] / Q_(500, "ug/mL")).to("mL"))
    assert pump.slip == "wrong_strength_500" and "50 µg/mL" in pump.message
    doubled = ex.check(v * 2)
    assert doubled.slip == "doubled"


def test_bare_number_refused_with_unit_hint():
    ex = load_exercise("test_bolus_volume", seed=4)
    for bare in (ex.solution().magnitude, str(ex.solution().magnitude), "1,5"):
        r = ex.check(bare)
        assert r.status == "invalid" and "unit" in r.message and "mL" in r.message


@pytest.mark.parametrize("seed", range(10))
def test_initial_daily_dose_wrong_branch(seed):
    ex = load_exercise("initial_daily_dose", seed=seed)
    long_effect = ex.given["effect_duration"].to("h").magnitude > 12
    wrong = ex.given["test_dose"] * (2 if long_effect else 1) / Q_(1, "day")
    r = ex.check(wrong)
    assert not r.correct and r.slip == "wrong_branch" and "12 h" in r.message
    assert "lionova 4.2" in r.source
    r = ex.check(ex.solution().to("mg/day") * 1000)
    assert r.slip == "unit_x1000"


def test_initial_daily_dose_mg_spelling():
    ex = load_exercise("initial_daily_dose", seed=3)
    assert ex.check(f"{ex.solution().to('mg/day').magnitude:g} mg/day").correct


def test_refill_slips():
    ex = load_exercise("refill_dates", seed=2)
    g = ex.given
    plan_empty = (g["reservoir"] / (g["daily_dose"] / g["concentration"])).to("day")
    r = ex.check(plan_empty, part="days_to_alarm")
    assert r.slip == "forgot_alarm_volume" and "2 mL" in r.message
    r = ex.check(ex.solution("days_to_alarm") / 1000, part="days_to_alarm")
    assert r.slip == "unit_div1000"
    alarm = ex.solution("alarm_date")
    r = ex.check(alarm.isoformat(), part="refill_date")
    assert r.slip == "on_alarm_date" and "margin" in r.message
    r = ex.check("not a date", part="alarm_date")
    assert r.status == "invalid"
    r = ex.check("3 weeks")  # several parts and no part named
    assert r.status == "invalid" and "part" in r.message


def test_flex_per_hour_per_day_trap():
    ex = load_exercise("flex_dosing", seed=6)
    daily = ex.given["daily_dose"]
    trap = f"{(daily * 1.2).to('ug/day').magnitude:g} ug/h"
    r = ex.check(trap, part="night_rate")
    assert r.slip == "per_day_as_per_hour" and "24" in r.message
    r = ex.check(daily * 1.2, part="daily_total")
    assert r.slip == "boost_whole_day"
    r = ex.check(daily, part="daily_total")
    assert r.slip == "unchanged"
    wanted = ex.given["effect_wanted_hour"]
    key = next(k for k, t in ex.part("start_time").options.items() if t == f"{wanted:02d}:00")
    r = ex.check(key, part="start_time")
    assert r.slip == "no_lead" and "2 h" in r.message


@pytest.mark.parametrize("seed", range(12))
def test_titration_wrong_origin(seed):
    ex = load_exercise("titration_increase", seed=seed)
    origin = ex.variant.patient.origin
    other_band = "+5 % to +15 % per 24 h" if origin == "spinal" else "+10 % to +30 % per 24 h"
    key = next(k for k, t in ex.part("band").options.items() if t == other_band)
    r = ex.check(key, part="band")
    assert r.slip == "wrong_origin" and origin in r.message
    other_high = 0.15 if origin == "spinal" else 0.30
    r = ex.check(ex.given["current"] * (1 + other_high), part="max_daily_dose")
    assert r.slip == "wrong_origin"
    r = ex.check(ex.given["current"] * (1 + ex.given["limits"][0]), part="max_daily_dose")
    assert r.slip == "lower_end"


def test_check_never_raises_on_garbage():
    ex = load_exercise("flex_dosing", seed=1)
    for junk in (None, ..., "", "nan mL", "inf ug/h", object(), [1, 2], "z", "12 parsecs"):
        for p in ex.parts:
            r = ex.check(junk, part=p.id)
            assert r.status in ("invalid", "missing")
    assert ex.check("1 ug/h", part="nope").status == "invalid"


def test_hints_step_through():
    ex = load_exercise("test_bolus_volume", seed=0)
    first, second = ex.hint(), ex.hint()
    assert first.startswith("Hint 1/") and second.startswith("Hint 2/") and first != second


def test_order_part():
    from exercises import OrderPart

    part = OrderPart("steps", "Order the steps", ["b", "a", "c"], rule="most urgent first", source="lionova 4.9",
                     items={"a": "empty the pump", "b": "secure the airway", "c": "admit"})
    assert part.check("b, a, c").correct and part.check(["B", "A", "C"]).correct
    wrong = part.check("a, b, c")
    assert not wrong.correct and "secure the airway" in wrong.message and wrong.source == "lionova 4.9"
    assert part.check("a, b").status == "invalid" and part.check("a, b, x").status == "invalid"


@pytest.mark.parametrize("seed", range(8))
def test_withdrawal_stage_and_order(seed):
    from itbcore import withdrawal

    ex = load_exercise("withdrawal_call", seed=seed)
    stage = withdrawal.assess(ex.given["signs"]).stage
    if stage == "advanced":
        r = ex.check("b", part="stage")
        assert r.slip == "underestimated" and "advanced" in r.message
    else:
        r = ex.check("c", part="stage")
        assert r.slip == "overestimated"
    assert ex.check("a", part="stage").slip == "missed_withdrawal"
    right = list(ex.solution("first_steps"))
    r = ex.check(list(reversed(right)), part="first_steps")
    assert not r.correct and "step 1" in r.message and "lionova" in r.message
